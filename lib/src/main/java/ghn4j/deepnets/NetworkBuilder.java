package ghn4j.deepnets;

import ghn4j.graph.Graph;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.List;

/**
 * Builds ppuda's DeepNets-1M {@code Network} (ppuda/deepnets1m/net.py and ops.py) from its {@link
 * NetArgs}: the parameter count of the module as built, and the executable {@link Graph} of its
 * live part.
 *
 * <p>One walk over the network describes both: every module declares its parameters in {@code
 * state_dict} order, and the forward pass emits nodes (ReLUs, reshapes and other ops a GHN does not
 * see have no {@link Primitive}). Counting only sums the declarations, so {@link #countParams}
 * builds no graph and is fast enough for the generator's max-params rule.
 *
 * <p>The graph follows ppuda's forward exactly (so logits can match): {@code none} ops and ops on
 * {@code None} states are skipped as {@code Cell.forward} does, {@code None} concat inputs become
 * {@code 0 · x}, a transformer works on tokens, ChannelSE uses a Hardswish gate. Its primitive view
 * reproduces ppuda's filtered autograd graph: sums and concats with one distinct input vanish,
 * Linear layers are a {@code conv} node then a {@code bias} node, the CSE squeeze mean is
 * invisible, and the MSA attention core and the CSE channel gate are visible exactly where ppuda's
 * positional filter keeps them ({@link AutogradTrace}).
 */
public final class NetworkBuilder {

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

  private NetworkBuilder() {}

  /**
   * Trainable parameters of the module as ppuda builds it, dead modules included (what the
   * generator's max-params rule and its statistics use). Builds no graph.
   */
  public static long countParams(NetArgs args) {
    NetEmitter.Counter counter = new NetEmitter.Counter();
    new Walk(args, counter).run();
    return counter.total();
  }

  /** The network: its live graph and its state dicts. */
  public static BuiltNetwork build(NetArgs args) {
    GraphEmitter emitter = new GraphEmitter(AutogradTrace.shownNodes(args));
    int output = walk(args, emitter);
    return emitter.finish(output, args.nCells());
  }

  /** Walks the network into {@code out}; returns the output node's handle. */
  static int walk(NetArgs args, NetEmitter out) {
    return new Walk(args, out).run();
  }

  /** The executable graph of the network's live part ({@code build(args).graph()}). */
  public static Graph graph(NetArgs args) {
    return build(args).graph();
  }

  /**
   * Whether the network is a ViT (ppuda's {@code is_vit}: given, or else whether the genotype has
   * an msa op).
   */
  public static boolean isVit(NetArgs args) {
    return args.isVit() != null ? args.isVit() : hasOp(args.genotype(), CellOp.Kind.MSA);
  }

  private static boolean hasOp(Genotype g, CellOp.Kind kind) {
    for (List<Genotype.Edge> edges : List.of(g.normal(), g.reduce())) {
      for (Genotype.Edge e : edges) {
        if (CellOp.parse(e.op()).kind() == kind) {
          return true;
        }
      }
    }
    return false;
  }

  /** One walk over the network: module declarations in state_dict order, nodes in forward order. */
  private static final class Walk {
    private final NetArgs a;
    private final NetEmitter out;
    private final boolean vit;
    private final boolean hasNorm;
    private final boolean trackStats;
    private int cell;

    Walk(NetArgs a, NetEmitter out) {
      this.a = a;
      this.out = out;
      this.vit = isVit(a);
      Norm norm = Norm.of(a.norm());
      this.hasNorm = norm.batchNorm();
      this.trackStats = norm == Norm.BATCH_NORM_TRACKED;
      validate();
    }

    private void validate() {
      if (a.C() <= 0 || a.numClasses() <= 0 || a.nCells() <= 0) {
        throw new IllegalArgumentException(
            "C, num_classes and n_cells must be positive: "
                + a.C()
                + ", "
                + a.numClasses()
                + ", "
                + a.nCells());
      }
      if (a.stemType() != 0 && a.stemType() != 1) {
        throw new IllegalArgumentException(
            "stem_type must be 0 (simple) or 1 (ImageNet-style), got " + a.stemType());
      }
      int steps = a.genotype().normalConcat().size();
      if ((steps > 1 || a.cMult() > 1) && !a.preproc()) {
        throw new IllegalArgumentException(
            "preproc must be true when the concat has > 1 input or C_mult > 1");
      }
      if (a.fcLayers() > 1 && a.fcDim() <= 0) {
        throw new IllegalArgumentException(
            "fc_dim must be positive when fc_layers > 1, got " + a.fcDim());
      }
      checkCell("normal", a.genotype().normal(), a.genotype().normalConcat());
      checkCell("reduce", a.genotype().reduce(), a.genotype().reduceConcat());
    }

