package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import ghn4j.onnx.ShapeArithmetic.Constant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps the nodes of an ONNX graph onto an executable ghn4j {@link Graph} that is the graph ppuda's
 * {@code Graph(model)} builds for the torch module the file was exported from
 * (ppuda/deepnets1m/graph.py, its {@code MODULES} table):
 *
 * <ul>
 *   <li>{@code Conv} → a node named by its weight ({@code conv}; {@code sep_conv} when grouped,
 *       {@code dil_conv} when grouped and dilated, as ppuda's {@code get_conv_name}) and, with a
 *       bias, a {@code bias} node after it;
 *   <li>{@code Gemm}, or {@code MatMul} + {@code Add} of a bias → a linear layer: weight node
 *       ({@code conv}, shape {@code [out, in]}) and {@code bias} node;
 *   <li>{@code BatchNormalization} → {@code bn} holding weight and bias (the running statistics are
 *       buffers);
 *   <li>{@code MaxPool}/{@code AveragePool} → {@code max_pool}/{@code avg_pool} with shape {@code
 *       [1, 1, k, k]}; a {@code Pad} before a pool or convolution is folded into it;
 *   <li>{@code GlobalAveragePool} and {@code ReduceMean} over H, W with {@code keepdims=1} → {@code
 *       glob_avg} (PyTorch's 1×1 adaptive pooling is a {@code mean(keepdim=True)}, which ppuda
 *       keeps); {@code ReduceMean} with {@code keepdims=0} is {@code x.mean([2, 3])}, which ppuda's
 *       filter drops (MNASNet, ShuffleNetV2);
 *   <li>{@code Add} of two tensors → {@code sum}, {@code Concat} → {@code concat}, each only when
 *       more than one distinct visible node feeds it (ppuda's filter);
 *   <li>parameter-free ops without a primitive (ppuda drops them): activations ({@code Relu},
 *       {@code Clip} as ReLU6, {@code Sigmoid}, {@code HardSigmoid}, {@code HardSwish}, {@code
 *       Tanh}), {@code x·sigmoid(x)} (SiLU) and {@code x·hardsigmoid(x)} (hard-swish) as one
 *       activation, a squeeze-and-excitation {@code Mul} (channel scaling; ppuda's positional
 *       {@code cse} test never fires on torchvision's SE blocks, whose node two places before the
 *       product is the second SE convolution's bias), {@code Flatten}, flattening {@code Reshape},
 *       channel shuffles ({@code Reshape → Transpose → Reshape}), {@code Split}/{@code Slice} along
 *       channels, {@code Dropout}, {@code Identity}, {@code Cast}; shape arithmetic is evaluated
 *       and disappears.
 * </ul>
 *
 * Anything else fails with the file, the node's name and op type and the list of supported ops.
 */
final class OnnxImporter {

  /**
   * The op types the importer maps (besides the shape arithmetic of {@link ShapeArithmetic#OPS}).
   */
  static final Set<String> SUPPORTED =
      new TreeSet<>(
          List.of(
              "Conv",
              "Gemm",
              "MatMul",
              "BatchNormalization",
              "Relu",
              "Clip",
              "Sigmoid",
              "HardSigmoid",
              "HardSwish",
              "Tanh",
              "Add",
              "Mul",
              "Concat",
              "MaxPool",
              "AveragePool",
              "GlobalAveragePool",
              "ReduceMean",
              "Flatten",
              "Reshape",
              "Transpose",
              "Split",
              "Slice",
              "Pad",
              "Dropout",
              "Identity",
              "Cast",
              "Constant",
              "Shape"));

  /**
   * Symbolic spatial sizes are taken as CIFAR's 32 for shape arithmetic (only reshapes of feature
   * maps use them).
   */
  private static final int DEFAULT_SIDE = 32;

  /** What an ONNX value name stands for during the import. */
  private sealed interface Value permits NodeValue, ConstValue, InitValue, ShuffleValue {}

  /**
   * The output of graph node {@code node} with static {@code shape} (batch 1); {@code pad} is a
   * pending zero padding {@code [ph, pw]} from a {@code Pad} that the next convolution or pool
   * absorbs, else null.
   */
  private record NodeValue(int node, long[] shape, int[] pad) implements Value {}

  private record ConstValue(Constant constant) implements Value {}

  /**
   * An initializer, possibly seen through a {@code Transpose} (2-D) or under another name:
   * PyTorch's exporter writes equal tensors once ({@code source}) and the others as {@code
   * Identity} nodes of it named by their own {@code state_dict} name ({@code name}) — all BatchNorm
   * weights of an untrained net, for instance.
   */
  private record InitValue(String name, String source, long[] dims, boolean transposed)
      implements Value {}

  /**
   * A channel shuffle in progress: the 5-D view of {@code node} ({@code [N, g, C/g, H, W]}),
   * transposed or not.
   */
  private record ShuffleValue(int node, long[] inShape, int groups, boolean transposed)
      implements Value {}

  /** The import's result. */
  record Result(Graph graph, List<ParamBinding> bindings, String inputName, long[] inputShape) {}

  private final Path file;
  private final OnnxMl.GraphProto g;
  private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
  private final Map<String, Value> values = new HashMap<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<long[]> shapes = new ArrayList<>();
  private final List<ParamBinding> bindings = new ArrayList<>();
  private final Set<String> usedParams = new java.util.HashSet<>();
  private OnnxMl.NodeProto current;

  private OnnxImporter(Path file, OnnxMl.GraphProto g) {
    this.file = file;
    this.g = g;
  }

  /** Imports {@code g} (read from {@code file}, named in errors). */
  static Result importGraph(Path file, OnnxMl.ModelProto model, boolean acceptFoldedBatchNorm) {
    OnnxImporter im = new OnnxImporter(file, model.getGraph());
    if (!acceptFoldedBatchNorm) {
      FoldedBatchNorm.check(file, model.getGraph());
    }
    return im.run();
  }

  private Result run() {
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    OnnxMl.ValueInfoProto input = imageInput();
    long[] inShape = inputShape(input);
    nodes.add(new Node("input", Primitive.INPUT, new Ops.Input(), null, 0, List.of(), new int[0]));
    shapes.add(inShape);
    values.put(input.getName(), new NodeValue(0, inShape, null));
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      current = n;
      if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
        throw unsupported("its domain '" + n.getDomain() + "' is not the standard ONNX domain");
      }
      mapNode(n);
    }
    current = null;
    if (g.getOutputCount() == 0) {
      throw new IllegalArgumentException(file + ": the graph has no output");
    }
    // ppuda follows the first output only (e.g. not auxiliary classifiers)
    String outName = g.getOutput(0).getName();
    Value out = values.get(outName);
    if (!(out instanceof NodeValue nv) || nv.pad() != null) {
      throw new IllegalArgumentException(
          file + ": the graph output '" + outName + "' is not computed from the input");
    }
    Graph graph = finish(nv.node());
    List<ParamBinding> b = new ArrayList<>();
    Set<String> inGraph = new java.util.HashSet<>();
    for (ParamSpec p : graph.params()) {
      inGraph.add(p.name());
    }
    for (ParamBinding pb : bindings) {
      if (inGraph.contains(pb.param())) {
        b.add(pb);
      }
    }
    return new Result(graph, b, input.getName(), inShape);
  }

  // ---------------------------------------------------------------------------------------------------- input

  private OnnxMl.ValueInfoProto imageInput() {
    List<OnnxMl.ValueInfoProto> real = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : g.getInputList()) {
      if (!initializers.containsKey(v.getName())) {
        real.add(v);
      }
    }
    if (real.size() != 1) {
      throw new IllegalArgumentException(
          file
              + ": expected one image input [N, 3, H, W], found "
              + real.size()
              + " graph inputs "
              + real.stream().map(OnnxMl.ValueInfoProto::getName).toList());
    }
    return real.get(0);
  }

  private long[] inputShape(OnnxMl.ValueInfoProto v) {
    OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
    List<String> dims = new ArrayList<>();
    for (OnnxMl.TensorShapeProto.Dimension d : t.getShape().getDimList()) {
      dims.add(
          d.hasDimValue()
              ? Long.toString(d.getDimValue())
              : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
    }
    String where = file + ": input '" + v.getName() + "' has shape " + dims;
    if (!v.getType().hasTensorType() || !t.hasShape()) {
      throw new IllegalArgumentException(
          file + ": input '" + v.getName() + "' has no tensor shape; expected " + "[N, 3, H, W]");
    }
    if (dims.size() != 4) {
      throw new IllegalArgumentException(
          where
              + " (rank "
              + dims.size()
              + "); ghn4j imports image classifiers "
              + "whose one input is [N, 3, H, W]");
    }
    OnnxMl.TensorShapeProto.Dimension c = t.getShape().getDim(1);
    if (!c.hasDimValue() || c.getDimValue() != 3) {
      throw new IllegalArgumentException(where + "; expected 3 channels: [N, 3, H, W]");
    }
    if (t.getElemType() != 1) {
      throw new IllegalArgumentException(
          where
              + " of ONNX type "
              + OnnxMl.TensorProto.DataType.forNumber(t.getElemType())
              + "; expected FLOAT");
    }
    long[] s = {1, 3, DEFAULT_SIDE, DEFAULT_SIDE};
    for (int i = 2; i < 4; i++) {
      OnnxMl.TensorShapeProto.Dimension d = t.getShape().getDim(i);
      if (d.hasDimValue() && d.getDimValue() > 0) {
        s[i] = d.getDimValue();
      }
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------------- nodes

  private void mapNode(OnnxMl.NodeProto n) {
    String op = n.getOpType();
    if (op.equals("Constant")) {
      values.put(n.getOutput(0), new ConstValue(constantAttr(n)));
      return;
    }
    if (op.equals("Shape")) {
      long[] s = shapeOf(n.getInput(0));
      long rank = s.length;
      long start = ShapeArithmetic.clampIndex(attrs().i("start", 0), rank);
      long end = ShapeArithmetic.clampIndex(attrs().i("end", rank), rank);
      values.put(
          n.getOutput(0),
          new ConstValue(Constant.vector(Arrays.copyOfRange(s, (int) start, (int) end))));
      return;
    }
    if (ShapeArithmetic.OPS.contains(op) && allConstant(n)) {
      List<Constant> in = new ArrayList<>();
      for (String name : n.getInputList()) {
        in.add(name.isEmpty() ? null : constant(name));
      }
      try {
        values.put(n.getOutput(0), new ConstValue(ShapeArithmetic.evaluate(op, in, attrs())));
      } catch (RuntimeException e) {
        throw unsupported("its constant inputs cannot be evaluated: " + e.getMessage());
      }
      return;
    }
    switch (op) {
      case "Conv" -> conv(n);
      case "Gemm" -> gemm(n);
      case "MatMul" -> matMul(n);
      case "BatchNormalization" -> batchNorm(n);
      case "Relu" -> activation(n, "relu");
      case "Sigmoid" -> activation(n, "sigmoid");
      case "Tanh" -> activation(n, "tanh");
      case "HardSwish" -> activation(n, "hardswish");
      case "HardSigmoid" -> hardSigmoid(n);
      case "Clip" -> clip(n);
      case "Add" -> add(n);
      case "Mul" -> mul(n);
      case "Concat" -> concat(n);
      case "MaxPool" -> maxPool(n);
      case "AveragePool" -> avgPool(n);
      case "GlobalAveragePool" -> globalAvgPool(n, true);
      case "ReduceMean" -> reduceMean(n);
      case "Flatten" -> flatten(n);
      case "Reshape" -> reshape(n);
      case "Transpose" -> transpose(n);
      case "Split" -> split(n);
      case "Slice" -> slice(n);
      case "Pad" -> pad(n);
      case "Dropout" -> dropout(n);
      case "Identity" -> identity(n);
      case "Cast" -> {
        if (attrs().i("to", 1) != 1) {
          throw unsupported(
              "it casts a feature map to ONNX type "
                  + attrs().i("to", 1)
                  + " (only FLOAT is supported)");
        }
        alias(n);
      }
      default -> throw unsupported(null);
    }
  }

  private void conv(OnnxMl.NodeProto n) {
    NodeValue x = node(n.getInput(0), true);
    InitValue w = init(n, 1, "weight");
    long[] wd = w.dims();
    if (wd.length != 4 || w.transposed()) {
      throw unsupported("only 2-D convolutions are supported (weight " + Arrays.toString(wd) + ")");
    }
    String autoPad = attrs().s("auto_pad", "NOTSET");
    if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
      throw unsupported("auto_pad " + autoPad + " is not supported; export with explicit pads");
    }
    int groups = (int) attrs().i("group", 1);
    int[] stride = ints(attrs().ints("strides", new long[] {1, 1}));
    int[] dil = ints(attrs().ints("dilations", new long[] {1, 1}));
    int[] pads = ints(attrs().ints("pads", new long[] {0, 0, 0, 0}));
    if (pads.length != 4 || pads[0] != pads[2] || pads[1] != pads[3]) {
      throw unsupported("asymmetric padding " + Arrays.toString(pads) + " is not supported");
    }
    int[] padding = {
      pads[0] + (x.pad() == null ? 0 : x.pad()[0]), pads[1] + (x.pad() == null ? 0 : x.pad()[1])
    };
    // ppuda's get_conv_name: a grouped conv is sep_conv, or dil_conv when also dilated
    Primitive prim =
        groups > 1
            ? (Math.min(dil[0], dil[1]) > 1 ? Primitive.DIL_CONV : Primitive.SEP_CONV)
            : Primitive.CONV;
    int[] shape = toInts(wd);
    long[] s = x.shape();
    if (s.length != 4 || s[1] != wd[1] * groups) {
      throw unsupported(
          "its input "
              + Arrays.toString(s)
              + " does not fit the weight "
              + Arrays.toString(wd)
              + " with "
              + groups
              + " groups");
    }
    long[] out = {
      s[0],
      wd[0],
      convOut(s[2], wd[2], stride[0], padding[0], dil[0], false),
      convOut(s[3], wd[3], stride[1], padding[1], dil[1], false)
    };
    int c =
        add(
            w.name(),
            prim,
            new Ops.Conv(stride, padding, dil, groups),
            shape,
            List.of(param(w, true)),
            out,
            x.node());
    if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
      InitValue b = init(n, 2, "bias");
      c =
          add(
              b.name(),
              Primitive.BIAS,
              new Ops.Bias(),
              toInts(b.dims()),
              List.of(param(b, false)),
              out,
              c);
    }
    values.put(n.getOutput(0), new NodeValue(c, out, null));
  }

  private void gemm(OnnxMl.NodeProto n) {
    if (attrs().i("transA", 0) != 0 || attrs().f("alpha", 1) != 1 || attrs().f("beta", 1) != 1) {
      throw unsupported("only Gemm with transA=0, alpha=1, beta=1 is a linear layer");
    }
    NodeValue x = node(n.getInput(0), false);
    InitValue w = init(n, 1, "weight");
    // transB=1 stores the weight as PyTorch does, [out, in]; transB=0 stores its transpose
    boolean transposed = attrs().i("transB", 0) == 0;
    InitValue b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? init(n, 2, "bias") : null;
    linear(n, x, new InitValue(w.name(), w.source(), w.dims(), w.transposed() != transposed), b);
  }

  private void matMul(OnnxMl.NodeProto n) {
    NodeValue x = node(n.getInput(0), false);
    Value wv = values.get(n.getInput(1));
    if (wv == null && initializers.containsKey(n.getInput(1))) {
      wv = initValue(n.getInput(1));
    }
    if (!(wv instanceof InitValue w)) {
      throw unsupported("only a MatMul by a weight initializer is supported (a linear layer)");
    }
    // MatMul(x, W) computes x·W, so the stored W is [in, out]: the transpose of PyTorch's weight
    linear(n, x, new InitValue(w.name(), w.source(), w.dims(), !w.transposed()), null);
  }

  /** A linear layer: weight node (ppuda labels it conv) and, if present, its bias node. */
  private void linear(OnnxMl.NodeProto n, NodeValue x, InitValue w, InitValue b) {
    long[] d = w.dims();
    if (d.length != 2) {
      throw unsupported(
          "its weight " + w.name() + " has dims " + Arrays.toString(d) + ", expected 2-D");
    }
    int[] shape =
        w.transposed() ? new int[] {(int) d[1], (int) d[0]} : new int[] {(int) d[0], (int) d[1]};
    long[] s = x.shape();
    if (s[s.length - 1] != shape[1]) {
      throw unsupported(
          "its input "
              + Arrays.toString(s)
              + " does not fit the weight [out, in] = "
              + Arrays.toString(shape));
    }
    long[] out = s.clone();
    out[out.length - 1] = shape[0];
    usedParam(w.name());
    bindings.add(new ParamBinding(w.name(), w.source(), w.transposed()));
    int k =
        add(
            w.name(),
            Primitive.CONV,
            new Ops.Linear(),
            shape,
            List.of(new ParamSpec(w.name(), shape, true)),
            out,
            x.node());
    if (b != null) {
      k = bias(b, out, k);
    }
    values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  private int bias(InitValue b, long[] out, int x) {
    long[] bd = b.dims();
    long c = out.length == 4 ? out[1] : out[out.length - 1];
    boolean fits =
        out.length == 4
            ? (bd.length == 3 && bd[0] == c && bd[1] == 1 && bd[2] == 1)
                || (bd.length == 1 && bd[0] == c && c == out[3] && out[2] == 1 && out[3] == 1)
            : ShapeArithmetic.prod(bd) == c && bd[bd.length - 1] == c;
    if (!fits) {
      throw unsupported(
          "the added initializer "
              + b.name()
              + " "
              + Arrays.toString(bd)
              + " is not a bias of "
              + Arrays.toString(out));
    }
    int[] shape = {(int) c};
    usedParam(b.name());
    bindings.add(new ParamBinding(b.name(), b.source(), false));
    return add(
        b.name(),
        Primitive.BIAS,
        new Ops.Bias(),
        shape,
        List.of(new ParamSpec(b.name(), shape, false)),
        out,
        x);
  }

  private void batchNorm(OnnxMl.NodeProto n) {
    for (int k = 1; k < n.getOutputCount(); k++) {
      if (!n.getOutput(k).isEmpty() && consumed(n.getOutput(k))) {
        throw unsupported(
            "its running-statistics outputs are used (training-mode export); export in eval mode "
                + "with TrainingMode.PRESERVE");
      }
    }
    NodeValue x = node(n.getInput(0), false);
    if (n.getInputCount() < 5) {
      throw unsupported("expected inputs X, scale, B, mean, var");
    }
    InitValue scale = init(n, 1, "scale (BatchNorm weight)");
    InitValue bias = init(n, 2, "B (BatchNorm bias)");
    if (x.shape().length != 4) {
      throw unsupported("only BatchNorm over [N, C, H, W] is supported");
    }
    int[] shape = toInts(scale.dims());
    double eps = attrs().f("epsilon", 1e-5);
    // ONNX's momentum weighs the old running value; PyTorch's the new batch value
    double momentum = 1.0 - attrs().f("momentum", 0.9);
    int k =
        add(
            scale.name(),
            Primitive.BN,
            new Ops.BatchNorm(eps, momentum, true),
            shape,
            List.of(param(scale, true), param(bias, false)),
            x.shape(),
            x.node());
    values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
  }

  private void activation(OnnxMl.NodeProto n, String fn) {
    NodeValue x = node(n.getInput(0), false);
    int k = add(nodeName(n), null, new Ops.Activation(fn), null, List.of(), x.shape(), x.node());
    values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
  }

  private void hardSigmoid(OnnxMl.NodeProto n) {
    double alpha = attrs().f("alpha", 0.2);
    double beta = attrs().f("beta", 0.5);
    if (Math.abs(alpha - 1.0 / 6) > 1e-6 || Math.abs(beta - 0.5) > 1e-6) {
      throw unsupported(
          "HardSigmoid with alpha "
              + alpha
              + ", beta "
              + beta
              + " is not PyTorch's hardsigmoid "
              + "(alpha 1/6, beta 0.5)");
    }
    activation(n, "hardsigmoid");
  }

  private void clip(OnnxMl.NodeProto n) {
    // opset 11+: min and max are optional inputs; before: attributes
    double min =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? scalar(n.getInput(1))
            : attrs().f("min", Double.NEGATIVE_INFINITY);
    double max =
        n.getInputCount() > 2 && !n.getInput(2).isEmpty()
            ? scalar(n.getInput(2))
            : attrs().f("max", Double.POSITIVE_INFINITY);
    if (min == 0 && max == 6) {
      activation(n, "relu6");
    } else if (min == 0 && (Double.isInfinite(max) || max >= Float.MAX_VALUE)) {
      activation(n, "relu");
    } else {
      throw unsupported("Clip(" + min + ", " + max + ") is neither ReLU nor ReLU6");
    }
  }

  private void add(OnnxMl.NodeProto n) {
    Value a = value(n.getInput(0));
    Value b = value(n.getInput(1));
    if (a instanceof InitValue || a instanceof ConstValue) {
      Value t = a;
      a = b;
      b = t;
    }
    if (a instanceof NodeValue x && b instanceof NodeValue y) {
      checkNoPad(x);
      checkNoPad(y);
      long[] out = broadcast(x.shape(), y.shape());
      int k =
          add(nodeName(n), Primitive.SUM, new Ops.Sum(), null, List.of(), out, x.node(), y.node());
      values.put(n.getOutput(0), new NodeValue(k, out, null));
    } else if (a instanceof NodeValue x && b instanceof InitValue bias && !bias.transposed()) {
      checkNoPad(x);
      values.put(n.getOutput(0), new NodeValue(bias(bias, x.shape(), x.node()), x.shape(), null));
    } else {
      throw unsupported("only the sum of two feature maps or a bias initializer is supported");
    }
  }

  private void mul(OnnxMl.NodeProto n) {
    Value a = value(n.getInput(0));
    Value b = value(n.getInput(1));
    if (a instanceof ConstValue) {
      Value t = a;
      a = b;
      b = t;
    }
    if (a instanceof NodeValue x && b instanceof ConstValue c && c.constant().numel() == 1) {
      checkNoPad(x);
      int k =
          add(
              nodeName(n),
              null,
              new Ops.Scale(c.constant().values()[0]),
              null,
              List.of(),
              x.shape(),
              x.node());
      values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
      return;
    }
    if (!(a instanceof NodeValue x) || !(b instanceof NodeValue y)) {
      throw unsupported(
          "only x·sigmoid(x) (SiLU), x·hardsigmoid(x) (hard-swish), a squeeze-and-excitation gate "
              + "or a scalar factor are supported");
    }
    checkNoPad(x);
    checkNoPad(y);
    // x · sigmoid(x) = SiLU, x · hardsigmoid(x) = hard-swish: one activation of x (the gate node is
    // left dead)
    for (NodeValue[] p : new NodeValue[][] {{x, y}, {y, x}}) {
      String fn = gateFn(p[1].node());
      if (fn != null && nodes.get(p[1].node()).input(0) == p[0].node()) {
        String act = fn.equals("sigmoid") ? "silu" : "hardswish";
        int k =
            add(
                nodeName(n),
                null,
                new Ops.Activation(act),
                null,
                List.of(),
                p[0].shape(),
                p[0].node());
        values.put(n.getOutput(0), new NodeValue(k, p[0].shape(), null));
        return;
      }
    }
    // squeeze-and-excitation: feature map [N, C, H, W] times a gate [N, C, 1, 1] computed from it
    NodeValue map = null;
    NodeValue gate = null;
    for (NodeValue[] p : new NodeValue[][] {{x, y}, {y, x}}) {
      long[] ms = p[0].shape();
      long[] gs = p[1].shape();
      boolean gateShape =
          gs.length == 4
              && ms.length == 4
              && gs[0] == ms[0]
              && gs[1] == ms[1]
              && gs[2] == 1
              && gs[3] == 1;
      if (gateShape && (gateFn(p[1].node()) != null || ms[2] * ms[3] > 1) && map == null) {
        map = p[0];
        gate = p[1];
      }
    }
    if (map == null) {
      throw unsupported(
          "a product of feature maps "
              + Arrays.toString(x.shape())
              + " and "
              + Arrays.toString(y.shape())
              + " that is neither SiLU, hard-swish nor a squeeze-and-excitation gate [N, C, 1, 1]");
    }
    int k =
        add(
            nodeName(n),
            null,
            new Ops.ChannelScale(),
            null,
            List.of(),
            map.shape(),
            map.node(),
            gate.node());
    values.put(n.getOutput(0), new NodeValue(k, map.shape(), null));
  }

  /** "sigmoid" or "hardsigmoid" if graph node {@code k} is that activation, else null. */
  private String gateFn(int k) {
    Op op = nodes.get(k).op();
    if (op instanceof Ops.Activation a
        && (a.fn().equals("sigmoid") || a.fn().equals("hardsigmoid"))) {
      return a.fn();
    }
    return null;
  }

  private void concat(OnnxMl.NodeProto n) {
    int axis = (int) attrs().i("axis", 0);
    List<Integer> in = new ArrayList<>();
    long[] out = null;
    for (String name : n.getInputList()) {
      NodeValue v = node(name, false);
      int r = v.shape().length;
      int ax = axis < 0 ? axis + r : axis;
      if (out == null) {
        out = v.shape().clone();
      } else {
        out[ax] += v.shape()[ax];
      }
      in.add(v.node());
    }
    int ax = axis < 0 ? axis + out.length : axis;
    int k =
        add(
            nodeName(n),
            Primitive.CONCAT,
            new Ops.Concat(ax),
            null,
            List.of(),
            out,
            in.stream().mapToInt(Integer::intValue).toArray());
    values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  /** kernel, stride, padding of a square 2-D pool; pending zero padding added to {@code extra}. */
  private int[] poolGeometry(NodeValue x) {
    int[] k = ints(attrs().ints("kernel_shape", null));
    int[] s = ints(attrs().ints("strides", new long[] {1, 1}));
    int[] p = ints(attrs().ints("pads", new long[] {0, 0, 0, 0}));
    int[] d = ints(attrs().ints("dilations", new long[] {1, 1}));
    String autoPad = attrs().s("auto_pad", "NOTSET");
    if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
      throw unsupported("auto_pad " + autoPad + " is not supported; export with explicit pads");
    }
    if (k == null
        || k.length != 2
        || k[0] != k[1]
        || s[0] != s[1]
        || p.length != 4
        || p[0] != p[1]
        || p[0] != p[2]
        || p[0] != p[3]
        || d[0] != 1
        || d[1] != 1) {
      throw unsupported(
          "only square 2-D pooling with equal strides and pads and no dilation is supported (kernel "
              + Arrays.toString(k)
              + ", strides "
              + Arrays.toString(s)
              + ", pads "
              + Arrays.toString(p)
              + ")");
    }
    if (x.shape().length != 4) {
      throw unsupported("pooling needs [N, C, H, W], got " + Arrays.toString(x.shape()));
    }
    return new int[] {k[0], s[0], p[0]};
  }

  private void maxPool(OnnxMl.NodeProto n) {
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && consumed(n.getOutput(1))) {
      throw unsupported("its indices output is used");
    }
    NodeValue x = node(n.getInput(0), true);
    if (x.pad() != null && (x.pad()[0] != 0 || x.pad()[1] != 0)) {
      throw unsupported("a zero Pad before max pooling is not max pooling's -inf padding");
    }
    int[] geo = poolGeometry(x);
    boolean ceil = attrs().i("ceil_mode", 0) != 0;
    long[] s = x.shape();
    long[] out = {
      s[0],
      s[1],
      convOut(s[2], geo[0], geo[1], geo[2], 1, ceil),
      convOut(s[3], geo[0], geo[1], geo[2], 1, ceil)
    };
    int k =
        add(
            nodeName(n),
            Primitive.MAX_POOL,
            new Ops.MaxPool(geo[0], geo[1], geo[2], ceil),
            new int[] {1, 1, geo[0], geo[0]},
            List.of(),
            out,
            x.node());
    values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  private void avgPool(OnnxMl.NodeProto n) {
    NodeValue x = node(n.getInput(0), true);
    int[] geo = poolGeometry(x);
    if (attrs().i("ceil_mode", 0) != 0) {
      throw unsupported("average pooling with ceil_mode is not supported");
    }
    boolean includePad = attrs().i("count_include_pad", 0) != 0;
    int padding = geo[2];
    if (x.pad() != null) {
      if (x.pad()[0] != x.pad()[1]) {
        throw unsupported("a non-square Pad before average pooling is not supported");
      }
      if (x.pad()[0] > 0) {
        if (padding > 0 && !includePad) {
          throw unsupported(
              "a Pad before average pooling that excludes its own padding is not supported");
        }
        // an explicit zero Pad counts its cells, as PyTorch's count_include_pad=True
        includePad = true;
        padding += x.pad()[0];
      }
    }
    long[] s = x.shape();
    long[] out = {
      s[0],
      s[1],
      convOut(s[2], geo[0], geo[1], padding, 1, false),
      convOut(s[3], geo[0], geo[1], padding, 1, false)
    };
    if (geo[0] == 1 && geo[1] == 1 && padding == 0) {
      // PyTorch exports adaptive pooling to the input's own size (VGG's and AlexNet's avgpool at
      // 224 px) as a 1×1
      // AveragePool; ppuda sees AdaptiveAvgPool2DBackward0, i.e. glob_avg without a shape
      int k =
          add(
              nodeName(n),
              Primitive.GLOB_AVG,
              new Ops.AvgPool(1, 1, 0, includePad),
              null,
              List.of(),
              out,
              x.node());
      values.put(n.getOutput(0), new NodeValue(k, out, null));
      return;
    }
    int k =
        add(
            nodeName(n),
            Primitive.AVG_POOL,
            new Ops.AvgPool(geo[0], geo[1], padding, includePad),
            new int[] {1, 1, geo[0], geo[0]},
            List.of(),
            out,
            x.node());
    values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  /**
   * Mean over H, W: {@code glob_avg} when the dims are kept (PyTorch's adaptive pooling to 1×1),
   * else invisible.
   */
  private void globalAvgPool(OnnxMl.NodeProto n, boolean keepDims) {
    NodeValue x = node(n.getInput(0), false);
    long[] s = x.shape();
    if (s.length != 4) {
      throw unsupported("global pooling needs [N, C, H, W], got " + Arrays.toString(s));
    }
    int k;
    long[] out;
    if (keepDims) {
      out = new long[] {s[0], s[1], 1, 1};
      k =
          add(
              nodeName(n),
              Primitive.GLOB_AVG,
              new Ops.AdaptiveAvgPool(1, 1),
              null,
              List.of(),
              out,
              x.node());
    } else {
      // x.mean([2, 3]): ppuda keeps a Mean node only with keepdim=True, so this one has no
      // primitive
      out = new long[] {s[0], s[1]};
      k = add(nodeName(n), null, new Ops.GlobalAvgPool(), null, List.of(), out, x.node());
    }
    values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  private void reduceMean(OnnxMl.NodeProto n) {
    long[] axes =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? constant(n.getInput(1)).asLongs()
            : attrs().ints("axes", null);
    NodeValue x = node(n.getInput(0), false);
    int r = x.shape().length;
    Set<Long> a = new TreeSet<>();
    if (axes != null) {
      for (long v : axes) {
        a.add(v < 0 ? v + r : v);
      }
    }
    if (r != 4 || !a.equals(Set.of(2L, 3L))) {
      throw unsupported(
          "only ReduceMean over the spatial axes [2, 3] of [N, C, H, W] is supported (global pooling)");
    }
    globalAvgPool(n, attrs().i("keepdims", 1) != 0);
  }

  private void flatten(OnnxMl.NodeProto n) {
    NodeValue x = node(n.getInput(0), false);
    if (attrs().i("axis", 1) != 1) {
      throw unsupported("only Flatten with axis 1 is supported");
    }
    flattenTo(n, x);
  }

  private void flattenTo(OnnxMl.NodeProto n, NodeValue x) {
    long[] s = x.shape();
    if (s.length == 2) {
      values.put(n.getOutput(0), x);
      return;
    }
    long[] out = {s[0], ShapeArithmetic.prod(s) / s[0]};
    int k = add(nodeName(n), null, new Ops.Flatten(), null, List.of(), out, x.node());
    values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  private void reshape(OnnxMl.NodeProto n) {
    Value v = value(n.getInput(0));
    long[] target = constant(n.getInput(1)).asLongs();
    if (v instanceof ShuffleValue sv && sv.transposed()) {
      long[] out = ShapeArithmetic.resolveReshape(fiveD(sv), target);
      if (!Arrays.equals(out, sv.inShape())) {
        throw unsupported(
            "a channel shuffle must end in a reshape back to " + Arrays.toString(sv.inShape()));
      }
      int k =
          add(
              nodeName(n),
              null,
              new Ops.ChannelShuffle(sv.groups()),
              null,
              List.of(),
              out,
              sv.node());
      values.put(n.getOutput(0), new NodeValue(k, out, null));
      return;
    }
    if (!(v instanceof NodeValue x) || x.pad() != null) {
      throw unsupported("its data input is not a feature map");
    }
    long[] s = x.shape();
    long[] out = ShapeArithmetic.resolveReshape(s, target);
    if (Arrays.equals(out, s)) {
      values.put(n.getOutput(0), x);
    } else if (out.length == 2 && out[0] == s[0]) {
      flattenTo(n, x);
    } else if (s.length == 4
        && out.length == 5
        && out[0] == s[0]
        && out[1] * out[2] == s[1]
        && out[3] == s[2]
        && out[4] == s[3]) {
      values.put(n.getOutput(0), new ShuffleValue(x.node(), s, (int) out[1], false));
    } else {
      throw unsupported(
          "a reshape from "
              + Arrays.toString(s)
              + " to "
              + Arrays.toString(out)
              + " is neither a flatten nor part of a channel shuffle");
    }
  }

  private static long[] fiveD(ShuffleValue sv) {
    long[] s = sv.inShape();
    long g = sv.groups();
    return new long[] {s[0], s[1] / g, g, s[2], s[3]};
  }

  private void transpose(OnnxMl.NodeProto n) {
    Value v = value(n.getInput(0));
    long[] perm = attrs().ints("perm", null);
    if (v instanceof InitValue w
        && w.dims().length == 2
        && (perm == null || Arrays.equals(perm, new long[] {1, 0}))) {
      values.put(n.getOutput(0), new InitValue(w.name(), w.source(), w.dims(), !w.transposed()));
    } else if (v instanceof ShuffleValue sv
        && !sv.transposed()
        && Arrays.equals(perm, new long[] {0, 2, 1, 3, 4})) {
      values.put(n.getOutput(0), new ShuffleValue(sv.node(), sv.inShape(), sv.groups(), true));
    } else {
      throw unsupported(
          "only the transpose of a channel shuffle or of a linear weight is supported");
    }
  }

  private void split(OnnxMl.NodeProto n) {
    NodeValue x = node(n.getInput(0), false);
    long[] s = x.shape();
    int axis = (int) attrs().i("axis", 0);
    if (axis < 0) {
      axis += s.length;
    }
    long[] sizes =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? constant(n.getInput(1)).asLongs()
            : attrs().ints("split", null);
    int parts = n.getOutputCount();
    if (sizes == null) {
      if (s[axis] % parts != 0) {
        throw unsupported("cannot split " + s[axis] + " into " + parts + " equal parts");
      }
      sizes = new long[parts];
      Arrays.fill(sizes, s[axis] / parts);
    }
    int start = 0;
    for (int i = 0; i < parts; i++) {
      narrow(n, i, x, axis, start, (int) sizes[i]);
      start += (int) sizes[i];
    }
  }

  private void narrow(
      OnnxMl.NodeProto n, int output, NodeValue x, int axis, int start, int length) {
    long[] out = x.shape().clone();
    out[axis] = length;
    if (axis == 0) {
      throw unsupported("slicing the batch axis is not supported");
    }
    int k =
        add(
            nodeName(n) + (output > 0 ? ":" + output : ""),
            null,
            new Ops.Narrow(axis, start, length),
            null,
            List.of(),
            out,
            x.node());
    values.put(n.getOutput(output), new NodeValue(k, out, null));
  }

  private void slice(OnnxMl.NodeProto n) {
    NodeValue x = node(n.getInput(0), false);
    long[] s = x.shape();
    long[] starts = constant(n.getInput(1)).asLongs();
    long[] ends = constant(n.getInput(2)).asLongs();
    long[] axes =
        n.getInputCount() > 3 && !n.getInput(3).isEmpty()
            ? constant(n.getInput(3)).asLongs()
            : null;
    long[] steps =
        n.getInputCount() > 4 && !n.getInput(4).isEmpty()
            ? constant(n.getInput(4)).asLongs()
            : null;
    if (starts.length != 1 || (steps != null && steps[0] != 1)) {
      throw unsupported("only a slice along one axis with step 1 is supported");
    }
    int axis = (int) (axes == null ? 0 : axes[0] < 0 ? axes[0] + s.length : axes[0]);
    long a = ShapeArithmetic.clampIndex(starts[0], s[axis]);
    long b = ShapeArithmetic.clampIndex(ends[0], s[axis]);
    if (a == 0 && b == s[axis]) {
      values.put(n.getOutput(0), x);
      return;
    }
    narrow(n, 0, x, axis, (int) a, (int) Math.max(0, b - a));
  }

  private void pad(OnnxMl.NodeProto n) {
    NodeValue x = node(n.getInput(0), false);
    String mode = attrs().s("mode", "constant");
    long[] pads =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? constant(n.getInput(1)).asLongs()
            : attrs().ints("pads", null);
    double value =
        n.getInputCount() > 2 && !n.getInput(2).isEmpty()
            ? scalar(n.getInput(2))
            : attrs().f("value", 0);
    if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) {
      throw unsupported(
          "Pad with an axes input (opset 18) is not supported; pads must cover all four axes");
    }
    long[] s = x.shape();
    if (!mode.equals("constant")
        || value != 0
        || pads == null
        || pads.length != 8
        || s.length != 4) {
      throw unsupported(
          "only zero padding of [N, C, H, W] is supported (mode "
              + mode
              + ", value "
              + value
              + ")");
    }
    if (pads[0] != 0
        || pads[1] != 0
        || pads[4] != 0
        || pads[5] != 0
        || pads[2] != pads[6]
        || pads[3] != pads[7]) {
      throw unsupported(
          "only symmetric padding of H and W is supported, got " + Arrays.toString(pads));
    }
    if (pads[2] == 0 && pads[3] == 0) {
      values.put(n.getOutput(0), x);
      return;
    }
    long[] out = {s[0], s[1], s[2] + 2 * pads[2], s[3] + 2 * pads[3]};
    // the convolution or pooling that reads this value absorbs the padding (checked there)
    values.put(
        n.getOutput(0), new NodeValue(x.node(), out, new int[] {(int) pads[2], (int) pads[3]}));
  }

  private void dropout(OnnxMl.NodeProto n) {
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && consumed(n.getOutput(1))) {
      throw unsupported("its mask output is used");
    }
    NodeValue x = node(n.getInput(0), false);
    double p =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? scalar(n.getInput(1))
            : attrs().f("ratio", 0.5);
    int k = add(nodeName(n), null, new Ops.Dropout(p), null, List.of(), x.shape(), x.node());
    values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
  }

  /**
   * An alias; of an initializer, a parameter of its own (the exporter's deduplication of equal
   * tensors).
   */
  private void identity(OnnxMl.NodeProto n) {
    Value v = value(n.getInput(0));
    if (v instanceof InitValue iv) {
      values.put(
          n.getOutput(0), new InitValue(n.getOutput(0), iv.source(), iv.dims(), iv.transposed()));
    } else {
      values.put(n.getOutput(0), v);
    }
  }

  private void alias(OnnxMl.NodeProto n) {
    values.put(n.getOutput(0), value(n.getInput(0)));
  }

  // ---------------------------------------------------------------------------------------------------- finish

  /**
   * Keeps the nodes that reach {@code output}, then applies ppuda's filter to sums and
   * concatenations: such a node stays in the GHN's view only if more than one distinct visible node
   * feeds it (else it loses its primitive).
   */
  private Graph finish(int output) {
    Node last = nodes.get(output);
    if (last.op() instanceof Ops.Flatten
        && last.inputCount() == 1
        && nodes.get(last.input(0)).op() instanceof Ops.AdaptiveAvgPool ap
        && ap.outH() == 1
        && ap.outW() == 1
        && consumers(last.input(0)) == 1) {
      // a net ending in global pooling + flatten (SqueezeNet): let the glob_avg node output [N, C]
      // itself, so that the
      // last node is one the GHN sees (ppuda's last node is that glob_avg)
      int pool = last.input(0);
      Node p = nodes.get(pool);
      nodes.set(
          pool,
          new Node(
              p.name(),
              p.primitive(),
              new Ops.GlobalAvgPool(),
              p.shape(),
              0,
              p.params(),
              p.inputs()));
      output = pool;
    }
    boolean[] live = new boolean[nodes.size()];
    live[output] = true;
    for (int i = output; i >= 0; i--) {
      if (live[i]) {
        for (int s : nodes.get(i).inputs()) {
          live[s] = true;
        }
      }
    }
    int[] newIndex = new int[nodes.size()];
    List<Node> kept = new ArrayList<>();
    List<int[]> visible = new ArrayList<>();
    for (int i = 0; i <= output; i++) {
      if (!live[i]) {
        newIndex[i] = -1;
        continue;
      }
      Node n = nodes.get(i);
      int[] in = n.inputs();
      for (int k = 0; k < in.length; k++) {
        in[k] = newIndex[in[k]];
      }
      Primitive prim = n.primitive();
      LinkedHashSet<Integer> src = new LinkedHashSet<>();
      for (int s : in) {
        if (kept.get(s).primitive() != null) {
          src.add(s);
        } else {
          for (int v : visible.get(s)) {
            src.add(v);
          }
        }
      }
      if ((prim == Primitive.SUM || prim == Primitive.CONCAT) && src.size() < 2) {
        prim = null;
      }
      newIndex[i] = kept.size();
      kept.add(new Node(n.name(), prim, n.op(), n.shape(), 0, n.params(), in));
      visible.add(src.stream().mapToInt(Integer::intValue).toArray());
    }
    if (kept.get(kept.size() - 1).primitive() == null) {
      throw new IllegalArgumentException(
          file
              + ": the output is computed by "
              + kept.get(kept.size() - 1).op().kind()
              + ", a node a GHN does not see; ghn4j expects the network to end in a layer (a linear classifier, a "
              + "convolution or a pooling)");
    }
    return Graph.of(kept, 1);
  }

  /** How many graph nodes read node {@code k}. */
  private int consumers(int k) {
    int c = 0;
    for (Node n : nodes) {
      for (int s : n.inputs()) {
        c += s == k ? 1 : 0;
      }
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  private int add(
      String name,
      Primitive prim,
      Op op,
      int[] shape,
      List<ParamSpec> params,
      long[] outShape,
      int... inputs) {
    nodes.add(new Node(name, prim, op, shape, 0, params, inputs));
    shapes.add(outShape);
    return nodes.size() - 1;
  }

  private ParamSpec param(InitValue v, boolean isWeight) {
    usedParam(v.name());
    bindings.add(new ParamBinding(v.name(), v.source(), v.transposed()));
    return new ParamSpec(v.name(), toInts(v.dims()), isWeight);
  }

  private void usedParam(String name) {
    if (!usedParams.add(name)) {
      throw unsupported(
          "initializer '" + name + "' is used by two layers (shared weights are not supported)");
    }
  }

  private String nodeName(OnnxMl.NodeProto n) {
    return n.getName().isEmpty() ? n.getOpType() : n.getName();
  }

  private Value value(String name) {
    Value v = values.get(name);
    if (v == null && initializers.containsKey(name)) {
      OnnxMl.TensorProto t = initializers.get(name);
      return isConstantInit(t) ? new ConstValue(initConstant(t)) : initValue(name);
    }
    if (v == null) {
      throw unsupported(
          "its input '"
              + name
              + "' is not produced by any earlier node, initializer or graph input "
              + "(nodes out of order, or a truncated file?)");
    }
    return v;
  }

  private InitValue initValue(String name) {
    return new InitValue(name, name, OnnxTensors.dims(initializers.get(name)), false);
  }

  private static boolean isSmall(OnnxMl.TensorProto t) {
    return OnnxTensors.numel(t) <= 64;
  }

  /**
   * Whether an initializer is a constant of the shape arithmetic (small integer tensors, float
   * scalars) rather than a parameter (float tensors of more than one value).
   */
  private static boolean isConstantInit(OnnxMl.TensorProto t) {
    return isSmall(t) && !(t.getDataType() == 1 && OnnxTensors.numel(t) > 1);
  }

  private Constant initConstant(OnnxMl.TensorProto t) {
    boolean integer = t.getDataType() != 1 && t.getDataType() != 11;
    return new Constant(
        OnnxTensors.dims(t), OnnxTensors.doubles(t, file.toAbsolutePath().getParent()), integer);
  }

  private NodeValue node(String name, boolean padAllowed) {
    Value v = value(name);
    if (!(v instanceof NodeValue nv)) {
      throw unsupported(
          "its input '"
              + name
              + "' is "
              + describe(v)
              + ", expected a feature map computed from the "
              + "network input");
    }
    if (!padAllowed) {
      checkNoPad(nv);
    }
    return nv;
  }

  private void checkNoPad(NodeValue v) {
    if (v.pad() != null) {
      throw unsupported(
          "its input is padded by a Pad node; only a convolution or pooling can absorb a Pad");
    }
  }

  private static String describe(Value v) {
    if (v instanceof InitValue i) {
      return "the initializer " + i.name();
    } else if (v instanceof ConstValue) {
      return "a constant";
    } else if (v instanceof ShuffleValue) {
      return "the 5-D view of a channel shuffle";
    }
    return "a feature map";
  }

  private InitValue init(OnnxMl.NodeProto n, int k, String what) {
    String name = n.getInputCount() > k ? n.getInput(k) : "";
    Value v =
        name.isEmpty()
            ? null
            : values.containsKey(name)
                ? values.get(name)
                : initializers.containsKey(name) ? initValue(name) : null;
    if (!(v instanceof InitValue iv)) {
      throw unsupported(
          "its "
              + what
              + " (input "
              + k
              + ", '"
              + name
              + "') is not an initializer; ghn4j needs the "
              + "layer's parameters stored in the file under their names");
    }
    if (initializers.get(iv.source()).getDataType() != 1) {
      throw unsupported("its " + what + " '" + iv.name() + "' is not FLOAT");
    }
    return iv;
  }

  private boolean allConstant(OnnxMl.NodeProto n) {
    for (String name : n.getInputList()) {
      if (name.isEmpty()) {
        continue;
      }
      Value v = values.get(name);
      if (v == null && initializers.containsKey(name)) {
        if (!isConstantInit(initializers.get(name))) {
          return false;
        }
      } else if (!(v instanceof ConstValue)) {
        return false;
      }
    }
    return true;
  }

  private Constant constant(String name) {
    Value v = values.get(name);
    if (v instanceof ConstValue c) {
      return c.constant();
    }
    if (v == null && initializers.containsKey(name) && isSmall(initializers.get(name))) {
      return initConstant(initializers.get(name));
    }
    throw unsupported(
        "its input '"
            + name
            + "' must be a constant (it is "
            + (v == null ? "unknown" : describe(v))
            + ")");
  }

  private double scalar(String name) {
    Constant c = constant(name);
    if (c.numel() != 1) {
      throw unsupported("its input '" + name + "' must be a scalar");
    }
    return c.values()[0];
  }

  private Constant constantAttr(OnnxMl.NodeProto n) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      switch (a.getName()) {
        case "value" -> {
          return initConstant(a.getT());
        }
        case "value_int" -> {
          return Constant.scalar(a.getI(), true);
        }
        case "value_ints" -> {
          return Constant.vector(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
        }
        case "value_float" -> {
          return Constant.scalar(a.getF(), false);
        }
        case "value_floats" -> {
          double[] d = a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
          return new Constant(new long[] {d.length}, d, false);
        }
        default -> {}
      }
    }
    throw unsupported("a Constant without a numeric value");
  }

  private long[] shapeOf(String name) {
    Value v = value(name);
    if (v instanceof NodeValue nv) {
      return nv.shape();
    } else if (v instanceof ShuffleValue sv) {
      long[] s = sv.inShape();
      long gr = sv.groups();
      return sv.transposed() ? fiveD(sv) : new long[] {s[0], gr, s[1] / gr, s[2], s[3]};
    } else if (v instanceof InitValue iv) {
      long[] d = iv.dims();
      return iv.transposed() ? new long[] {d[1], d[0]} : d;
    }
    return ((ConstValue) v).constant().dims();
  }

  private boolean consumed(String valueName) {
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getInputList().contains(valueName)) {
        return true;
      }
    }
    for (OnnxMl.ValueInfoProto o : g.getOutputList()) {
      if (o.getName().equals(valueName)) {
        return true;
      }
    }
    return false;
  }

  private static long convOut(long in, long k, int stride, int pad, int dil, boolean ceil) {
    long span = in + 2L * pad - (long) dil * (k - 1) - 1;
    if (!ceil) {
      return Math.floorDiv(span, stride) + 1;
    }
    long out = -Math.floorDiv(-span, stride) + 1;
    // PyTorch: the last window must start inside the input or its left padding
    if ((out - 1) * stride >= in + pad) {
      out--;
    }
    return out;
  }

  private long[] broadcast(long[] a, long[] b) {
    try {
      return ShapeArithmetic.broadcast(a, b);
    } catch (IllegalArgumentException e) {
      throw unsupported(e.getMessage());
    }
  }

  private static int[] ints(long[] v) {
    if (v == null) {
      return null;
    }
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Math.toIntExact(v[i]);
    }
    return r;
  }

  private static int[] toInts(long[] v) {
    return ints(v);
  }

  private NodeAttributes attrs() {
    return new NodeAttributes(current);
  }

  /**
   * The error for the current node: file, node name, op type, the reason (if any) and what is
   * supported.
   */
  private IllegalArgumentException unsupported(String reason) {
    OnnxMl.NodeProto n = current;
    String what = n == null ? "the graph" : "node '" + nodeName(n) + "' (" + n.getOpType() + ")";
    return new IllegalArgumentException(
        file
            + ": "
            + what
            + " is not supported"
            + (reason == null ? "" : ": " + reason)
            + "; supported ops: "
            + String.join(", ", SUPPORTED)
            + " and shape arithmetic on constants ("
            + String.join(", ", new TreeSet<>(ShapeArithmetic.OPS))
            + ")");
  }
}
