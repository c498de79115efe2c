package ghn4j.properties;

/**
 * Kendall's rank correlation tau-b, the variant {@code scipy.stats.kendalltau} computes by default
 * (and ppuda reports): {@code (P - Q) / sqrt((n0 - n1) (n0 - n2))} with P concordant and Q
 * discordant pairs, n0 = n(n-1)/2 pairs, n1 and n2 the pairs tied in x and in y. Pairs tied in both
 * count in n1 and n2 but in neither P nor Q. NaN when x or y is constant (as scipy).
 */
public final class KendallTau {

  private KendallTau() {}

  /** Tau-b of the paired values (O(n²), fine for hundreds of nets). */
  public static double tauB(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
    }
    int n = x.length;
    long concordant = 0;
    long discordant = 0;
    long tiesX = 0;
    long tiesY = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int sx = Double.compare(x[i], x[j]);
        int sy = Double.compare(y[i], y[j]);
        if (sx == 0) {
          tiesX++;
        }
        if (sy == 0) {
          tiesY++;
        }
        if (sx != 0 && sy != 0) {
          if (sx == sy) {
            concordant++;
          } else {
            discordant++;
          }
        }
      }
    }
    long pairs = (long) n * (n - 1) / 2;
    double denom = Math.sqrt((double) (pairs - tiesX) * (pairs - tiesY));
    return denom == 0 ? Double.NaN : (concordant - discordant) / denom;
  }
}
