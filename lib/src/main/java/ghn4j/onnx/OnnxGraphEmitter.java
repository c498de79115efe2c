package ghn4j.onnx;

import static ghn4j.onnx.OnnxProtos.floatAttr;
import static ghn4j.onnx.OnnxProtos.intAttr;
import static ghn4j.onnx.OnnxProtos.ints;
import static ghn4j.onnx.OnnxProtos.valueInfo;
import static ghn4j.onnx.OnnxWriter.INPUT;
import static ghn4j.onnx.OnnxWriter.OUTPUT;
import static ghn4j.onnx.OnnxWriter.poolMatrix;
import static ghn4j.onnx.OnnxWriter.transpose;

import ai.djl.ndarray.NDArray;
import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.nn.BnState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the ONNX GraphProto of one executable {@link Graph} for {@link OnnxWriter}: each {@link
 * Ops} record as standard ONNX ops with PyTorch's semantics; holds the per-model naming state
 * (temporaries, initializers written once). One unit (~370 lines) because every op case writes
 * through the same naming state; the proto pieces are in {@link OnnxProtos}.
 */
/** Builds one GraphProto; holds the per-model naming state. */
final class OnnxGraphEmitter {
  private final Graph graph;
  private final Map<String, NDArray> params;
  private final BnState stats;
  private final BnForm form;
  private final Map<Node, long[]> shapes;
  private final OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder();
  private final Map<String, Boolean> initializers = new LinkedHashMap<>();
  private int temp;

  OnnxGraphEmitter(
      Graph graph,
      Map<String, NDArray> params,
      BnState stats,
      BnForm form,
      Map<Node, long[]> shapes) {
    this.graph = graph;
    this.params = params;
    this.stats = stats;
    this.form = form;
    this.shapes = shapes;
  }

  OnnxMl.GraphProto emit(InputShape input) {
    g.setName("ghn4j");
    g.addInput(valueInfo(INPUT, input.channels(), input.height(), input.width()));
    for (ParamSpec p : graph.params()) {
      initializer(p.name(), params.get(p.name()));
    }
    int n = graph.size();
    for (int i = 1; i < n; i++) {
      emitNode(i, graph.node(i));
    }
    node("Identity", List.of(value(n - 1)), OUTPUT);
    g.addOutput(valueInfo(OUTPUT, shapes.get(graph.node(n - 1))));
    return g.build();
  }

  private void initializer(String name, NDArray a) {
    if (initializers.putIfAbsent(name, Boolean.TRUE) == null) {
      g.addInitializer(OnnxTensors.of(name, a));
    }
  }

  private static String value(int i) {
    return i == 0 ? INPUT : "n" + i;
  }

  private String tmp(int i) {
    return "n" + i + "/t" + (temp++);
  }

  private long[] shapeOf(int nodeIndex) {
    return shapes.get(graph.node(nodeIndex));
  }

