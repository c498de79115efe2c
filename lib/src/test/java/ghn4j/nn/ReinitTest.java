package ghn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.Presets;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReinitTest {

  private static Graph net() {
    return NetworkBuilder.graph(Presets.darts(10, false));
  }

  private static Map<String, NDArray> params(Graph g, NDManager m) {
    return ParamInit.torchvision(g, 7, m, DataType.FLOAT32);
  }

  /** All conv/linear weights of rank >= 2 in node order. */
  private static List<String> convAndLinearWeights(Graph g) {
    List<String> all = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (n.op() instanceof Ops.Conv || n.op() instanceof Ops.Linear) {
        for (ParamSpec p : n.params()) {
          if (p.isWeight() && p.shape().length >= 2) {
            all.add(p.name());
          }
        }
      }
    }
    return all;
  }

  @Test
  void targetsAreConvAndLinearWeightsButTheLastOne() {
    Graph g = net();
    List<String> all = convAndLinearWeights(g);
    List<String> t = Reinit.targets(g);
    assertEquals(all.size() - 1, t.size());
    assertEquals(all.subList(0, all.size() - 1), t);
    assertTrue(all.get(all.size() - 1).startsWith("classifier"), all.get(all.size() - 1));
  }

  @Test
  void orthogonalisationGivesOrthonormalRowsOrColumnsOfTheSameShapeAndLeavesTheRestAlone() {
    Graph g = net();
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> before = params(g, m);
      Map<String, NDArray> after = params(g, m);
      List<String> done = Reinit.apply(g, after, new Reinit.Options(0, true, 1));
      assertEquals(Reinit.targets(g), done);
      int checked = 0;
      for (String k : before.keySet()) {
        NDArray a = after.get(k);
        assertEquals(before.get(k).getShape(), a.getShape(), k);
        if (!done.contains(k)) {
          assertArrayEquals(before.get(k).toFloatArray(), a.toFloatArray(), 0f, "untouched: " + k);
          continue;
        }
        int rows = (int) a.getShape().get(0);
        int cols = (int) (a.size() / rows);
        float[] w = a.toFloatArray();
        float[] w0 = before.get(k).toFloatArray();
        boolean wide = rows < cols; // then the rows are orthonormal, else the columns
        int n = wide ? rows : cols;
        int len = wide ? cols : rows;
        for (int i = 0; i < n; i++) {
          for (int j = i; j < n; j++) {
            double dot = 0;
            double dot0 = 0;
            for (int t = 0; t < len; t++) {
              dot += at(w, i, t, cols, wide) * at(w, j, t, cols, wide);
              dot0 += at(w, i, t, cols, wide) * at(w0, j, t, cols, wide);
            }
            assertEquals(i == j ? 1.0 : 0.0, dot, 1e-4, k + " (" + i + "," + j + ")");
            if (i == j) {
              assertTrue(dot0 > 0, k + ": R's diagonal is positive (q_i · w_i > 0)");
            }
          }
        }
        checked++;
      }
      assertTrue(checked > 5, "several weights checked: " + checked);
    }
  }

  private static double at(float[] w, int vec, int t, int cols, boolean rowsAreVectors) {
    return rowsAreVectors ? w[vec * cols + t] : w[t * cols + vec];
  }

  @Test
  void noiseHasTheScaleOfBetaTimesTheStdOfTheWeightCorrelationsAndFollowsTheSeed() {
    Graph g = net();
    double beta = 0.05;
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> before = params(g, m);
      Map<String, NDArray> a = params(g, m);
      Map<String, NDArray> b = params(g, m);
      Map<String, NDArray> c = params(g, m);
      Reinit.apply(g, a, new Reinit.Options(beta, false, 3));
      Reinit.apply(g, b, new Reinit.Options(beta, false, 3));
      Reinit.apply(g, c, new Reinit.Options(beta, false, 4));
      String k = largest(g, Reinit.targets(g), before);
      float[] w0 = before.get(k).toFloatArray();
      float[] wa = a.get(k).toFloatArray();
      assertArrayEquals(wa, b.get(k).toFloatArray(), 0f, "same seed, same noise");
      assertFalse(
          java.util.Arrays.equals(wa, c.get(k).toFloatArray()), "another seed, other noise");
      int rows = (int) before.get(k).getShape().get(0);
      int cols = w0.length / rows;
      double expected = beta * corrStd(w0, rows, cols);
      double mean = 0;
      double sq = 0;
      for (int i = 0; i < w0.length; i++) {
        double d = wa[i] - w0[i];
        mean += d;
        sq += d * d;
      }
      mean /= w0.length;
      double std = Math.sqrt(sq / w0.length - mean * mean);
      // w0.length draws: the sample std is within a few percent of the scale
      assertEquals(expected, std, 0.05 * expected, k + " (" + w0.length + " entries)");
      assertEquals(0, mean, 4 * expected / Math.sqrt(w0.length), "zero-mean noise");
      List<String> all = convAndLinearWeights(g);
      String cls = all.get(all.size() - 1);
      assertArrayEquals(
          before.get(cls).toFloatArray(), a.get(cls).toFloatArray(), 0f, "classifier untouched");
    }
  }

  /**
   * The correlation std computed naively as torch.corrcoef(W2d or its transpose).flatten().std().
   */
  private static double corrStd(float[] w, int rows, int cols) {
    boolean t = rows < cols;
    int n = t ? cols : rows;
    int d = t ? rows : cols;
    double[][] x = new double[n][d];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        if (t) {
          x[j][i] = w[i * cols + j];
        } else {
          x[i][j] = w[i * cols + j];
        }
      }
    }
    List<Double> corr = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        corr.add(pearson(x[i], x[j]));
      }
    }
    double mean = corr.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double ss = corr.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(ss / (corr.size() - 1));
  }

  private static double pearson(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  private static String largest(Graph g, List<String> names, Map<String, NDArray> p) {
    String best = names.get(0);
    for (String n : names) {
      if (p.get(n).size() > p.get(best).size()) {
        best = n;
      }
    }
    return best;
  }

  @Test
  void correlationStdMatchesTheNaiveComputation() {
    SplittableRandom r = new SplittableRandom(1);
    int rows = 9;
    int cols = 5;
    float[] w = new float[rows * cols];
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        w[i * cols + j] = (float) (r.nextDouble() + 0.3 * j);
        m[i][j] = w[i * cols + j];
      }
    }
    try (NDManager nd = NDManager.newBaseManager()) {
      assertEquals(corrStd(w, rows, cols), Reinit.correlationStd(m, nd), 1e-12);
    }
  }

  @Test
  void negativeBetaIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Reinit.Options(-1e-3, false, 0));
  }
}
