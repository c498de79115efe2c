package ghn4j.zoo;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends nodes to an executable graph in ppuda's node conventions, module by module, so that
 * parameters come out in PyTorch {@code state_dict} order: a convolution or linear layer is a node
 * named by its weight (primitive {@code conv}, or {@code sep_conv}/{@code dil_conv} for a grouped
 * conv, shape = the weight's shape), its bias a separate {@code bias} node; a BatchNorm is one node
 * named by its weight holding weight and bias; activations, flatten and dropout have no primitive
 * (ppuda drops them). Each method returns the new node's index.
 */
public final class GraphBuilder {

  /** PyTorch's BatchNorm2d defaults. */
  private static final double BN_EPS = 1e-5;

  private static final double BN_MOMENTUM = 0.1;

  private final List<Node> nodes = new ArrayList<>();

  /** A builder holding only the input node (index 0). */
  public GraphBuilder() {
    nodes.add(new Node("input", Primitive.INPUT, new Ops.Input(), null, 0, List.of(), new int[0]));
  }

  /** Index of the input node. */
  public int input() {
    return 0;
  }

  /** Appends any node; returns its index. */
  public int add(
      String name, Primitive primitive, Op op, int[] shape, List<ParamSpec> params, int... inputs) {
    nodes.add(new Node(name, primitive, op, shape, 0, params, inputs));
    return nodes.size() - 1;
  }

  /** A bias-free 2-D convolution {@code module} with a square kernel. */
  public int conv(
      String module, int in, int out, int kernel, int stride, int padding, int groups, int x) {
    int[] shape = {out, in / groups, kernel, kernel};
    // ppuda's get_conv_name: a grouped conv is a separable conv ("sep_conv"; "dil_conv" if
    // dilated).
    Primitive prim = groups > 1 ? Primitive.SEP_CONV : Primitive.CONV;
    String w = module + ".weight";
    return add(
        w,
        prim,
        Ops.Conv.of(stride, padding, 1, groups),
        shape,
        List.of(new ParamSpec(w, shape, true)),
        x);
  }

  /** The bias {@code module.bias} of a conv or linear layer with {@code c} outputs. */
  public int bias(String module, int c, int x) {
    String b = module + ".bias";
    int[] shape = {c};
    return add(
        b, Primitive.BIAS, new Ops.Bias(), shape, List.of(new ParamSpec(b, shape, false)), x);
  }

  /** BatchNorm2d {@code module} over {@code c} channels (eps 1e-5, momentum 0.1). */
  public int batchNorm(String module, int c, int x) {
    String w = module + ".weight";
    int[] shape = {c};
    return add(
        w,
        Primitive.BN,
        new Ops.BatchNorm(BN_EPS, BN_MOMENTUM),
        shape,
        List.of(new ParamSpec(w, shape, true), new ParamSpec(module + ".bias", shape, false)),
        x);
  }

  /**
   * A linear layer {@code module} with bias: a weight node (primitive {@code conv}, as ppuda labels
   * linear layers) followed by its bias node. Returns the bias node.
   */
  public int linear(String module, int in, int out, int x) {
    String w = module + ".weight";
    int[] shape = {out, in};
    int weight =
        add(w, Primitive.CONV, new Ops.Linear(), shape, List.of(new ParamSpec(w, shape, true)), x);
    return bias(module, out, weight);
  }

  /** An element-wise activation ({@code relu}, {@code relu6}, ...), invisible to the GHN. */
  public int activation(String fn, int x) {
    return add(fn, null, new Ops.Activation(fn), null, List.of(), x);
  }

  /** A residual sum. */
  public int sum(String name, int... xs) {
    return add(name, Primitive.SUM, new Ops.Sum(), null, List.of(), xs);
  }

  /** Max pooling; ppuda's shape for pooling nodes is {@code [1, 1, k, k]}. */
  public int maxPool(String name, int kernel, int stride, int padding, int x) {
    return add(
        name,
        Primitive.MAX_POOL,
        new Ops.MaxPool(kernel, stride, padding),
        new int[] {1, 1, kernel, kernel},
        List.of(),
        x);
  }

  /** Mean over H and W ({@code [N, C]}). */
  public int globalAvgPool(String name, int x) {
    return add(name, Primitive.GLOB_AVG, new Ops.GlobalAvgPool(), null, List.of(), x);
  }

  /**
   * Adaptive average pooling to {@code out × out}; ppuda labels PyTorch's {@code AdaptiveAvgPool2D}
   * node {@code glob_avg} without a shape.
   */
  public int adaptiveAvgPool(String name, int out, int x) {
    return add(name, Primitive.GLOB_AVG, new Ops.AdaptiveAvgPool(out, out), null, List.of(), x);
  }

  /** {@code torch.flatten(x, 1)}, invisible to the GHN. */
  public int flatten(int x) {
    return add("flatten", null, new Ops.Flatten(), null, List.of(), x);
  }

  /** Dropout, invisible to the GHN. */
  public int dropout(double p, int x) {
    return add("dropout", null, new Ops.Dropout(p), null, List.of(), x);
  }

  /** The graph (validated: topological, every node reaching the last one). */
  public Graph build() {
    return Graph.of(nodes, 1);
  }
}
