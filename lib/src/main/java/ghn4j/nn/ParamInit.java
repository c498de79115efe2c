package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random initial parameters for a graph, following torchvision's model initialisation
 * (ResNet, VGG, MobileNetV2 all use it for their convolutions and norms):
 *
 * <ul>
 *   <li>convolution weights: Kaiming normal, {@code mode='fan_out', nonlinearity='relu'}: std = √(2
 *       / fan_out), with fan_out = out_channels · kh · kw (PyTorch counts a grouped conv's fan_out
 *       the same way);
 *   <li>linear weights and biases: PyTorch's {@code nn.Linear} default, uniform in ±1/√fan_in
 *       (torchvision keeps this for ResNet's {@code fc});
 *   <li>convolution biases: 0; BatchNorm/LayerNorm: weight 1, bias 0; positional encodings: normal,
 *       std 0.02.
 * </ul>
 *
 * Numbers are drawn in Java from a {@link SplittableRandom} seeded by {@code seed} and the
 * parameter's name, so the result does not depend on the engine's generator or on the order of
 * initialisation.
 */
public final class ParamInit {

  private ParamInit() {}

  /**
   * Fresh parameters for every {@link ParamSpec} of {@code graph}, in {@code manager}, in
   * state_dict order.
   */
  public static Map<String, NDArray> torchvision(
      Graph graph, long seed, NDManager manager, DataType dtype) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      for (int k = 0; k < node.params().size(); k++) {
        ParamSpec p = node.params().get(k);
        double[] v =
            values(
                graph,
                node,
                k,
                new SplittableRandom(seed ^ (p.name().hashCode() * 0x9E3779B97F4A7C15L)));
        long[] shape = java.util.Arrays.stream(p.shape()).asLongStream().toArray();
        // not create(v).toType(dtype, true): for float64 that aliases a freed Java buffer (see
        // Tensors)
        out.put(p.name(), Tensors.fromDoubles(manager, v, new Shape(shape), dtype));
      }
    }
    return out;
  }

  private static double[] values(Graph graph, Node node, int k, SplittableRandom rnd) {
    ParamSpec p = node.params().get(k);
    double[] v = new double[(int) p.numel()];
    if (node.op() instanceof Ops.Conv) {
      int[] s = p.shape();
      double std = Math.sqrt(2.0 / ((double) s[0] * s[2] * s[3]));
      for (int i = 0; i < v.length; i++) {
        v[i] = std * gaussian(rnd);
      }
    } else if (node.op() instanceof Ops.Linear) {
      uniform(v, 1.0 / Math.sqrt(p.dim(1)), rnd);
    } else if (node.op() instanceof Ops.Bias) {
      Node producer = graph.node(node.input(0));
      if (producer.op() instanceof Ops.Linear) {
        uniform(v, 1.0 / Math.sqrt(producer.params().get(0).dim(1)), rnd);
      }
    } else if (node.op() instanceof Ops.BatchNorm || node.op() instanceof Ops.LayerNorm) {
      if (k == 0) {
        java.util.Arrays.fill(v, 1.0);
      }
    } else {
      for (int i = 0; i < v.length; i++) {
        v[i] = 0.02 * gaussian(rnd);
      }
    }
    return v;
  }

  private static void uniform(double[] v, double bound, SplittableRandom rnd) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (2 * rnd.nextDouble() - 1) * bound;
    }
  }

  /** Standard normal by Box–Muller (SplittableRandom has no nextGaussian in Java 17). */
  private static double gaussian(SplittableRandom rnd) {
    double u1 = 1.0 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