    private static void checkCell(String which, List<Genotype.Edge> edges, List<Integer> concat) {
      if (edges.isEmpty() || edges.size() % 2 != 0) {
        throw new IllegalArgumentException(
            which + " cell needs an even, non-zero number of ops, got " + edges.size());
      }
      for (int i = 0; i < edges.size(); i++) {
        Genotype.Edge e = edges.get(i);
        CellOp.parse(e.op());
        if (e.input() < 0 || e.input() >= 2 + i / 2) {
          throw new IllegalArgumentException(
              which
                  + " cell op "
                  + i
                  + " ("
                  + e.op()
                  + ") reads state "
                  + e.input()
                  + ", which does not exist yet");
        }
      }
      if (concat.isEmpty()) {
        throw new IllegalArgumentException(which + " cell concat is empty");
      }
      for (int c : concat) {
        if (c < 0 || c >= 2 + edges.size() / 2) {
          throw new IllegalArgumentException(
              which + " cell concat refers to state " + c + ", which does not exist");
        }
      }
    }

    /** Walks the whole network; returns the output (logits) node. */
    int run() {
      cell = 0;
      int input = out.node("input", Primitive.INPUT, new Ops.Input(), null, 0, List.of());
      int s0;
      int s1;
      int cPrevPrev;
      int cPrev;
      int c = a.C();
      boolean imagenet = a.imagenetInput();
      if (vit) {
        // conv_stride: kernel = stride = 16 (ImageNet) or 3 (CIFAR), padding int(ks < 4)
        int ks = imagenet ? 16 : 3;
        int x =
            conv(
                spec("stem0.weight", 3, c).setKernel(ks).optStride(ks).optPadding(ks < 4 ? 1 : 0),
                input);
        int side = imagenet ? 14 : 11;
        ParamSpec pe = weight("pos_enc.weight", 1, c, side, side);
        int enc =
            out.node(
                "pos_enc.weight",
                Primitive.POS_ENC,
                new Ops.LearnedTensor(),
                pe.shape(),
                0,
                List.of(pe));
        // ppuda inserts a sum after pos_enc in its graph: x + pos_enc
        s0 = s1 = out.node("sum", Primitive.SUM, new Ops.Sum(), null, 0, List.of(), x, enc);
        cPrevPrev = cPrev = c;
      } else if (a.stemType() == 0) {
        int cStem = a.preproc() && !imagenet ? 3 * c : c;
        int ks = a.ks();
        int stride = imagenet ? 4 : 1;
        int x =
            conv(
                spec("stem.0.weight", 3, cStem).setKernel(ks).optStride(stride).optPadding(ks / 2),
                input);
        x = norm("stem.1", cStem, x);
        if (a.stemPool()) {
          x =
              out.node(
                  "max_pool",
                  Primitive.MAX_POOL,
                  new Ops.MaxPool(3, 2, 1),
                  new int[] {1, 1, 3, 3},
                  0,
                  List.of(),
                  x);
        }
        s0 = s1 = x;
        cPrevPrev = cPrev = cStem;
      } else {
        int ks = a.ks();
        int stride = imagenet ? 2 : 1;
        int x =
            conv(
                spec("stem0.0.weight", 3, c / 2).setKernel(ks).optStride(stride).optPadding(ks / 2),
                input);
        x = norm("stem0.1", c / 2, x);
        x = relu(x);
        x = conv(spec("stem0.3.weight", c / 2, c).setKernel(3).optStride(stride).optPadding(1), x);
        s0 = norm("stem0.4", c, x);
        // stem1 starts with ReLU(inplace=True): it rewrites s0, so the first cell also reads
        // relu(s0)
        s0 = relu(s0);
        x = conv(spec("stem1.1.weight", c, c).setKernel(3).optStride(2).optPadding(1), s0);
        s1 = norm("stem1.2", c, x);
        cPrevPrev = cPrev = c;
      }

      int nCells = a.nCells();
      int steps = a.genotype().normalConcat().size();
      int cCurr = c;
      boolean reductionPrev = a.stemType() == 1;
      for (int i = 0; i < nCells; i++) {
        cell = i;
        boolean reduction = isReduction(i);
        if (reduction) {
          cCurr *= a.cMult();
        }
        boolean reductionNext = isReduction(i + 1);
        int cIn = a.preproc() ? cCurr : cPrev;
        int cOut = cCurr * (reductionNext && steps == 1 && !a.preproc() ? a.cMult() : 1);
        int multiplier =
            (reduction ? a.genotype().reduceConcat() : a.genotype().normalConcat()).size();
        int next =
            buildCell(
                "cells." + i + ".", s0, s1, cPrevPrev, cPrev, cIn, cOut, reduction, reductionPrev);
        s0 = s1;
        s1 = next;
        reductionPrev = reduction;
        cPrevPrev = cPrev;
        cPrev = multiplier * cCurr;
      }
      cell = nCells - 1;
      if (s1 == NetEmitter.NONE) {
        // ppuda raises the same error in forward; the parameter count alone would still be defined.
        if (out instanceof NetEmitter.Counter) {
          s1 = 0;
        } else {
          throw new IllegalArgumentException(
              "the network has an invalid configuration: the output of the last cell "
                  + "is None (every input of its concat is behind a none op)");
        }
      }
      int x;
      if (a.globAvg()) {
        x =
            out.node(
                "glob_avg", Primitive.GLOB_AVG, new Ops.GlobalAvgPool(), null, cell, List.of(), s1);
      } else {
        int s;
        if (imagenet) {
          s = a.stemType() == 1 || a.stemPool() ? 7 : 14;
        } else {
          s = a.stemType() == 1 || a.stemPool() ? 4 : 8;
        }
        cPrev *= s * s;
        x = out.node("flatten", null, new Ops.Flatten(), null, cell, List.of(), s1);
      }
      int layers = Math.max(1, a.fcLayers());
      int in = cPrev;
      for (int l = 0; l < layers; l++) {
        int outDim = l < layers - 1 ? a.fcDim() : a.numClasses();
        if (l > 0) {
          // nn.ReLU then nn.Dropout(0.5) between layers, as ppuda's classifier.(3l-2) and .(3l-1).
          // The dropout is a node without primitive (ppuda's graph has none); it drops only when
          // the Mode says so (meta-training, SGD), as ppuda's nets do in train().
          x = relu(x);
          x =
              out.node(
                  "classifier." + (3 * l - 1),
                  null,
                  new Ops.Dropout(0.5),
                  null,
                  cell,
                  List.of(),
                  x);
        }
        x = linear("classifier." + (3 * l), in, outDim, true, x);
        in = outDim;
      }
      return x;
    }

