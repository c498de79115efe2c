package ghn4j.onnx;

import static ghn4j.onnx.ImportContext.ints;
import static ghn4j.onnx.LayerMapper.convOut;

import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Ops;
import ghn4j.graph.Primitive;
import ghn4j.onnx.ImportValue.NodeValue;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ONNX pooling ops: {@code MaxPool}/{@code AveragePool} → {@code max_pool}/{@code avg_pool}
 * (absorbing a pending {@code Pad}), {@code GlobalAveragePool} and {@code ReduceMean} over H, W →
 * {@code glob_avg} when the dims are kept, else an invisible mean (ppuda's filter drops it).
 */
final class PoolMapper {
  private final ImportContext cx;

  PoolMapper(ImportContext cx) {
    this.cx = cx;
  }

  /** kernel, stride, padding of a square 2-D pool; pending zero padding added to {@code extra}. */
  private int[] poolGeometry(NodeValue x) {
    int[] k = ints(cx.attrs().ints("kernel_shape", null));
    int[] s = ints(cx.attrs().ints("strides", new long[] {1, 1}));
    int[] p = ints(cx.attrs().ints("pads", new long[] {0, 0, 0, 0}));
    int[] d = ints(cx.attrs().ints("dilations", new long[] {1, 1}));
    String autoPad = cx.attrs().s("auto_pad", "NOTSET");
    if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
      throw cx.unsupported("auto_pad " + autoPad + " is not supported; export with explicit pads");
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
      throw cx.unsupported(
          "only square 2-D pooling with equal strides and pads and no dilation is supported (kernel "
              + Arrays.toString(k)
              + ", strides "
              + Arrays.toString(s)
              + ", pads "
              + Arrays.toString(p)
              + ")");
    }
    if (x.shape().length != 4) {
      throw cx.unsupported("pooling needs [N, C, H, W], got " + Arrays.toString(x.shape()));
    }
    return new int[] {k[0], s[0], p[0]};
  }

  void maxPool(OnnxMl.NodeProto n) {
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && cx.consumed(n.getOutput(1))) {
      throw cx.unsupported("its indices output is used");
    }
    NodeValue x = cx.node(n.getInput(0), true);
    if (x.pad() != null && (x.pad()[0] != 0 || x.pad()[1] != 0)) {
      throw cx.unsupported("a zero Pad before max pooling is not max pooling's -inf padding");
    }
    int[] geo = poolGeometry(x);
    boolean ceil = cx.attrs().i("ceil_mode", 0) != 0;
    long[] s = x.shape();
    long[] out = {
      s[0],
      s[1],
      convOut(s[2], geo[0], geo[1], geo[2], 1, ceil),
      convOut(s[3], geo[0], geo[1], geo[2], 1, ceil)
    };
    int k =
        cx.addNode(
            cx.nodeName(n),
            Primitive.MAX_POOL,
            new Ops.MaxPool(geo[0], geo[1], geo[2], ceil),
            new int[] {1, 1, geo[0], geo[0]},
            List.of(),
            out,
            x.node());
    cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  void avgPool(OnnxMl.NodeProto n) {
    NodeValue x = cx.node(n.getInput(0), true);
    int[] geo = poolGeometry(x);
    if (cx.attrs().i("ceil_mode", 0) != 0) {
      throw cx.unsupported("average pooling with ceil_mode is not supported");
    }
    boolean includePad = cx.attrs().i("count_include_pad", 0) != 0;
    int padding = geo[2];
    if (x.pad() != null) {
      if (x.pad()[0] != x.pad()[1]) {
        throw cx.unsupported("a non-square Pad before average pooling is not supported");
      }
      if (x.pad()[0] > 0) {
        if (padding > 0 && !includePad) {
          throw cx.unsupported(
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
          cx.addNode(
              cx.nodeName(n),
              Primitive.GLOB_AVG,
              new Ops.AvgPool(1, 1, 0, includePad),
              null,
              List.of(),
              out,
              x.node());
      cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
      return;
    }
    int k =
        cx.addNode(
            cx.nodeName(n),
            Primitive.AVG_POOL,
            new Ops.AvgPool(geo[0], geo[1], padding, includePad),
            new int[] {1, 1, geo[0], geo[0]},
            List.of(),
            out,
            x.node());
    cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  /**
   * Mean over H, W: {@code glob_avg} when the dims are kept (PyTorch's adaptive pooling to 1×1),
   * else invisible.
   */
  void globalAvgPool(OnnxMl.NodeProto n, boolean keepDims) {
    NodeValue x = cx.node(n.getInput(0), false);
    long[] s = x.shape();
    if (s.length != 4) {
      throw cx.unsupported("global pooling needs [N, C, H, W], got " + Arrays.toString(s));
    }
    int k;
    long[] out;
    if (keepDims) {
      out = new long[] {s[0], s[1], 1, 1};
      k =
          cx.addNode(
              cx.nodeName(n),
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
      k = cx.addNode(cx.nodeName(n), null, new Ops.GlobalAvgPool(), null, List.of(), out, x.node());
    }
    cx.values.put(n.getOutput(0), new NodeValue(k, out, null));
  }

  void reduceMean(OnnxMl.NodeProto n) {
    long[] axes =
        n.getInputCount() > 1 && !n.getInput(1).isEmpty()
            ? cx.constant(n.getInput(1)).asLongs()
            : cx.attrs().ints("axes", null);
    NodeValue x = cx.node(n.getInput(0), false);
    int r = x.shape().length;
    Set<Long> a = new TreeSet<>();
    if (axes != null) {
      for (long v : axes) {
        a.add(v < 0 ? v + r : v);
      }
    }
    if (r != 4 || !a.equals(Set.of(2L, 3L))) {
      throw cx.unsupported(
          "only ReduceMean over the spatial axes [2, 3] of [N, C, H, W] is supported (global pooling)");
    }
    globalAvgPool(n, cx.attrs().i("keepdims", 1) != 0);
  }
}
