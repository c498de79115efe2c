package ghn4j.onnx;

import static ghn4j.onnx.ImportContext.ints;
import static ghn4j.onnx.LayerMapper.convOut;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import ghn4j.onnx.ImportValue.InitValue;
import ghn4j.onnx.ImportValue.NodeValue;
import java.util.Arrays;
import java.util.List;

/**
 * The ONNX ops that carry parameters, mapped to ppuda's layer nodes: {@code Conv} → {@code
 * conv}/{@code sep_conv}/{@code dil_conv} (+ {@code bias}), {@code Gemm} and {@code MatMul} (+
 * {@code Add}) → a linear layer ({@code conv} + {@code bias}), {@code BatchNormalization} → {@code
 * bn}. Each binds the layer's initializers to its parameter names.
 */
final class LayerMapper {
  private final ImportContext cx;

  LayerMapper(ImportContext cx) {
    this.cx = cx;
  }

  void conv(OnnxMl.NodeProto n) {
    NodeValue x = cx.node(n.getInput(0), true);
    InitValue w = cx.init(n, 1, "weight");
    long[] wd = w.dims();
    if (wd.length != 4 || w.transposed()) {
      throw cx.unsupported(
          "only 2-D convolutions are supported (weight " + Arrays.toString(wd) + ")");
    }
    String autoPad = cx.attrs().s("auto_pad", "NOTSET");
    if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
      throw cx.unsupported("auto_pad " + autoPad + " is not supported; export with explicit pads");
    }
    int groups = (int) cx.attrs().i("group", 1);
    int[] stride = ints(cx.attrs().ints("strides", new long[] {1, 1}));
    int[] dil = ints(cx.attrs().ints("dilations", new long[] {1, 1}));
    int[] pads = ints(cx.attrs().ints("pads", new long[] {0, 0, 0, 0}));
    if (pads.length != 4 || pads[0] != pads[2] || pads[1] != pads[3]) {
      throw cx.unsupported("asymmetric padding " + Arrays.toString(pads) + " is not supported");
    }
    int[] padding = {
      pads[0] + (x.pad() == null ? 0 : x.pad()[0]), pads[1] + (x.pad() == null ? 0 : x.pad()[1])
    };
    // ppuda's get_conv_name: a grouped conv is sep_conv, or dil_conv when also dilated
    Primitive prim =
        groups > 1
            ? (Math.min(dil[0], dil[1]) > 1 ? Primitive.DIL_CONV : Primitive.SEP_CONV)
            : Primitive.CONV;
    int[] shape = ints(wd);
    long[] s = x.shape();
    if (s.length != 4 || s[1] != wd[1] * groups) {
      throw cx.unsupported(
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
        cx.addNode(
            w.name(),
            prim,
            new Ops.Conv(stride, padding, dil, groups),
            shape,
            List.of(cx.param(w, true)),
            out,
            x.node());
    if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
      InitValue b = cx.init(n, 2, "bias");
      c =
          cx.addNode(
              b.name(),
              Primitive.BIAS,
              new Ops.Bias(),
              ints(b.dims()),
              List.of(cx.param(b, false)),
              out,
              c);
    }
    cx.values.put(n.getOutput(0), new NodeValue(c, out, null));
  }

  void gemm(OnnxMl.NodeProto n) {
    if (cx.attrs().i("transA", 0) != 0
        || cx.attrs().f("alpha", 1) != 1
        || cx.attrs().f("beta", 1) != 1) {
      throw cx.unsupported("only Gemm with transA=0, alpha=1, beta=1 is a linear layer");
    }
    NodeValue x = cx.node(n.getInput(0), false);
    InitValue w = cx.init(n, 1, "weight");
    // transB=1 stores the weight as PyTorch does, [out, in]; transB=0 stores its transpose
    boolean transposed = cx.attrs().i("transB", 0) == 0;
    InitValue b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? cx.init(n, 2, "bias") : null;
    linear(n, x, new InitValue(w.name(), w.source(), w.dims(), w.transposed() != transposed), b);
  }

