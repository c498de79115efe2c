package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import ghn4j.onnx.ImportValue.NodeValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
 *
 * <p>This class checks the image input and runs the node loop; the rest of the import is split by
 * idea: {@link OpTable} (which op goes where, constants and shape arithmetic), {@link LayerMapper}
 * (ops with parameters), {@link ElementwiseMapper} (activations, sums, products), {@link
 * PoolMapper}, {@link LayoutMapper} (concat, reshape, shuffle, split, pad, aliases), {@link
 * ImportContext} (the graph under construction, input look-ups and errors), {@link ImportValue}
 * (what a value name stands for) and {@link GraphFinish} (dead-node pruning and ppuda's filter).
 */
final class OnnxImporter {

  /**
   * Symbolic spatial sizes are taken as CIFAR's 32 for shape arithmetic (only reshapes of feature
   * maps use them).
   */
  private static final int DEFAULT_SIDE = 32;

  /** The import's result. */
  record Result(Graph graph, List<ParamBinding> bindings, String inputName, long[] inputShape) {}

  private final Path file;
  private final OnnxMl.GraphProto g;
  private final ImportContext cx;

  private OnnxImporter(Path file, OnnxMl.GraphProto g) {
    this.file = file;
    this.g = g;
    this.cx = new ImportContext(file, g);
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
    OpTable table = new OpTable(cx);
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      cx.initializers.put(t.getName(), t);
    }
    OnnxMl.ValueInfoProto input = imageInput();
    long[] inShape = inputShape(input);
    cx.nodes.add(
        new Node("input", Primitive.INPUT, new Ops.Input(), null, 0, List.of(), new int[0]));
    cx.shapes.add(inShape);
    cx.values.put(input.getName(), new NodeValue(0, inShape, null));
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      cx.current = n;
      if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
        throw cx.unsupported("its domain '" + n.getDomain() + "' is not the standard ONNX domain");
      }
      table.map(n);
    }
    cx.current = null;
    if (g.getOutputCount() == 0) {
      throw new IllegalArgumentException(file + ": the graph has no output");
    }
    // ppuda follows the first output only (e.g. not auxiliary classifiers)
    String outName = g.getOutput(0).getName();
    ImportValue out = cx.values.get(outName);
    if (!(out instanceof NodeValue nv) || nv.pad() != null) {
      throw new IllegalArgumentException(
          file + ": the graph output '" + outName + "' is not computed from the input");
    }
    Graph graph = new GraphFinish(cx).finish(nv.node());
    List<ParamBinding> b = new ArrayList<>();
    Set<String> inGraph = new java.util.HashSet<>();
    for (ParamSpec p : graph.params()) {
      inGraph.add(p.name());
    }
    for (ParamBinding pb : cx.bindings) {
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
      if (!cx.initializers.containsKey(v.getName())) {
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
}
