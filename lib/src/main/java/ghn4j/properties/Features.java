package ghn4j.properties;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.nn.Devices;
import java.util.List;

/**
 * Per-net feature vectors for the property regressors: the GHN's node embeddings averaged over the
 * nodes (ppuda's {@code ghn(model, graphs, return_embeddings=True)[1].mean(0)}), or the
 * simple-graph baseline (log10 parameters, nodes, depth).
 */
public final class Features {

  private Features() {}

  /** Names of the {@link #simple} features. */
  public static final List<String> SIMPLE_NAMES = List.of("log10_params", "nodes", "depth");

  /** The mean node embedding [hid] of {@code graph} under {@code ghn} (no gradients). */
  public static double[] ghnMean(Ghn ghn, Graph graph) {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false); // no autograd graph over the GHN's weights
    try (NDManager m = Devices.newManager()) {
      NDArray e = ghn.predict(List.of(graph), m).embeddings(0);
      float[] mean = e.mean(new int[] {0}).toFloatArray();
      double[] out = new double[mean.length];
      for (int i = 0; i < mean.length; i++) {
        out[i] = mean[i];
      }
      return out;
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /** log10(parameters), nodes and depth of the GHN's view of {@code graph}. */
  public static double[] simple(Graph graph) {
    Graph view = graph.primitiveView();
    return new double[] {Math.log10(Math.max(1, graph.numParams())), view.size(), depth(view)};
  }

  /**
   * Nodes on the longest input-to-output path of {@code graph} (its nodes are in topological
   * order).
   */
  public static int depth(Graph graph) {
    int[] d = new int[graph.size()];
    int max = 0;
    for (int i = 0; i < graph.size(); i++) {
      Node n = graph.node(i);
      int best = 0;
      for (int src : n.inputs()) {
        best = Math.max(best, d[src]);
      }
      d[i] = best + 1;
      max = Math.max(max, d[i]);
    }
    return max;
  }

  /**
   * Columns standardised with the mean and (population) std of {@code fit}'s columns, applied to
   * {@code rows}; a constant column becomes 0. Used for the simple features, whose scales (10⁵
   * parameters vs tens of nodes) would otherwise swamp an RBF kernel; the GHN embeddings are used
   * as they are, as ppuda does.
   */
  public static double[][] standardize(double[][] fit, double[][] rows) {
    int d = fit[0].length;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] r : fit) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j] / fit.length;
      }
    }
    for (double[] r : fit) {
      for (int j = 0; j < d; j++) {
        std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / fit.length;
      }
    }
    double[][] out = new double[rows.length][d];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < d; j++) {
        double s = Math.sqrt(std[j]);
        out[i][j] = s == 0 ? 0 : (rows[i][j] - mean[j]) / s;
      }
    }
    return out;
  }
}