    private boolean isReduction(int cellInd) {
      int n = a.nCells();
      return cellInd > 0 && (cellInd == n / 3 || cellInd == 2 * n / 3);
    }

    /**
     * ppuda's {@code Cell}: preprocessing, the ops of each step, the concat; returns the cell
     * output.
     */
    private int buildCell(
        String prefix,
        int s0,
        int s1,
        int cPrevPrev,
        int cPrev,
        int cIn,
        int cOut,
        boolean reduction,
        boolean reductionPrev) {
      if (a.preproc()) {
        if (reductionPrev && !vit) {
          s0 = factorizedReduce(prefix + "preprocess0.", cPrevPrev, cOut, 2, s0);
        } else {
          s0 = reluConvBn(prefix + "preprocess0.op.", cPrevPrev, cOut, 1, 1, 0, false, s0);
        }
        s1 = reluConvBn(prefix + "preprocess1.op.", cPrev, cOut, 1, 1, 0, false, s1);
      } else if (reductionPrev && !vit) {
        s0 = subsample(2, 0, s0);
      }
      List<Genotype.Edge> edges = reduction ? a.genotype().reduce() : a.genotype().normal();
      List<Integer> concat = reduction ? a.genotype().reduceConcat() : a.genotype().normalConcat();
      int[] states = new int[2 + edges.size() / 2];
      states[0] = s0;
      states[1] = s1;
      for (int step = 0; step < edges.size() / 2; step++) {
        int[] h = new int[2];
        for (int k = 0; k < 2; k++) {
          int opInd = 2 * step + k;
          Genotype.Edge e = edges.get(opInd);
          int stride = reduction && e.input() < 2 && !vit ? 2 : 1;
          int opIn = e.input() <= 1 ? cIn : cOut;
          h[k] =
              op(
                  prefix + "_ops." + opInd + ".",
                  CellOp.parse(e.op()),
                  opIn,
                  cOut,
                  stride,
                  states[e.input()]);
        }
        if (h[0] == NetEmitter.NONE) {
          states[2 + step] = h[1];
        } else if (h[1] == NetEmitter.NONE) {
          states[2 + step] = h[0];
        } else {
          states[2 + step] =
              out.node("sum", Primitive.SUM, new Ops.Sum(), null, cell, List.of(), h[0], h[1]);
        }
      }
      int[] parts = new int[concat.size()];
      int dummy = NetEmitter.NONE;
      for (int k = 0; k < parts.length; k++) {
        parts[k] = states[concat.get(k)];
        if (parts[k] == NetEmitter.NONE && dummy == NetEmitter.NONE) {
          // ppuda replaces None states by (first non-None concat state) * 0
          for (int j : concat) {
            if (states[j] != NetEmitter.NONE) {
              dummy = out.node("zeros", null, new Ops.Scale(0), null, cell, List.of(), states[j]);
              break;
            }
          }
          if (dummy == NetEmitter.NONE) {
            return NetEmitter.NONE;
          }
        }
      }
      for (int k = 0; k < parts.length; k++) {
        if (parts[k] == NetEmitter.NONE) {
          parts[k] = dummy;
        }
      }
      return out.node("concat", Primitive.CONCAT, new Ops.Concat(1), null, cell, List.of(), parts);
    }

