package ghn4j.deepnets;

import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.List;

/**
 * The modules of ppuda's DeepNets-1M networks (ppuda/deepnets1m/ops.py: its {@code OPS} table, the
 * separable, dilated and factorised-reduce convolutions, the transformer and ChannelSE blocks, and
 * single convolutions, norms and linear layers) as {@link NetworkBuilder}'s walk emits them: each
 * declares its parameters in {@code state_dict} order, then emits its forward nodes.
 */
final class NetModules {

  private static final double BN_EPS = 1e-5;
  private static final double BN_MOMENTUM = 0.1;
  private static final double LN_EPS = 1e-5;

  /** ppuda's Transformer default number of heads. */
  private static final int MSA_HEADS = 8;

  /**
   * Name of the ChannelSE squeeze (a mean that ppuda's graph drops), as {@link AutogradTrace}
   * recognises it.
   */
  static final String CSE_SQUEEZE = "squeeze";

  private final NetEmitter out;
  private final boolean hasNorm;
  private final boolean trackStats;

  /** The cell the emitted nodes belong to (0 for the stem, the last cell for the classifier). */
  int cell;

  NetModules(NetEmitter out, boolean hasNorm, boolean trackStats) {
    this.out = out;
    this.hasNorm = hasNorm;
    this.trackStats = trackStats;
  }

  /** One op of ppuda's {@code OPS} table; declares its modules even when its input is None. */
  int op(String prefix, CellOp op, int cIn, int cOut, int stride, int x) {
    int ks = op.ks();
    return switch (op.kind()) {
      case NONE -> NetEmitter.NONE; // Zero: skipped by Cell.forward
      case SKIP_CONNECT -> stride == 1 ? x : factorizedReduce(prefix, cIn, cOut, stride, x);
      case AVG_POOL ->
          out.node(
              "avg_pool",
              Primitive.AVG_POOL,
              new Ops.AvgPool(ks, stride, ks / 2, false),
              new int[] {1, 1, ks, ks},
              cell,
              List.of(),
              x);
      case MAX_POOL ->
          out.node(
              "max_pool",
              Primitive.MAX_POOL,
              new Ops.MaxPool(ks, stride, ks / 2),
              new int[] {1, 1, ks, ks},
              cell,
              List.of(),
              x);
      case CONV -> reluConvBn(prefix + "op.", cIn, cOut, ks, stride, ks / 2, false, x);
      case CONV2 -> reluConvBn(prefix + "op.", cIn, cOut, ks, stride, ks / 2, true, x);
      case SEP_CONV -> sepConv(prefix + "op.", cIn, cOut, ks, stride, ks / 2, x);
      case DIL_CONV -> dilConv(prefix + "op.", cIn, cOut, ks, stride, ks - ks % 2, 2, x);
      case CONV_STRIDE -> {
        int pad = ks < 4 ? 1 : 0;
        yield conv(
            spec(prefix + "weight", cIn, cOut).setKernel(ks).optStride(ks).optPadding(pad), x);
      }
      case MSA -> transformer(prefix, cIn, cOut, stride, x);
      case CSE -> channelSe(prefix, cIn, cOut, stride, x);
    };
  }

  int reluConvBn(
      String prefix, int cIn, int cOut, int ks, int stride, int pad, boolean twoConvs, int x) {
    x = relu(x);
    if (twoConvs) {
      x =
          conv(
              spec(prefix + "1.weight", cIn, cIn)
                  .setKernel(1, ks)
                  .optStride(1, stride)
                  .optPadding(0, pad),
              x);
      x =
          conv(
              spec(prefix + "2.weight", cIn, cOut)
                  .setKernel(ks, 1)
                  .optStride(stride, 1)
                  .optPadding(pad, 0),
              x);
      return norm(prefix + "3", cOut, x);
    }
    x =
        conv(
            spec(prefix + "1.weight", cIn, cOut).setKernel(ks).optStride(stride).optPadding(pad),
            x);
    return norm(prefix + "2", cOut, x);
  }

