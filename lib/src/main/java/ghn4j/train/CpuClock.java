package ghn4j.train;

import java.lang.management.ManagementFactory;

/**
 * CPU time used by this JVM process (all its threads: PyTorch's intra-op threads, the image loader,
 * GC, JIT), from {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}. A budget in
 * CPU time stays comparable between runs on a shared machine, where the wall-clock time of a step
 * depends on what else is running.
 */
public final class CpuClock {

  private CpuClock() {}

  /** Whether this JVM reports process CPU time. */
  public static boolean available() {
    return nanos() >= 0;
  }

  /**
   * Process CPU seconds since the JVM started.
   *
   * @throws IllegalStateException when the JVM does not report process CPU time
   */
  public static double processSeconds() {
    long n = nanos();
    if (n < 0) {
      throw new IllegalStateException(
          "this JVM does not report process CPU time "
              + "(com.sun.management.OperatingSystemMXBean.getProcessCpuTime): a CPU-time budget cannot be used");
    }
    return n / 1e9;
  }

  /** {@link #processSeconds()}, or NaN when the JVM does not report it. */
  public static double processSecondsOrNaN() {
    long n = nanos();
    return n < 0 ? Double.NaN : n / 1e9;
  }

  private static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
