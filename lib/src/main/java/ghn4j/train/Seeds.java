package ghn4j.train;

/** Derives independent seeds from a run seed and step numbers (SplitMix64 finaliser). */
final class Seeds {

  private Seeds() {}

  static long mix(long seed, long a, long b) {
    long z =
        seed * 0x9E3779B97F4A7C15L + (a + 1) * 0xBF58476D1CE4E5B9L + (b + 7) * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