  int sepConv(String prefix, int cIn, int cOut, int ks, int stride, int pad, int x) {
    x = relu(x);
    x =
        conv(
            spec(prefix + "1.weight", cIn, cIn)
                .setKernel(ks)
                .optStride(stride)
                .optPadding(pad)
                .optGroups(cIn),
            x);
    x = conv(spec(prefix + "2.weight", cIn, cIn).setKernel(1), x);
    x = norm(prefix + "3", cIn, x);
    x = relu(x);
    x = conv(spec(prefix + "5.weight", cIn, cIn).setKernel(ks).optPadding(pad).optGroups(cIn), x);
    x = conv(spec(prefix + "6.weight", cIn, cOut).setKernel(1), x);
    return norm(prefix + "7", cOut, x);
  }

  int dilConv(String prefix, int cIn, int cOut, int ks, int stride, int pad, int dilation, int x) {
    x = relu(x);
    x =
        conv(
            spec(prefix + "1.weight", cIn, cIn)
                .setKernel(ks)
                .optStride(stride)
                .optPadding(pad)
                .optDilation(dilation)
                .optGroups(cIn),
            x);
    x = conv(spec(prefix + "2.weight", cIn, cOut).setKernel(1), x);
    return norm(prefix + "3", cOut, x);
  }

  /** ReLU, two 1×1 strided convs (the second on the input shifted by one pixel), concat, BN. */
  int factorizedReduce(String prefix, int cIn, int cOut, int stride, int x) {
    if (cOut % 2 != 0) {
      throw new IllegalArgumentException(
          prefix + ": FactorizedReduce needs an even number of channels, got " + cOut);
    }
    x = relu(x);
    int a1 = conv(spec(prefix + "conv_1.weight", cIn, cOut / 2).setKernel(1).optStride(stride), x);
    int shifted = stride > 1 ? subsample(1, 1, x) : x;
    int a2 =
        conv(spec(prefix + "conv_2.weight", cIn, cOut / 2).setKernel(1).optStride(stride), shifted);
    int cat =
        out.node("concat", Primitive.CONCAT, new Ops.Concat(1), null, cell, List.of(), a1, a2);
    return norm(prefix + "bn", cOut, cat);
  }

  /**
   * ppuda's Transformer (pre-norm MSA block and MLP, each with a residual) on the image's pixels as
   * tokens; module order to_qkv, to_out, ln1, ln2, ff, forward order ln1, to_qkv, attention,
   * to_out, ln2, ff.
   */
  int transformer(String prefix, int dim, int dimOut, int stride, int x) {
    int inner = (dim / MSA_HEADS) * MSA_HEADS;
    ParamSpec qkv = weight(prefix + "to_qkv.weight", 3 * inner, dim);
    ParamSpec outW = weight(prefix + "to_out.0.weight", dimOut, inner);
    ParamSpec outB = bias(prefix + "to_out.0.bias", dimOut);
    ParamSpec ln1W = weight(prefix + "ln1.weight", dim);
    ParamSpec ln1B = bias(prefix + "ln1.bias", dim);
    ParamSpec ln2W = weight(prefix + "ln2.weight", dim);
    ParamSpec ln2B = bias(prefix + "ln2.bias", dim);
    ParamSpec ff0W = weight(prefix + "ff.net.0.weight", dimOut, dim);
    ParamSpec ff0B = bias(prefix + "ff.net.0.bias", dimOut);
    ParamSpec ff3W = weight(prefix + "ff.net.3.weight", dim, dimOut);
    ParamSpec ff3B = bias(prefix + "ff.net.3.bias", dim);

    int tokens = out.node("to_tokens", null, new Ops.ToTokens(), null, cell, List.of(), x);
    int h = layerNorm(ln1W, ln1B, tokens);
    h = linearNode(qkv, null, h);
    // primitive-less; GraphEmitter shows it as msa where ppuda's filter keeps it (AutogradTrace)
    h = out.node("attention", null, new Ops.Attention(MSA_HEADS), null, cell, List.of(), h);
    h = linearNode(outW, outB, h);
    int res = out.node("sum", Primitive.SUM, new Ops.Sum(), null, cell, List.of(), h, tokens);
    h = layerNorm(ln2W, ln2B, res);
    h = linearNode(ff0W, ff0B, h);
    h = activation("gelu", h);
    h = linearNode(ff3W, ff3B, h);
    h = out.node("sum", Primitive.SUM, new Ops.Sum(), null, cell, List.of(), h, res);
    h = out.node("to_image", null, new Ops.ToImage(), null, cell, List.of(), h);
    return stride > 1 ? subsample(stride, 0, h) : h;
  }

