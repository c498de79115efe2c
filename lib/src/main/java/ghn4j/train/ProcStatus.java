package ghn4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status}: {@code VmRSS} (now) and {@code
 * VmHWM} (peak). Native (PyTorch) memory is invisible to the JVM's heap counters, so this is how
 * leaks are seen. Returns -1 where {@code /proc} is not available.
 */
public final class ProcStatus {

  private ProcStatus() {}

  /** Current resident set size in MiB. */
  public static double rssMb() {
    return field("VmRSS:");
  }

  /** Peak resident set size in MiB. */
  public static double peakRssMb() {
    return field("VmHWM:");
  }

  private static double field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) / 1024.0; // kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
