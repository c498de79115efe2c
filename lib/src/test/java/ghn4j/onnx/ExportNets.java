package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.nn.BnState;
import ghn4j.nn.ParamInit;
import ghn4j.nn.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Random parameters, random running statistics and random images for the export tests. */
final class ExportNets {

  private ExportNets() {}

  /**
   * torchvision-style initial parameters with the norm layers' weights and biases drawn at random
   * (weight in [0.5, 1.5], bias in ±0.5), so that a mix-up of weight and bias or of channels shows
   * in the logits.
   */
  static Map<String, NDArray> params(Graph g, long seed, NDManager m) {
    Map<String, NDArray> p =
        new LinkedHashMap<>(ParamInit.torchvision(g, seed, m, DataType.FLOAT32));
    SplittableRandom r = new SplittableRandom(seed);
    for (Node n : g.nodes()) {
      if (n.op() instanceof Ops.BatchNorm
          || n.op() instanceof Ops.LayerNorm
          || n.op() instanceof Ops.Bias) {
        for (int k = 0; k < n.params().size(); k++) {
          ParamSpec s = n.params().get(k);
          double lo = k == 0 && !(n.op() instanceof Ops.Bias) ? 0.5 : -0.5;
          double[] v = r.doubles(s.numel(), lo, lo + 1).toArray();
          p.get(s.name()).close();
          p.put(
              s.name(), Tensors.fromDoubles(m, v, new Shape(toLong(s.shape())), DataType.FLOAT32));
        }
      }
    }
    return p;
  }

  /** Running statistics with means in ±0.5 and variances in [0.5, 2]. */
  static BnState randomStats(Graph g, long seed, NDManager m) {
    BnState s = BnState.initial(g, m, DataType.FLOAT32);
    SplittableRandom r = new SplittableRandom(seed);
    for (String name : s.names()) {
      NDArray mean = s.runningMean(name);
      NDArray var = s.runningVar(name);
      int c = (int) mean.size();
      mean.set(floats(r.doubles(c, -0.5, 0.5).toArray()));
      var.set(floats(r.doubles(c, 0.5, 2).toArray()));
    }
    return s;
  }

  /** Images [n, 3, size, size] with values in ±2 (normalised-image range). */
  static NDArray images(NDManager m, int n, int size, long seed) {
    double[] v = new SplittableRandom(seed).doubles((long) n * 3 * size * size, -2, 2).toArray();
    return Tensors.fromDoubles(m, v, new Shape(n, 3, size, size), DataType.FLOAT32);
  }

  private static long[] toLong(int[] s) {
    long[] l = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      l[i] = s[i];
    }
    return l;
  }

  private static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
