package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the graph GHN-3 reads straight from an ONNX node list, without making it executable: the
 * route for networks the executable importer ({@link OnnxImporter}) does not take, such as opset-14
 * exports of ViT and ConvNeXt, whose LayerNorm, GELU and multi-head attention come decomposed into
 * primitive ops.
 *
 * <p>Every tensor carries the set of graph nodes it depends on through ops the GHN does not see
 * (ghn3's {@code reduce_graph} contracts them the same way). Visible nodes, in ghn3's terms:
 *
 * <ul>
 *   <li>{@code Conv} with its weight: {@code conv}, {@code sep_conv} (groups &gt; 1) or {@code
 *       dil_conv} (groups &gt; 1 and dilation &gt; 1), then a {@code bias} node for its bias;
 *   <li>{@code MatMul}/{@code Gemm} by a parameter (possibly through a {@code Transpose}): a linear
 *       layer, ghn3's {@code conv} with the {@code [out, in]} weight, then {@code bias} when a bias
 *       parameter is added; this covers attention's packed {@code in_proj_weight}/{@code
 *       in_proj_bias};
 *   <li>the decomposed LayerNorm {@code ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div,
 *       Mul(weight), Add(bias)}: one {@code ln} node owning weight and bias, recognised by the
 *       {@code Div} of a centred input the weight multiplies;
 *   <li>{@code Softmax}: {@code msa}, ghn3's node for multi-head attention (its projections are the
 *       linear layers around it); ghn3's {@code fix_softmax_edges} then drops the edges that bypass
 *       it;
 *   <li>{@code Add} of a 3-D parameter {@code [1, tokens, dim]} (ViT's positional embedding): a
 *       {@code pos_enc} node without inputs (ghn3 links the input only to weights) summed into the
 *       tokens; its shape is given 4-D, {@code [1, dim, ⌊√tokens⌋, ⌊√tokens⌋]}, as ghn3 does;
 *   <li>{@code Add} or {@code Concat} of at least two data tensors: {@code sum}/{@code concat};
 *   <li>{@code BatchNormalization}: {@code bn}; {@code MaxPool}/{@code AveragePool}: pools with
 *       shape {@code [1, 1, k, k]}; {@code GlobalAveragePool} or a {@code ReduceMean} over two or
 *       more axes: {@code glob_avg}, and so is a 1×1 stride-1 {@code AveragePool} (how torch
 *       exports an adaptive pool that keeps the size, as AlexNet's and VGG's at 224×224); a product
 *       with a sigmoid-like gate of another tensor: {@code cse} (SiLU's {@code x · sigmoid(x)} is
 *       an activation).
 * </ul>
 *
 * <p>Everything else is invisible: activations (GELU's {@code Div, Erf, Add, Mul, Mul} included),
 * reshapes, transposes, shape arithmetic ({@code Shape} outputs carry no data), a product with a
 * parameter that is not a norm weight (ConvNeXt's {@code layer_scale}: no node, so GHN-3 leaves it
 * unpredicted, as ghn3 does) and a concatenated parameter (ViT's {@code class_token}, likewise).
 * ghn3's {@code fix_weight_edges} repairs edge directions of its autograd traversal; a dataflow
 * graph has them right by construction.
 *
 * <p>One unit (~470 lines): a single pass over the ONNX nodes that decides, op by op, what becomes
 * a GHN-3 node and what stays invisible; ghn3's clean-up rules are in {@link Ghn3Rules}.
 */
final class Ghn3Dataflow {

  /** What is known about one tensor of the ONNX graph. */
  private record Tensor(Set<Integer> sources, String param, String producer) {
    static final Tensor EMPTY = new Tensor(Set.of(), null, null);

    boolean isData() {
      return !sources.isEmpty();
    }
  }

  private final String where;
  private final Map<String, int[]> initializers = new HashMap<>();
  private final Map<String, Tensor> tensors = new HashMap<>();
  private final Map<String, OnnxMl.NodeProto> producers = new HashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Set<String> owned = new HashSet<>();
  private final Set<String> aliases = new HashSet<>();
  private boolean sigmoidGates;

  private Ghn3Dataflow(String where) {
    this.where = where;
  }

  /** The GHN-3 graph of {@code model}; {@code where} (the file) prefixes errors. */
  static Graph build(OnnxMl.ModelProto model, String where) {
    return new Ghn3Dataflow(where).run(model.getGraph());
  }

  private Graph run(OnnxMl.GraphProto g) {
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      initializers.put(t.getName(), t.getDimsList().stream().mapToInt(Long::intValue).toArray());
    }
    // PyTorch's exporter writes equal tensors (e.g. the all-ones BatchNorm weights of an untrained
    // net) once and the
    // others as Identity nodes of that initializer, named by their own state_dict names: those are
    // parameters too
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("Identity")
          && n.getInputCount() == 1
          && initializers.containsKey(n.getInput(0))
          && !initializers.containsKey(n.getOutput(0))) {
        initializers.put(n.getOutput(0), initializers.get(n.getInput(0)));
        aliases.add(n.getOutput(0));
      }
    }
    String input = null;
    for (OnnxMl.ValueInfoProto v : g.getInputList()) {
      if (!initializers.containsKey(v.getName())) {
        if (input != null) {
          throw new IllegalArgumentException(
              where
                  + ": more than one graph input ("
                  + input
                  + ", "
                  + v.getName()
                  + "); a GHN graph has one image input");
        }
        input = v.getName();
      }
    }
    if (input == null) {
      throw new IllegalArgumentException(where + ": the graph has no input");
    }
    nodes.add(new Node("input", Primitive.INPUT, null, null, 0, List.of(), new int[0]));
    tensors.put(input, new Tensor(Set.of(0), null, null));
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      for (String o : n.getOutputList()) {
        producers.put(o, n);
      }
      node(n);
    }
    if (g.getOutputCount() != 1) {
      throw new IllegalArgumentException(
          where + ": " + g.getOutputCount() + " graph outputs; expected one (logits)");
    }
    Set<Integer> out = tensor(g.getOutput(0).getName()).sources();
    if (out.size() != 1 || out.iterator().next() != nodes.size() - 1) {
      throw new IllegalArgumentException(
          where
              + ": the output '"
              + g.getOutput(0).getName()
              + "' is not computed by "
              + "the last visible node (it depends on "
              + out
              + " of "
              + nodes.size()
              + " nodes)");
    }
    return Graph.of(Ghn3Rules.apply(nodes, sigmoidGates), 1);
  }

  private Tensor tensor(String name) {
    if (name.isEmpty()) {
      return Tensor.EMPTY;
    }
    Tensor t = tensors.get(name);
    if (t != null) {
      return t;
    }
    if (initializers.containsKey(name)) {
      return new Tensor(Set.of(), name, null);
    }
    return Tensor.EMPTY; // a Constant's output or an optional input
  }

  private void node(OnnxMl.NodeProto n) {
    NodeAttributes a = new NodeAttributes(n);
    List<Tensor> in = new ArrayList<>();
    for (String s : n.getInputList()) {
      in.add(tensor(s));
    }
    switch (n.getOpType()) {
      case "Shape", "Size", "Constant", "ConstantOfShape" -> set(n, Tensor.EMPTY);
      case "Identity" -> {
        if (!aliases.contains(n.getOutput(0))) { // an alias is a parameter of its own (see run)
          set(n, through(n, in));
        }
      }
      case "Conv" -> conv(n, a, in);
      case "MatMul", "Gemm" -> linear(n, a, in);
      case "Add" -> add(n, in);
      case "Mul" -> mul(n, in);
      case "Softmax" -> set(n, visible(n.getOutput(0), Primitive.MSA, null, List.of(), union(in)));
      case "Concat" ->
          set(
              n,
              dataCount(in) >= 2
                  ? visible(n.getOutput(0), Primitive.CONCAT, null, List.of(), union(in))
                  : through(n, in));
      case "GlobalAveragePool" ->
          set(n, visible(n.getOutput(0), Primitive.GLOB_AVG, null, List.of(), union(in)));
      case "ReduceMean" ->
          set(
              n,
              a.ints("axes", new long[0]).length >= 2
                  ? visible(n.getOutput(0), Primitive.GLOB_AVG, null, List.of(), union(in))
                  : through(n, in));
      case "MaxPool", "AveragePool" -> {
        long[] k = a.ints("kernel_shape", new long[] {1, 1});
        if (n.getOpType().equals("AveragePool")
            && isOnes(k)
            && isOnes(a.ints("strides", new long[] {1}))) {
          // torch exports AdaptiveAvgPool2d whose output size equals its input's (AlexNet's 6×6,
          // VGG's 7×7 at
          // 224×224) as a 1×1 AveragePool; ghn3 sees the module, a glob_avg without shape
          set(n, visible(n.getOutput(0), Primitive.GLOB_AVG, null, List.of(), union(in)));
          return;
        }
        Primitive p = n.getOpType().equals("MaxPool") ? Primitive.MAX_POOL : Primitive.AVG_POOL;
        set(
            n,
            visible(
                n.getOutput(0),
                p,
                new int[] {1, 1, (int) k[0], (int) k[k.length - 1]},
                List.of(),
                union(in)));
      }
      case "BatchNormalization" -> {
        List<ParamSpec> ps = List.of(spec(n.getInput(1), true), spec(n.getInput(2), false));
        set(n, visible(n.getInput(1), Primitive.BN, shape(n.getInput(1)), ps, in.get(0).sources()));
      }
      case "HardSigmoid", "HardSwish" -> {
        sigmoidGates = true; // ghn3 looks for "sigmoid" or "swish" in autograd op names
        set(n, through(n, in));
      }
      default -> set(n, through(n, in));
    }
  }

  /**
   * An invisible op: the union of its inputs' sources; a lone parameter passes through (Transpose,
   * Expand...).
   */
  private Tensor through(OnnxMl.NodeProto n, List<Tensor> in) {
    Set<Integer> s = union(in);
    String param = null;
    if (s.isEmpty()) {
      for (Tensor t : in) {
        if (t.param() != null) {
          param = param == null ? t.param() : param;
        }
      }
    }
    return new Tensor(s, param, n.getOpType());
  }

  private void conv(OnnxMl.NodeProto n, NodeAttributes a, List<Tensor> in) {
    String w = in.get(1).param();
    if (w == null) {
      throw new IllegalArgumentException(
          where
              + ": node '"
              + n.getName()
              + "' (Conv): its weight is not a parameter "
              + "(an initializer); a GHN predicts only stored weights");
    }
    long groups = a.i("group", 1);
    long dilation = Long.MAX_VALUE;
    for (long d : a.ints("dilations", new long[] {1})) {
      dilation = Math.min(d, dilation);
    }
    Primitive p =
        groups > 1 ? (dilation > 1 ? Primitive.DIL_CONV : Primitive.SEP_CONV) : Primitive.CONV;
    Tensor t = visible(w, p, shape(w), List.of(spec(w, true)), in.get(0).sources());
    if (in.size() > 2 && in.get(2).param() != null) {
      String b = in.get(2).param();
      t = visible(b, Primitive.BIAS, shape(b), List.of(spec(b, false)), t.sources());
    }
    set(n, t);
  }

  private void linear(OnnxMl.NodeProto n, NodeAttributes a, List<Tensor> in) {
    Tensor x = in.get(0);
    Tensor w = in.get(1);
    if (!x.isData() || w.isData() || w.param() == null) {
      set(
          n,
          through(
              n, in)); // a product of activations (attention's scores and values) or of constants
      return;
    }
    String wn = w.param();
    int[] ws = shape(wn);
    if (ws.length != 2) {
      throw new IllegalArgumentException(
          where
              + ": node '"
              + n.getName()
              + "' ("
              + n.getOpType()
              + ") multiplies by "
              + "parameter '"
              + wn
              + "' of shape "
              + java.util.Arrays.toString(ws)
              + "; a linear layer's weight is 2-D");
    }
    Tensor t = visible(wn, Primitive.CONV, ws, List.of(spec(wn, true)), x.sources());
    if (n.getOpType().equals("Gemm") && in.size() > 2 && in.get(2).param() != null) {
      String b = in.get(2).param();
      t = visible(b, Primitive.BIAS, shape(b), List.of(spec(b, false)), t.sources());
    }
    set(n, t);
  }

  private void add(OnnxMl.NodeProto n, List<Tensor> in) {
    if (in.size() == 2 && in.get(0).isData() != in.get(1).isData()) {
      Tensor x = in.get(0).isData() ? in.get(0) : in.get(1);
      String p = (in.get(0).isData() ? in.get(1) : in.get(0)).param();
      if (p != null && !owned.contains(p)) {
        int[] s = shape(p);
        if (isTokenShape(s)) {
          Tensor pos = visible(p, Primitive.POS_ENC, s, List.of(spec(p, true)), Set.of());
          Set<Integer> both = new LinkedHashSet<>(x.sources());
          both.addAll(pos.sources());
          set(n, visible(n.getOutput(0), Primitive.SUM, null, List.of(), both));
          return;
        }
        if (s.length == 1
            && p.endsWith("bias")) { // ghn3 (ppuda's get_conv_name): a bias is named so
          set(n, visible(p, Primitive.BIAS, s, List.of(spec(p, false)), x.sources()));
          return;
        }
      }
      set(n, through(n, in));
      return;
    }
    Set<Integer> u = union(in);
    set(
        n,
        dataCount(in) >= 2 && u.size() >= 2
            ? visible(n.getOutput(0), Primitive.SUM, null, List.of(), u)
            : through(n, in));
  }

  private void mul(OnnxMl.NodeProto n, List<Tensor> in) {
    if (in.size() == 2 && in.get(0).isData() != in.get(1).isData()) {
      Tensor x = in.get(0).isData() ? in.get(0) : in.get(1);
      String p = (in.get(0).isData() ? in.get(1) : in.get(0)).param();
      String src = in.get(0).isData() ? n.getInput(0) : n.getInput(1);
      if (p != null && p.endsWith(".weight") && shape(p).length == 1 && isNormalized(src)) {
        String bias = p.substring(0, p.length() - ".weight".length()) + ".bias";
        List<ParamSpec> ps =
            initializers.containsKey(bias)
                ? List.of(spec(p, true), spec(bias, false))
                : List.of(spec(p, true));
        set(n, visible(p, Primitive.LN, shape(p), ps, x.sources()));
        return;
      }
      set(
          n,
          through(
              n, in)); // layer_scale and other products with a parameter or a constant: not seen
      return;
    }
    if (dataCount(in) == 2
        && (isGate(n.getInput(0), n.getInput(1)) || isGate(n.getInput(1), n.getInput(0)))) {
      sigmoidGates = true;
      set(n, visible(n.getOutput(0), Primitive.CSE, null, List.of(), union(in)));
      return;
    }
    set(n, through(n, in));
  }

  /**
   * Whether tensor {@code name} is a LayerNorm's normalised input: {@code Div(Sub(x,
   * ReduceMean(x)), ...)}.
   */
  private boolean isNormalized(String name) {
    OnnxMl.NodeProto div = producers.get(name);
    if (div == null || !div.getOpType().equals("Div")) {
      return false;
    }
    OnnxMl.NodeProto sub = producers.get(div.getInput(0));
    if (sub == null || !sub.getOpType().equals("Sub")) {
      return false;
    }
    OnnxMl.NodeProto mean = producers.get(sub.getInput(1));
    return mean != null
        && mean.getOpType().equals("ReduceMean")
        && mean.getInput(0).equals(sub.getInput(0));
  }

  /**
   * Whether {@code gate} is a sigmoid-like gate of {@code x} computed from something else (the
   * excitation of a squeeze-and-excitation block), not {@code sigmoid(x)} itself: {@code x ·
   * sigmoid(x)} is SiLU, an activation (ghn3 sees it as {@code SiluBackward}, neither a gate nor a
   * "sigmoid" op).
   */
  private boolean isGate(String gate, String x) {
    OnnxMl.NodeProto p = producers.get(gate);
    return p != null
        && (p.getOpType().equals("Sigmoid") || p.getOpType().equals("HardSigmoid"))
        && !p.getInput(0).equals(x);
  }

  private Tensor visible(
      String name, Primitive p, int[] shape, List<ParamSpec> params, Set<Integer> inputs) {
    for (ParamSpec s : params) {
      if (!owned.add(s.name())) {
        throw new IllegalArgumentException(
            where
                + ": parameter '"
                + s.name()
                + "' is used by two layers; a GHN "
                + "predicts each parameter once");
      }
    }
    int[] ins = inputs.stream().mapToInt(Integer::intValue).sorted().toArray();
    nodes.add(new Node(name, p, null, shape4d(shape), 0, params, ins));
    return new Tensor(Set.of(nodes.size() - 1), null, p.refName());
  }

  private static boolean isOnes(long[] v) {
    for (long x : v) {
      if (x != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * A token shape {@code [1, tokens, dim]} (both above 1), which ghn3 shows to the shape encoder
   * 4-D.
   */
  private static boolean isTokenShape(int[] s) {
    return s != null && s.length == 3 && s[0] == 1 && Math.min(s[1], s[2]) > 1;
  }

  /**
   * ghn3's 4-D view of a token shape: {@code [1, tokens, dim]} → {@code [1, dim, ⌊√tokens⌋,
   * ⌊√tokens⌋]}.
   */
  private static int[] shape4d(int[] s) {
    if (!isTokenShape(s)) {
      return s;
    }
    int side = (int) Math.floor(Math.sqrt(s[1]));
    return new int[] {1, s[2], side, side};
  }

  private void set(OnnxMl.NodeProto n, Tensor t) {
    for (String o : n.getOutputList()) {
      tensors.put(o, t);
    }
  }

  private static Set<Integer> union(List<Tensor> in) {
    Set<Integer> s = new LinkedHashSet<>();
    for (Tensor t : in) {
      s.addAll(t.sources());
    }
    return s;
  }

  private static int dataCount(List<Tensor> in) {
    int k = 0;
    for (Tensor t : in) {
      k += t.isData() ? 1 : 0;
    }
    return k;
  }

  private int[] shape(String param) {
    return initializers.get(param).clone();
  }

  private ParamSpec spec(String param, boolean isWeight) {
    if (!initializers.containsKey(param)) {
      throw new IllegalArgumentException(where + ": '" + param + "' is not an initializer");
    }
    return new ParamSpec(param, shape(param), isWeight);
  }
}
