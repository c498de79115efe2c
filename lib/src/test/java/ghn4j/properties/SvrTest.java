package ghn4j.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SvrTest {

  /** y = 40 x0 + 20 x1² + small noise on random x in [0, 1]^4 (x2, x3 irrelevant). */
  private static double[][][] data(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][4];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = r.nextDouble();
      }
      y[i] = 40 * x[i][0] + 20 * x[i][1] * x[i][1] + r.nextGaussian() * 0.5;
    }
    return new double[][][] {x, {y}};
  }

  @Test
  void gridSearchRecoversAMonotoneRelation() {
    double[][][] train = data(60, 1);
    double[][][] test = data(40, 2);
    Svr.Search s = Svr.gridSearch(train[0], train[1][0], Svr.ppudaGrid(), 5);
    assertTrue(s.meanR2() > 0.8, "cross-validated R² " + s.meanR2());
    double[] pred = Svr.fit(train[0], train[1][0], s.best()).predict(test[0]);
    double tau = KendallTau.tauB(test[1][0], pred);
    assertTrue(tau > 0.8, "Kendall tau on held-out points " + tau + " with " + s.best());
  }

  @Test
  void unrelatedTargetsAreNotPredicted() {
    double[][][] train = data(60, 3);
    double[][][] test = data(40, 4);
    Random r = new Random(5);
    double[] noise = new double[60];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = r.nextGaussian() * 10;
    }
    Svr.Search s = Svr.gridSearch(train[0], noise, Svr.ppudaGrid(), 5);
    double tau = KendallTau.tauB(test[1][0], Svr.fit(train[0], noise, s.best()).predict(test[0]));
    assertTrue(Math.abs(tau) < 0.35, "tau " + tau + " on targets unrelated to x");
  }

  @Test
  void gridIsPpudasInScikitLearnOrder() {
    List<Svr.Params> g = Svr.ppudaGrid();
    assertEquals(7 * 5 * 3, g.size());
    assertEquals(new Svr.Params(1, Double.NaN, 0.05), g.get(0));
    assertEquals(new Svr.Params(1, 0.05, 0.05), g.get(1));
    assertEquals(new Svr.Params(1, Double.NaN, 0.1), g.get(5));
    assertEquals(new Svr.Params(1000, 0.5, 0.2), g.get(g.size() - 1));
  }

  @Test
  void foldsAreScikitLearnKFold() {
    int[][] b = Svr.foldBounds(12, 5); // sizes 3, 3, 2, 2, 2
    assertArrayEquals(new int[] {0, 3}, b[0]);
    assertArrayEquals(new int[] {3, 6}, b[1]);
    assertArrayEquals(new int[] {6, 8}, b[2]);
    assertArrayEquals(new int[] {10, 12}, b[4]);
  }

  @Test
  void r2MatchesDefinition() {
    assertEquals(1.0, Svr.r2(new double[] {1, 2, 3}, new double[] {1, 2, 3}), 1e-12);
    // SS_res = 1 + 0 + 1 = 2, SS_tot = 2: 0
    assertEquals(0.0, Svr.r2(new double[] {1, 2, 3}, new double[] {2, 2, 2}), 1e-12);
    // SS_res = 0.25, SS_tot = 2
    assertEquals(0.875, Svr.r2(new double[] {1, 2, 3}, new double[] {1.5, 2, 3}), 1e-12);
  }
}