  private void emitNode(int i, Node node) {
    Op op = node.op();
    int[] src = node.inputs();
    List<String> in = new ArrayList<>();
    for (int s : src) {
      in.add(value(s));
    }
    List<String> p = node.params().stream().map(ParamSpec::name).toList();
    String out = value(i);
    String x = in.isEmpty() ? null : in.get(0);
    if (op instanceof Ops.Conv c) {
      int[] k = node.params().get(0).shape();
      int[] pad = c.padding();
      node(
          "Conv",
          List.of(x, p.get(0)),
          out,
          ints("kernel_shape", k[2], k[3]),
          ints("strides", c.stride()),
          ints("pads", pad[0], pad[pad.length - 1], pad[0], pad[pad.length - 1]),
          ints("dilations", c.dilation()),
          intAttr("group", c.groups()));
    } else if (op instanceof Ops.Linear l) {
      if (shapeOf(src[0]).length == 2) {
        node("Gemm", List.of(x, p.get(0)), out, intAttr("transB", 1));
      } else {
        String wt = tmp(i);
        node("Transpose", List.of(p.get(0)), wt, ints("perm", 1, 0));
        node("MatMul", List.of(x, wt), out);
      }
    } else if (op instanceof Ops.Bias b) {
      if (shapeOf(src[0]).length == 4) {
        node("Add", List.of(x, unsqueeze(i, p.get(0), 0, 2, 3)), out);
      } else {
        node("Add", List.of(x, p.get(0)), out);
      }
    } else if (op instanceof Ops.BatchNorm b) {
      batchNorm(i, node, b, x, p, out);
    } else if (op instanceof Ops.LayerNorm l) {
      node(
          "LayerNormalization",
          List.of(x, p.get(0), p.get(1)),
          out,
          intAttr("axis", -1),
          floatAttr("epsilon", l.eps()));
    } else if (op instanceof Ops.MaxPool m) {
      node(
          "MaxPool",
          List.of(x),
          out,
          ints("kernel_shape", m.kernel(), m.kernel()),
          ints("strides", m.stride(), m.stride()),
          ints("pads", m.padding(), m.padding(), m.padding(), m.padding()));
    } else if (op instanceof Ops.AvgPool a) {
      node(
          "AveragePool",
          List.of(x),
          out,
          ints("kernel_shape", a.kernel(), a.kernel()),
          ints("strides", a.stride(), a.stride()),
          ints("pads", a.padding(), a.padding(), a.padding(), a.padding()),
          intAttr("count_include_pad", a.countIncludePad() ? 1 : 0));
    } else if (op instanceof Ops.GlobalAvgPool ga) {
      String pooled = tmp(i);
      node("GlobalAveragePool", List.of(x), pooled);
      node("Flatten", List.of(pooled), out, intAttr("axis", 1));
    } else if (op instanceof Ops.AdaptiveAvgPool a) {
      long[] s = shapeOf(src[0]);
      String ah = floatConst(i, poolMatrix(a.outH(), (int) s[2]), a.outH(), s[2]);
      String awT =
          floatConst(
              i, transpose(poolMatrix(a.outW(), (int) s[3]), a.outW(), (int) s[3]), s[3], a.outW());
      String xw = tmp(i);
      node("MatMul", List.of(x, awT), xw);
      node("MatMul", List.of(ah, xw), out);
    } else if (op instanceof Ops.Activation a) {
      activation(i, a.fn(), x, out, node);
    } else if (op instanceof Ops.Sum s) {
      node("Sum", in, out);
    } else if (op instanceof Ops.Concat c) {
      node("Concat", in, out, intAttr("axis", c.axis()));
    } else if (op instanceof Ops.ChannelScale cs) {
      if (shapeOf(src[1]).length == 4) {
        node("Mul", List.of(x, in.get(1)), out);
      } else {
        node("Mul", List.of(x, unsqueeze(i, in.get(1), 2, 3)), out);
      }
    } else if (op instanceof Ops.Scale s) {
      node("Mul", List.of(x, floatConst(i, new float[] {(float) s.factor()})), out);
    } else if (op instanceof Ops.Flatten f) {
      node("Flatten", List.of(x), out, intAttr("axis", 1));
    } else if (op instanceof Ops.Subsample s) {
      node(
          "Slice",
          List.of(
              x,
              longConst(i, s.offset(), s.offset()),
              longConst(i, Long.MAX_VALUE, Long.MAX_VALUE),
              longConst(i, 2, 3),
              longConst(i, s.stride(), s.stride())),
          out);
    } else if (op instanceof Ops.PosEnc pe) {
      if (in.isEmpty()) {
        node("Identity", List.of(p.get(0)), out);
      } else {
        node("Add", List.of(x, p.get(0)), out);
      }
    } else if (op instanceof Ops.LearnedTensor lt) {
      node("Identity", List.of(p.get(0)), out);
    } else if (op instanceof Ops.ToTokens tt) {
      String flat = tmp(i);
      node("Reshape", List.of(x, longConst(i, 0, 0, -1)), flat);
      node("Transpose", List.of(flat), out, ints("perm", 0, 2, 1));
    } else if (op instanceof Ops.ToImage ti) {
      long[] s = shapeOf(i);
      String t = tmp(i);
      node("Transpose", List.of(x), t, ints("perm", 0, 2, 1));
      node("Reshape", List.of(t, longConst(i, 0, 0, s[2], s[3])), out);
    } else if (op instanceof Ops.Attention a) {
      attention(i, a.heads(), x, shapeOf(src[0]), out);
    } else if (op instanceof Ops.Dropout d) {
      node("Identity", List.of(x), out); // identity at inference
    } else {
      throw new IllegalArgumentException(
          "node " + i + " (" + node.name() + "): op '" + op.kind() + "' has no ONNX form");
    }
  }

