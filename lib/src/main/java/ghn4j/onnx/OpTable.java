package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import ghn4j.onnx.ImportValue.ConstValue;
import ghn4j.onnx.ShapeArithmetic.Constant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The op table of the ONNX import, like ppuda's {@code MODULES}: which ONNX op types are mapped and
 * which mapper takes each; constants and shape arithmetic are evaluated here and never become
 * nodes.
 */
final class OpTable {

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

  private final ImportContext cx;
  private final LayerMapper layers;
  private final ElementwiseMapper elementwise;
  private final PoolMapper pools;
  private final LayoutMapper layout;

  OpTable(ImportContext cx) {
    this.cx = cx;
    this.layers = new LayerMapper(cx);
    this.elementwise = new ElementwiseMapper(cx, layers);
    this.pools = new PoolMapper(cx);
    this.layout = new LayoutMapper(cx);
  }

  void map(OnnxMl.NodeProto n) {
    String op = n.getOpType();
    if (op.equals("Constant")) {
      cx.values.put(n.getOutput(0), new ConstValue(cx.constantAttr(n)));
      return;
    }
    if (op.equals("Shape")) {
      long[] s = cx.shapeOf(n.getInput(0));
      long rank = s.length;
      long start = ShapeArithmetic.clampIndex(cx.attrs().i("start", 0), rank);
      long end = ShapeArithmetic.clampIndex(cx.attrs().i("end", rank), rank);
      cx.values.put(
          n.getOutput(0),
          new ConstValue(Constant.vector(Arrays.copyOfRange(s, (int) start, (int) end))));
      return;
    }
    if (ShapeArithmetic.OPS.contains(op) && cx.allConstant(n)) {
      List<Constant> in = new ArrayList<>();
      for (String name : n.getInputList()) {
        in.add(name.isEmpty() ? null : cx.constant(name));
      }
      try {
        cx.values.put(n.getOutput(0), new ConstValue(ShapeArithmetic.evaluate(op, in, cx.attrs())));
      } catch (RuntimeException e) {
        throw cx.unsupported("its constant inputs cannot be evaluated: " + e.getMessage());
      }
      return;
    }
    switch (op) {
      case "Conv" -> layers.conv(n);
      case "Gemm" -> layers.gemm(n);
      case "MatMul" -> layers.matMul(n);
      case "BatchNormalization" -> layers.batchNorm(n);
      case "Relu" -> elementwise.activation(n, "relu");
      case "Sigmoid" -> elementwise.activation(n, "sigmoid");
      case "Tanh" -> elementwise.activation(n, "tanh");
      case "HardSwish" -> elementwise.activation(n, "hardswish");
      case "HardSigmoid" -> elementwise.hardSigmoid(n);
      case "Clip" -> elementwise.clip(n);
      case "Add" -> elementwise.add(n);
      case "Mul" -> elementwise.mul(n);
      case "Concat" -> layout.concat(n);
      case "MaxPool" -> pools.maxPool(n);
      case "AveragePool" -> pools.avgPool(n);
      case "GlobalAveragePool" -> pools.globalAvgPool(n, true);
      case "ReduceMean" -> pools.reduceMean(n);
      case "Flatten" -> layout.flatten(n);
      case "Reshape" -> layout.reshape(n);
      case "Transpose" -> layout.transpose(n);
      case "Split" -> layout.split(n);
      case "Slice" -> layout.slice(n);
      case "Pad" -> layout.pad(n);
      case "Dropout" -> layout.dropout(n);
      case "Identity" -> layout.identity(n);
      case "Cast" -> {
        if (cx.attrs().i("to", 1) != 1) {
          throw cx.unsupported(
              "it casts a feature map to ONNX type "
                  + cx.attrs().i("to", 1)
                  + " (only FLOAT is supported)");
        }
        layout.alias(n);
      }
      default -> throw cx.unsupported(null);
    }
  }
}