  /**
   * ppuda's ChannelSELayer: squeeze (mean), fc1, ReLU, fc2, Hardswish gate, channel scale, stride.
   */
  int channelSe(String prefix, int c, int cOut, int stride, int x) {
    if (cOut != c) {
      throw new IllegalArgumentException(
          prefix + ": cse supports only C_in == C_out, got " + c + " and " + cOut);
    }
    int reduced = c / 2;
    // ppuda's graph drops this mean (keepdim=False): no primitive
    int h = out.node(CSE_SQUEEZE, null, new Ops.GlobalAvgPool(), null, cell, List.of(), x);
    h = linear(prefix + "fc1", c, reduced, true, h);
    h = relu(h);
    h = linear(prefix + "fc2", reduced, c, true, h);
    h = activation("hardswish", h);
    // primitive-less; GraphEmitter shows it as cse where ppuda's filter keeps it (AutogradTrace)
    h = out.node("cse", null, new Ops.ChannelScale(), null, cell, List.of(), x, h);
    return stride > 1 ? subsample(stride, 0, h) : h;
  }

  // ---- single modules ----

  ParamSpec weight(String name, int... shape) {
    ParamSpec p = new ParamSpec(name, shape, true);
    out.declare(p);
    return p;
  }

  ParamSpec bias(String name, int... shape) {
    ParamSpec p = new ParamSpec(name, shape, false);
    out.declare(p);
    return p;
  }

  /** A builder for the convolution whose weight is {@code name}. */
  ConvSpec.Builder spec(String name, int cIn, int cOut) {
    return ConvSpec.builder(name, cIn, cOut);
  }

  int conv(ConvSpec.Builder spec, int x) {
    ConvSpec c = spec.build();
    ParamSpec w = weight(c.name(), c.cOut(), c.cIn() / c.groups(), c.kh(), c.kw());
    Primitive p =
        c.groups() > 1
            ? (c.dilation() > 1 ? Primitive.DIL_CONV : Primitive.SEP_CONV)
            : Primitive.CONV;
    Op op =
        new Ops.Conv(
            new int[] {c.sh(), c.sw()},
            new int[] {c.ph(), c.pw()},
            new int[] {c.dilation(), c.dilation()},
            c.groups());
    return out.node(c.name(), p, op, w.shape(), cell, List.of(w), x);
  }

  /** BatchNorm2d (affine) when the net has a norm, else the identity. */
  int norm(String prefix, int c, int x) {
    if (!hasNorm) {
      return x;
    }
    ParamSpec w = weight(prefix + ".weight", c);
    ParamSpec b = bias(prefix + ".bias", c);
    return out.node(
        w.name(),
        Primitive.BN,
        new Ops.BatchNorm(BN_EPS, BN_MOMENTUM, trackStats),
        w.shape(),
        cell,
        List.of(w, b),
        x);
  }

  int layerNorm(ParamSpec w, ParamSpec b, int x) {
    return out.node(
        w.name(), Primitive.LN, new Ops.LayerNorm(LN_EPS), w.shape(), cell, List.of(w, b), x);
  }

  int linear(String prefix, int in, int outDim, boolean withBias, int x) {
    ParamSpec w = weight(prefix + ".weight", outDim, in);
    ParamSpec b = withBias ? bias(prefix + ".bias", outDim) : null;
    return linearNode(w, b, x);
  }

  /**
   * A Linear layer as ppuda's graph shows it: the weight as a {@code conv} node, then the bias as
   * its own node.
   */
  int linearNode(ParamSpec w, ParamSpec b, int x) {
    int h = out.node(w.name(), Primitive.CONV, new Ops.Linear(), w.shape(), cell, List.of(w), x);
    if (b == null) {
      return h;
    }
    return out.node(b.name(), Primitive.BIAS, new Ops.Bias(), b.shape(), cell, List.of(b), h);
  }

  int relu(int x) {
    return activation("relu", x);
  }

  int activation(String fn, int x) {
    return out.node(fn, null, new Ops.Activation(fn), null, cell, List.of(), x);
  }

  int subsample(int stride, int offset, int x) {
    return out.node("subsample", null, new Ops.Subsample(stride, offset), null, cell, List.of(), x);
  }
}