    /** One op of ppuda's {@code OPS} table; declares its modules even when its input is None. */
    private int op(String prefix, CellOp op, int cIn, int cOut, int stride, int x) {
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

    private int reluConvBn(
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

    private int sepConv(String prefix, int cIn, int cOut, int ks, int stride, int pad, int x) {
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

    private int dilConv(
        String prefix, int cIn, int cOut, int ks, int stride, int pad, int dilation, int x) {
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
    private int factorizedReduce(String prefix, int cIn, int cOut, int stride, int x) {
      if (cOut % 2 != 0) {
        throw new IllegalArgumentException(
            prefix + ": FactorizedReduce needs an even number of channels, got " + cOut);
      }
      x = relu(x);
      int a1 =
          conv(spec(prefix + "conv_1.weight", cIn, cOut / 2).setKernel(1).optStride(stride), x);
      int shifted = stride > 1 ? subsample(1, 1, x) : x;
      int a2 =
          conv(
              spec(prefix + "conv_2.weight", cIn, cOut / 2).setKernel(1).optStride(stride),
              shifted);
      int cat =
          out.node("concat", Primitive.CONCAT, new Ops.Concat(1), null, cell, List.of(), a1, a2);
      return norm(prefix + "bn", cOut, cat);
    }

    /**
     * ppuda's Transformer (pre-norm MSA block and MLP, each with a residual) on the image's pixels
     * as tokens; module order to_qkv, to_out, ln1, ln2, ff, forward order ln1, to_qkv, attention,
     * to_out, ln2, ff.
     */
    private int transformer(String prefix, int dim, int dimOut, int stride, int x) {
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
     * ppuda's ChannelSELayer: squeeze (mean), fc1, ReLU, fc2, Hardswish gate, channel scale,
     * stride.
     */
    private int channelSe(String prefix, int c, int cOut, int stride, int x) {
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

    private ParamSpec weight(String name, int... shape) {
      ParamSpec p = new ParamSpec(name, shape, true);
      out.declare(p);
      return p;
    }

    private ParamSpec bias(String name, int... shape) {
      ParamSpec p = new ParamSpec(name, shape, false);
      out.declare(p);
      return p;
    }

    /** A builder for the convolution whose weight is {@code name}. */
    private static ConvSpec.Builder spec(String name, int cIn, int cOut) {
      return ConvSpec.builder(name, cIn, cOut);
    }

    private int conv(ConvSpec.Builder spec, int x) {
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
    private int norm(String prefix, int c, int x) {
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

    private int layerNorm(ParamSpec w, ParamSpec b, int x) {
      return out.node(
          w.name(), Primitive.LN, new Ops.LayerNorm(LN_EPS), w.shape(), cell, List.of(w, b), x);
    }

    private int linear(String prefix, int in, int outDim, boolean withBias, int x) {
      ParamSpec w = weight(prefix + ".weight", outDim, in);
      ParamSpec b = withBias ? bias(prefix + ".bias", outDim) : null;
      return linearNode(w, b, x);
    }

    /**
     * A Linear layer as ppuda's graph shows it: the weight as a {@code conv} node, then the bias as
     * its own node.
     */
    private int linearNode(ParamSpec w, ParamSpec b, int x) {
      int h = out.node(w.name(), Primitive.CONV, new Ops.Linear(), w.shape(), cell, List.of(w), x);
      if (b == null) {
        return h;
      }
      return out.node(b.name(), Primitive.BIAS, new Ops.Bias(), b.shape(), cell, List.of(b), h);
    }

    private int relu(int x) {
      return activation("relu", x);
    }

    private int activation(String fn, int x) {
      return out.node(fn, null, new Ops.Activation(fn), null, cell, List.of(), x);
    }

    private int subsample(int stride, int offset, int x) {
      return out.node(
          "subsample", null, new Ops.Subsample(stride, offset), null, cell, List.of(), x);
    }
  }
}
