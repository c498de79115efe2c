package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Ops;
import ghn4j.graph.Primitive;
import ghn4j.onnx.ImportValue.InitValue;
import ghn4j.onnx.ImportValue.NodeValue;
import ghn4j.onnx.ImportValue.ShuffleValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ONNX ops that move or pass values without computing on them: {@code Concat} ({@code concat}),
 * {@code Flatten} and flattening {@code Reshape}, channel shuffles ({@code Reshape → Transpose →
 * Reshape}), {@code Split}/{@code Slice} along channels, {@code Pad} (left pending for the next
 * convolution or pool), {@code Dropout}, {@code Identity} and {@code Cast} aliases.
 */
final class LayoutMapper {
  private final ImportContext cx;

  LayoutMapper(ImportContext cx) {
    this.cx = cx;
  }

  void concat(OnnxMl.NodeProto n) {
    int axis = (int) cx.attrs().i("axis", 0);
    List<Integer> in = new ArrayList<>();
    long[] out = null;
    for (String name : n.getInputList()) {
      NodeValue v = cx.node(name, false);
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
        cx.addNode(
            cx.nodeName(n),
            Primitive.CONCAT,
            new Ops.Concat(ax),
            null,
            List.of(),
            out,
            in.stream().mapToInt(Integer::intValue).toArray());
    cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  void flatten(OnnxMl.NodeProto n) {
    NodeValue x = cx.node(n.getInput(0), false);
    if (cx.attrs().i("axis", 1) != 1) {
      throw cx.unsupported("only Flatten with axis 1 is supported");
    }
    flattenTo(n, x);
  }

  private void flattenTo(OnnxMl.NodeProto n, NodeValue x) {
    long[] s = x.shape();
    if (s.length == 2) {
      cx.values.put(n.getOutput(0), x);
      return;
    }
    long[] out = {s[0], ShapeArithmetic.prod(s) / s[0]};
    int k = cx.addNode(cx.nodeName(n), null, new Ops.Flatten(), null, List.of(), out, x.node());
    cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  void reshape(OnnxMl.NodeProto n) {
    ImportValue v = cx.value(n.getInput(0));
    long[] target = cx.constant(n.getInput(1)).asLongs();
    if (v instanceof ShuffleValue sv && sv.transposed()) {
      long[] out = ShapeArithmetic.resolveReshape(sv.fiveD(), target);
      if (!Arrays.equals(out, sv.inShape())) {
        throw cx.unsupported(
            "a channel shuffle must end in a reshape back to " + Arrays.toString(sv.inShape()));
      }
      int k =
          cx.addNode(
              cx.nodeName(n),
              null,
              new Ops.ChannelShuffle(sv.groups()),
              null,
              List.of(),
              out,
              sv.node());
      cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
      return;
    }
    if (!(v instanceof NodeValue x) || x.pad() != null) {
      throw cx.unsupported("its data input is not a feature map");
    }
    long[] s = x.shape();
    long[] out = ShapeArithmetic.resolveReshape(s, target);
    if (Arrays.equals(out, s)) {
      cx.values.put(n.getOutput(0), x);
    } else if (out.length == 2 && out[0] == s[0]) {
      flattenTo(n, x);
    } else if (s.length == 4
        && out.length == 5
        && out[0] == s[0]
        && out[1] * out[2] == s[1]
        && out[3] == s[2]
        && out[4] == s[3]) {
      cx.values.put(n.getOutput(0), new ShuffleValue(x.node(), s, (int) out[1], false));
    } else {
      throw cx.unsupported(
          "a reshape from "
              + Arrays.toString(s)
              + " to "
              + Arrays.toString(out)
              + " is neither a flatten nor part of a channel shuffle");
    }
  }

  void transpose(OnnxMl.NodeProto n) {
    ImportValue v = cx.value(n.getInput(0));
    long[] perm = cx.attrs().ints("perm", null);
    if (v instanceof InitValue w
        && w.dims().length == 2
        && (perm == null || Arrays.equals(perm, new long[] {1, 0}))) {
      cx.values.put(n.getOutput(0), new InitValue(w.name(), w.source(), w.dims(), !w.transposed()));
    } else if (v instanceof ShuffleValue sv
        && !sv.transposed()
        && Arrays.equals(perm, new long[] {0, 2, 1, 3, 4})) {
      cx.values.put(n.getOutput(0), new ShuffleValue(sv.node(), sv.inShape(), sv.groups(), true));
    } else {
      throw cx.unsupported(
          "only the transpose of a channel shuffle or of a linear weight is supported");
    }
  }

  void split(OnnxMl.NodeProto n) {
    NodeValue x = cx.node(n.getInput(0), false);
    long[] s = x.shape();
    int axis = (int) cx.attrs().i("axis", 0);
    if (axis < 0) {
      axis += s.length;
    }
    long[] sizes =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? cx.constant(n.getInput(1)).asLongs()
            : cx.attrs().ints("split", null);
    int parts = n.getOutputCount();
    if (sizes == null) {
      if (s[axis] % parts != 0) {
        throw cx.unsupported("cannot split " + s[axis] + " into " + parts + " equal parts");
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
      throw cx.unsupported("slicing the batch axis is not supported");
    }
    int k =
        cx.addNode(
            cx.nodeName(n) + (output > 0 ? ":" + output : ""),
            null,
            new Ops.Narrow(axis, start, length),
            null,
            List.of(),
            out,
            x.node());
    cx.values.put(n.getOutput(output), new NodeValue(k, out, null));
  }

  void slice(OnnxMl.NodeProto n) {
    NodeValue x = cx.node(n.getInput(0), false);
    long[] s = x.shape();
    long[] starts = cx.constant(n.getInput(1)).asLongs();
    long[] ends = cx.constant(n.getInput(2)).asLongs();
    long[] axes =
        n.getInputCount() > 3 && !n.getInput(3).isEmpty()
            ? cx.constant(n.getInput(3)).asLongs()
            : null;
    long[] steps =
        n.getInputCount() > 4 && !n.getInput(4).isEmpty()
            ? cx.constant(n.getInput(4)).asLongs()
            : null;
    if (starts.length != 1 || (steps != null && steps[0] != 1)) {
      throw cx.unsupported("only a slice along one axis with step 1 is supported");
    }
    int axis = (int) (axes == null ? 0 : axes[0] < 0 ? axes[0] + s.length : axes[0]);
    long a = ShapeArithmetic.clampIndex(starts[0], s[axis]);
    long b = ShapeArithmetic.clampIndex(ends[0], s[axis]);
    if (a == 0 && b == s[axis]) {
      cx.values.put(n.getOutput(0), x);
      return;
    }
    narrow(n, 0, x, axis, (int) a, (int) Math.max(0, b - a));
  }

  void pad(OnnxMl.NodeProto n) {
    NodeValue x = cx.node(n.getInput(0), false);
    String mode = cx.attrs().s("mode", "constant");
    long[] pads =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? cx.constant(n.getInput(1)).asLongs()
            : cx.attrs().ints("pads", null);
    double value =
        n.getInputCount() > 2 && !n.getInput(2).isEmpty()
            ? cx.scalar(n.getInput(2))
            : cx.attrs().f("value", 0);
    if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) {
      throw cx.unsupported(
          "Pad with an axes input (opset 18) is not supported; pads must cover all four axes");
    }
    long[] s = x.shape();
    if (!mode.equals("constant")
        || value != 0
        || pads == null
        || pads.length != 8
        || s.length != 4) {
      throw cx.unsupported(
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
      throw cx.unsupported(
          "only symmetric padding of H and W is supported, got " + Arrays.toString(pads));
    }
    if (pads[2] == 0 && pads[3] == 0) {
      cx.values.put(n.getOutput(0), x);
      return;
    }
    long[] out = {s[0], s[1], s[2] + 2 * pads[2], s[3] + 2 * pads[3]};
    // the convolution or pooling that reads this value absorbs the padding (checked there)
    cx.values.put(
        n.getOutput(0), new NodeValue(x.node(), out, new int[] {(int) pads[2], (int) pads[3]}));
  }

  void dropout(OnnxMl.NodeProto n) {
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && cx.consumed(n.getOutput(1))) {
      throw cx.unsupported("its mask output is used");
    }
    NodeValue x = cx.node(n.getInput(0), false);
    double p =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? cx.scalar(n.getInput(1))
            : cx.attrs().f("ratio", 0.5);
    int k =
        cx.addNode(cx.nodeName(n), null, new Ops.Dropout(p), null, List.of(), x.shape(), x.node());
    cx.values.put(n.getOutput(0), new NodeValue(k, x.shape(), null));
  }

  /**
   * An alias; of an initializer, a parameter of its own (the exporter's deduplication of equal
   * tensors).
   */
  void identity(OnnxMl.NodeProto n) {
    ImportValue v = cx.value(n.getInput(0));
    if (v instanceof InitValue iv) {
      cx.values.put(
          n.getOutput(0), new InitValue(n.getOutput(0), iv.source(), iv.dims(), iv.transposed()));
    } else {
      cx.values.put(n.getOutput(0), v);
    }
  }

  void alias(OnnxMl.NodeProto n) {
    cx.values.put(n.getOutput(0), cx.value(n.getInput(0)));
  }
}