  private void batchNorm(int i, Node node, Ops.BatchNorm b, String x, List<String> p, String out) {
    int rank = shapeOf(node.input(0)).length;
    if (form == BnForm.RUNNING_STATS) {
      String prefix = ghn4j.nn.StateDict.modulePrefix(node);
      String mean = prefix + ".running_mean";
      String var = prefix + ".running_var";
      initializer(mean, stats.runningMean(node.name()));
      initializer(var, stats.runningVar(node.name()));
      node(
          "BatchNormalization",
          List.of(x, p.get(0), p.get(1), mean, var),
          out,
          floatAttr("epsilon", b.eps()),
          floatAttr("momentum", 1.0 - b.momentum()));
      return;
    }
    // batch statistics: (x - mean) / sqrt(var + eps) * w + b over all axes but the channel axis,
    // biased variance
    long[] axes = new long[rank - 1];
    axes[0] = 0;
    for (int k = 2; k < rank; k++) {
      axes[k - 1] = k;
    }
    String mean = tmp(i);
    node("ReduceMean", List.of(x), mean, ints("axes", axes), intAttr("keepdims", 1));
    String d = tmp(i);
    node("Sub", List.of(x, mean), d);
    String sq = tmp(i);
    node("Mul", List.of(d, d), sq);
    String var = tmp(i);
    node("ReduceMean", List.of(sq), var, ints("axes", axes), intAttr("keepdims", 1));
    String ve = tmp(i);
    node("Add", List.of(var, floatConst(i, new float[] {(float) b.eps()})), ve);
    String std = tmp(i);
    node("Sqrt", List.of(ve), std);
    String nrm = tmp(i);
    node("Div", List.of(d, std), nrm);
    String scaled = tmp(i);
    node("Mul", List.of(nrm, unsqueeze(i, p.get(0), axes)), scaled);
    node("Add", List.of(scaled, unsqueeze(i, p.get(1), axes)), out);
  }

  private void activation(int i, String fn, String x, String out, Node node) {
    switch (fn) {
      case "relu" -> node("Relu", List.of(x), out);
      case "relu6" ->
          node(
              "Clip",
              List.of(x, floatConst(i, new float[] {0f}), floatConst(i, new float[] {6f})),
              out);
      case "sigmoid" -> node("Sigmoid", List.of(x), out);
      case "tanh" -> node("Tanh", List.of(x), out);
      // relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1)
      case "hardsigmoid" ->
          node("HardSigmoid", List.of(x), out, floatAttr("alpha", 1.0 / 6), floatAttr("beta", 0.5));
      case "hardswish" -> node("HardSwish", List.of(x), out);
      case "identity" -> node("Identity", List.of(x), out);
      case "gelu" -> {
        // exact erf form, 0.5 · x · (1 + erf(x / √2)); opset 17 has no Gelu op
        String s = tmp(i);
        node("Div", List.of(x, floatConst(i, new float[] {(float) Math.sqrt(2.0)})), s);
        String erf = tmp(i);
        node("Erf", List.of(s), erf);
        String one = tmp(i);
        node("Add", List.of(erf, floatConst(i, new float[] {1f})), one);
        String xm = tmp(i);
        node("Mul", List.of(x, one), xm);
        node("Mul", List.of(xm, floatConst(i, new float[] {0.5f})), out);
      }
      default ->
          throw new IllegalArgumentException(
              "node " + i + " (" + node.name() + "): activation '" + fn + "' has no ONNX form");
    }
  }