  void matMul(OnnxMl.NodeProto n) {
    NodeValue x = cx.node(n.getInput(0), false);
    ImportValue wv = cx.values.get(n.getInput(1));
    if (wv == null && cx.initializers.containsKey(n.getInput(1))) {
      wv = cx.initValue(n.getInput(1));
    }
    if (!(wv instanceof InitValue w)) {
      throw cx.unsupported("only a MatMul by a weight initializer is supported (a linear layer)");
    }
    // MatMul(x, W) computes x·W, so the stored W is [in, out]: the transpose of PyTorch's weight
    linear(n, x, new InitValue(w.name(), w.source(), w.dims(), !w.transposed()), null);
  }

  /** A linear layer: weight node (ppuda labels it conv) and, if present, its bias node. */
  private void linear(OnnxMl.NodeProto n, NodeValue x, InitValue w, InitValue b) {
    long[] d = w.dims();
    if (d.length != 2) {
      throw cx.unsupported(
          "its weight " + w.name() + " has dims " + Arrays.toString(d) + ", expected 2-D");
    }
    int[] shape =
        w.transposed() ? new int[] {(int) d[1], (int) d[0]} : new int[] {(int) d[0], (int) d[1]};
    long[] s = x.shape();
    if (s[s.length - 1] != shape[1]) {
      throw cx.unsupported(
          "its input "
              + Arrays.toString(s)
              + " does not fit the weight [out, in] = "
              + Arrays.toString(shape));
    }
    long[] out = s.clone();
    out[out.length - 1] = shape[0];
    cx.usedParam(w.name());
    cx.bindings.add(new ParamBinding(w.name(), w.source(), w.transposed()));
    int k =
        cx.addNode(
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
    cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  int bias(InitValue b, long[] out, int x) {
    long[] bd = b.dims();
    long c = out.length == 4 ? out[1] : out[out.length - 1];
    boolean fits =
        out.length == 4
            ? (bd.length == 3 && bd[0] == c && bd[1] == 1 && bd[2] == 1)
                || (bd.length == 1 && bd[0] == c && c == out[3] && out[2] == 1 && out[3] == 1)
            : ShapeArithmetic.prod(bd) == c && bd[bd.length - 1] == c;
    if (!fits) {
      throw cx.unsupported(
          "the added initializer "
              + b.name()
              + " "
              + Arrays.toString(bd)
              + " is not a bias of "
              + Arrays.toString(out));
    }
    int[] shape = {(int) c};
    cx.usedParam(b.name());
    cx.bindings.add(new ParamBinding(b.name(), b.source(), false));
    return cx.addNode(
        b.name(),
        Primitive.BIAS,
        new Ops.Bias(),
        shape,
        List.of(new ParamSpec(b.name(), shape, false)),
        out,
        x);
  }

  void batchNorm(OnnxMl.NodeProto n) {
    for (int k = 1; k < n.getOutputCount(); k++) {
      if (!n.getOutput(k).isEmpty() && cx.consumed(n.getOutput(k))) {
        throw cx.unsupported(
            "its running-statistics outputs are used (training-mode export); export in eval mode "
                + "with TrainingMode.PRESERVE");
      }
    }
    NodeValue x = cx.node(n.getInput(0), false);
    if (n.getInputCount() < 5) {
      throw cx.unsupported("expected inputs X, scale, B, mean, var");
    }
    InitValue scale = cx.init(n, 1, "scale (BatchNorm weight)");
    InitValue bias = cx.init(n, 2, "B (BatchNorm bias)");
    if (x.shape().length != 4) {
      throw cx.unsupported("only BatchNorm over [N, C, H, W] is supported");
    }
    int[] shape = ints(scale.dims());
    double eps = cx.attrs().f("epsilon", 1e-5);
    // ONNX's momentum weighs the old running value; PyTorch's the new batch value
    double momentum = 1.0 - cx.attrs().f("momentum", 0.9);
    int k =
        cx.addNode(
            scale.name(),
            Primitive.BN,
            new Ops.BatchNorm(eps, momentum, true),
            shape,
            List.of(cx.param(scale, true), cx.param(bias, false)),
            x.shape(),
            x.node());
    cx.values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
  }

  static long convOut(long in, long k, int stride, int pad, int dil, boolean ceil) {
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
}
