package ghn4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What every benchmark reports besides its times: medians, the process's peak RSS and the machine's
 * load.
 */
final class Timing {

  private Timing() {}

  /**
   * The median of {@code v} (the mean of the middle two for an even count); {@code v} is not
   * changed.
   */
  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The process's peak resident set (VmHWM of /proc/self/status), or "n/a" off Linux. */
  static String peakRss() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return "n/a";
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return line.substring(6).trim();
      }
    }
    return "n/a";
  }

  /** /proc/loadavg, or "n/a": other processes on the cores inflate every time here. */
  static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    return Files.isReadable(loadavg) ? Files.readString(loadavg).trim() : "n/a";
  }
}
