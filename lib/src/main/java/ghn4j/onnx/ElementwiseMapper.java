package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.Primitive;
import ghn4j.onnx.ImportValue.ConstValue;
import ghn4j.onnx.ImportValue.InitValue;
import ghn4j.onnx.ImportValue.NodeValue;
import java.util.Arrays;
import java.util.List;

/**
 * The parameter-free ONNX ops that compute on feature maps: activations ({@code Relu}, {@code Clip}
 * as ReLU6, {@code Sigmoid}, {@code HardSigmoid}, {@code HardSwish}, {@code Tanh}), {@code Add} of
 * two maps ({@code sum}) or of a bias, and {@code Mul} as SiLU, hard-swish, a
 * squeeze-and-excitation gate or a scalar factor.
 */
final class ElementwiseMapper {
  private final ImportContext cx;
  private final LayerMapper layers;

  ElementwiseMapper(ImportContext cx, LayerMapper layers) {
    this.cx = cx;
    this.layers = layers;
  }

  void activation(OnnxMl.NodeProto n, String fn) {
    NodeValue x = cx.node(n.getInput(0), false);
    int k =
        cx.addNode(
            cx.nodeName(n), null, new Ops.Activation(fn), null, List.of(), x.shape(), x.node());
    cx.values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
  }

  void hardSigmoid(OnnxMl.NodeProto n) {
    double alpha = cx.attrs().f("alpha", 0.2);
    double beta = cx.attrs().f("beta", 0.5);
    if (Math.abs(alpha - 1.0 / 6) > 1e-6 || Math.abs(beta - 0.5) > 1e-6) {
      throw cx.unsupported(
          "HardSigmoid with alpha "
              + alpha
              + ", beta "
              + beta
              + " is not PyTorch's hardsigmoid "
              + "(alpha 1/6, beta 0.5)");
    }
    activation(n, "hardsigmoid");
  }

  void clip(OnnxMl.NodeProto n) {
    // opset 11+: min and max are optional inputs; before: attributes
    double min =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? cx.scalar(n.getInput(1))
            : cx.attrs().f("min", Double.NEGATIVE_INFINITY);
    double max =
        n.getInputCount() > 2 && !n.getInput(2).isEmpty()
            ? cx.scalar(n.getInput(2))
            : cx.attrs().f("max", Double.POSITIVE_INFINITY);
    if (min == 0 && max == 6) {
      activation(n, "relu6");
    } else if (min == 0 && (Double.isInfinite(max) || max >= Float.MAX_VALUE)) {
      activation(n, "relu");
    } else {
      throw cx.unsupported("Clip(" + min + ", " + max + ") is neither ReLU nor ReLU6");
    }
  }

  void add(OnnxMl.NodeProto n) {
    ImportValue a = cx.value(n.getInput(0));
    ImportValue b = cx.value(n.getInput(1));
    if (a instanceof InitValue || a instanceof ConstValue) {
      ImportValue t = a;
      a = b;
      b = t;
    }
    if (a instanceof NodeValue x && b instanceof NodeValue y) {
      cx.checkNoPad(x);
      cx.checkNoPad(y);
      long[] out = cx.broadcast(x.shape(), y.shape());
      int k =
          cx.addNode(
              cx.nodeName(n),
              Primitive.SUM,
              new Ops.Sum(),
              null,
              List.of(),
              out,
              x.node(),
              y.node());
      cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
    } else if (a instanceof NodeValue x && b instanceof InitValue bias && !bias.transposed()) {
      cx.checkNoPad(x);
      cx.values.put(
          n.getOutput(0), new NodeValue(layers.bias(bias, x.shape(), x.node()), x.shape(), null));
    } else {
      throw cx.unsupported("only the sum of two feature maps or a bias initializer is supported");
    }
  }

  void mul(OnnxMl.NodeProto n) {
    ImportValue a = cx.value(n.getInput(0));
    ImportValue b = cx.value(n.getInput(1));
    if (a instanceof ConstValue) {
      ImportValue t = a;
      a = b;
      b = t;
    }
    if (a instanceof NodeValue x && b instanceof ConstValue c && c.constant().numel() == 1) {
      cx.checkNoPad(x);
      int k =
          cx.addNode(
              cx.nodeName(n),
              null,
              new Ops.Scale(c.constant().values()[0]),
              null,
              List.of(),
              x.shape(),
              x.node());
      cx.values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
      return;
    }
    if (!(a instanceof NodeValue x) || !(b instanceof NodeValue y)) {
      throw cx.unsupported(
          "only x·sigmoid(x) (SiLU), x·hardsigmoid(x) (hard-swish), a squeeze-and-excitation gate "
              + "or a scalar factor are supported");
    }
    cx.checkNoPad(x);
    cx.checkNoPad(y);
    // x · sigmoid(x) = SiLU, x · hardsigmoid(x) = hard-swish: one activation of x (the gate node is
    // left dead)
    for (NodeValue[] p : new NodeValue[][] {{x, y}, {y, x}}) {
      String fn = gateFn(p[1].node());
      if (fn != null && cx.nodes.get(p[1].node()).input(0) == p[0].node()) {
        String act = fn.equals("sigmoid") ? "silu" : "hardswish";
        int k =
            cx.addNode(
                cx.nodeName(n),
                null,
                new Ops.Activation(act),
                null,
                List.of(),
                p[0].shape(),
                p[0].node());
        cx.values.put(n.getOutput(0), new NodeValue(k, p[0].shape(), null));
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
      throw cx.unsupported(
          "a product of feature maps "
              + Arrays.toString(x.shape())
              + " and "
              + Arrays.toString(y.shape())
              + " that is neither SiLU, hard-swish nor a squeeze-and-excitation gate [N, C, 1, 1]");
    }
    int k =
        cx.addNode(
            cx.nodeName(n),
            null,
            new Ops.ChannelScale(),
            null,
            List.of(),
            map.shape(),
            map.node(),
            gate.node());
    cx.values.put(n.getOutput(0), new NodeValue(k, map.shape(), null));
  }

  /** "sigmoid" or "hardsigmoid" if graph node {@code k} is that activation, else null. */
  private String gateFn(int k) {
    Op op = cx.nodes.get(k).op();
    if (op instanceof Ops.Activation a
        && (a.fn().equals("sigmoid") || a.fn().equals("hardsigmoid"))) {
      return a.fn();
    }
    return null;
  }
}