  /** softmax(q kᵀ · d^-½) v per head, from [N, L, 3·inner] to [N, L, inner]. */
  private void attention(int i, int heads, String x, long[] s, String out) {
    long inner = s[2] / 3;
    long d = inner / heads;
    String[] qkv = {tmp(i), tmp(i), tmp(i)};
    node("Split", List.of(x, longConst(i, inner, inner, inner)), List.of(qkv), intAttr("axis", 2));
    String[] r = new String[3];
    for (int k = 0; k < 3; k++) {
      r[k] = tmp(i);
      node("Reshape", List.of(qkv[k], longConst(i, 0, 0, heads, d)), r[k]);
    }
    String q = tmp(i);
    node("Transpose", List.of(r[0]), q, ints("perm", 0, 2, 1, 3));
    String kt = tmp(i);
    node("Transpose", List.of(r[1]), kt, ints("perm", 0, 2, 3, 1));
    String v = tmp(i);
    node("Transpose", List.of(r[2]), v, ints("perm", 0, 2, 1, 3));
    String dots = tmp(i);
    node("MatMul", List.of(q, kt), dots);
    String scaled = tmp(i);
    node("Mul", List.of(dots, floatConst(i, new float[] {(float) Math.pow(d, -0.5)})), scaled);
    String attn = tmp(i);
    node("Softmax", List.of(scaled), attn, intAttr("axis", -1));
    String o = tmp(i);
    node("MatMul", List.of(attn, v), o);
    String merged = tmp(i);
    node("Transpose", List.of(o), merged, ints("perm", 0, 2, 1, 3));
    node("Reshape", List.of(merged, longConst(i, 0, 0, inner)), out);
  }

  private String unsqueeze(int i, String tensor, long... axes) {
    String u = tmp(i);
    node("Unsqueeze", List.of(tensor, longConst(i, axes)), u);
    return u;
  }

  private String longConst(int i, long... v) {
    String name = tmp(i);
    constant(name, OnnxTensors.ofLongs(name, new long[] {v.length}, v));
    return name;
  }

  /** A float constant: a scalar for one value, else of {@code dims}. */
  private String floatConst(int i, float[] v, long... dims) {
    String name = tmp(i);
    constant(name, OnnxTensors.of(name, dims.length == 0 && v.length == 1 ? new long[0] : dims, v));
    return name;
  }

  private void constant(String name, OnnxMl.TensorProto t) {
    g.addNode(
        OnnxMl.NodeProto.newBuilder()
            .setOpType("Constant")
            .setName(name)
            .addOutput(name)
            .addAttribute(
                OnnxMl.AttributeProto.newBuilder()
                    .setName("value")
                    .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                    .setT(t)));
  }

  private void node(
      String type, List<String> inputs, String output, OnnxMl.AttributeProto... attrs) {
    node(type, inputs, List.of(output), attrs);
  }

  private void node(
      String type, List<String> inputs, List<String> outputs, OnnxMl.AttributeProto... attrs) {
    OnnxMl.NodeProto.Builder b =
        OnnxMl.NodeProto.newBuilder()
            .setOpType(type)
            .setName(outputs.get(0) + "/" + type)
            .addAllInput(inputs)
            .addAllOutput(outputs);
    for (OnnxMl.AttributeProto a : attrs) {
      b.addAttribute(a);
    }
    g.addNode(b);
  }
}
