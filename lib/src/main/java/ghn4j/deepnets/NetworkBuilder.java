package ghn4j.deepnets;

import ghn4j.graph.Graph;
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
 *
 * <p>This class walks the network (stem, cells, classifier); the modules inside live in {@link
 * NetModules}, the argument checks in {@link NetArgsCheck}.
 */
public final class NetworkBuilder {

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
    private final NetModules m;

    Walk(NetArgs a, NetEmitter out) {
      this.a = a;
      this.out = out;
      this.vit = isVit(a);
      Norm norm = Norm.of(a.norm());
      this.m = new NetModules(out, norm.batchNorm(), norm == Norm.BATCH_NORM_TRACKED);
      NetArgsCheck.validate(a);
    }

    /** Walks the whole network; returns the output (logits) node. */
    int run() {
      m.cell = 0;
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
            m.conv(
                m.spec("stem0.weight", 3, c).setKernel(ks).optStride(ks).optPadding(ks < 4 ? 1 : 0),
                input);
        int side = imagenet ? 14 : 11;
        ParamSpec pe = m.weight("pos_enc.weight", 1, c, side, side);
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
            m.conv(
                m.spec("stem.0.weight", 3, cStem)
                    .setKernel(ks)
                    .optStride(stride)
                    .optPadding(ks / 2),
                input);
        x = m.norm("stem.1", cStem, x);
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
            m.conv(
                m.spec("stem0.0.weight", 3, c / 2)
                    .setKernel(ks)
                    .optStride(stride)
                    .optPadding(ks / 2),
                input);
        x = m.norm("stem0.1", c / 2, x);
        x = m.relu(x);
        x =
            m.conv(
                m.spec("stem0.3.weight", c / 2, c).setKernel(3).optStride(stride).optPadding(1), x);
        s0 = m.norm("stem0.4", c, x);
        // stem1 starts with ReLU(inplace=True): it rewrites s0, so the first cell also reads
        // m.relu(s0)
        s0 = m.relu(s0);
        x = m.conv(m.spec("stem1.1.weight", c, c).setKernel(3).optStride(2).optPadding(1), s0);
        s1 = m.norm("stem1.2", c, x);
        cPrevPrev = cPrev = c;
      }

      int nCells = a.nCells();
      int steps = a.genotype().normalConcat().size();
      int cCurr = c;
      boolean reductionPrev = a.stemType() == 1;
      for (int i = 0; i < nCells; i++) {
        m.cell = i;
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
      m.cell = nCells - 1;
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
                "glob_avg",
                Primitive.GLOB_AVG,
                new Ops.GlobalAvgPool(),
                null,
                m.cell,
                List.of(),
                s1);
      } else {
        int s;
        if (imagenet) {
          s = a.stemType() == 1 || a.stemPool() ? 7 : 14;
        } else {
          s = a.stemType() == 1 || a.stemPool() ? 4 : 8;
        }
        cPrev *= s * s;
        x = out.node("flatten", null, new Ops.Flatten(), null, m.cell, List.of(), s1);
      }
      int layers = Math.max(1, a.fcLayers());
      int in = cPrev;
      for (int l = 0; l < layers; l++) {
        int outDim = l < layers - 1 ? a.fcDim() : a.numClasses();
        if (l > 0) {
          // nn.ReLU then nn.Dropout(0.5) between layers, as ppuda's classifier.(3l-2) and .(3l-1).
          // The dropout is a node without primitive (ppuda's graph has none); it drops only when
          // the Mode says so (meta-training, SGD), as ppuda's nets do in train().
          x = m.relu(x);
          x =
              out.node(
                  "classifier." + (3 * l - 1),
                  null,
                  new Ops.Dropout(0.5),
                  null,
                  m.cell,
                  List.of(),
                  x);
        }
        x = m.linear("classifier." + (3 * l), in, outDim, true, x);
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
          s0 = m.factorizedReduce(prefix + "preprocess0.", cPrevPrev, cOut, 2, s0);
        } else {
          s0 = m.reluConvBn(prefix + "preprocess0.op.", cPrevPrev, cOut, 1, 1, 0, false, s0);
        }
        s1 = m.reluConvBn(prefix + "preprocess1.op.", cPrev, cOut, 1, 1, 0, false, s1);
      } else if (reductionPrev && !vit) {
        s0 = m.subsample(2, 0, s0);
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
              m.op(
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
              out.node("sum", Primitive.SUM, new Ops.Sum(), null, m.cell, List.of(), h[0], h[1]);
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
              dummy = out.node("zeros", null, new Ops.Scale(0), null, m.cell, List.of(), states[j]);
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
      return out.node(
          "concat", Primitive.CONCAT, new Ops.Concat(1), null, m.cell, List.of(), parts);
    }
  }
}
