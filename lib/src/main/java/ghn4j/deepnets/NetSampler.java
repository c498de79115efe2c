package ghn4j.deepnets;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws one candidate DeepNets-1M network and applies the structural rules of ppuda's {@code
 * experiments/net_generator.py}; the parameter-count rule needs a counter and lives in {@link
 * SplitGenerator}.
 *
 * <p>Per candidate, in ppuda's order: the number of cells (uniform in [minLayers, maxLayers]), a
 * "deep" threshold from {@code deepLayers}, the steps (uniform in [minSteps, maxSteps], or
 * [minSteps, mediumSteps] when the net has more cells than the threshold), a pool-only reduction
 * cell (½), dropped concat inputs (½, only with > 1 step), {@code none} only with > 1 step, {@code
 * msa} allowed; the stem kernel size from {3, 5, 7}. Then the genotype rejections (see {@link
 * Rejection}), then C_mult ∈ {1, 2}, 1×1 preprocessing, global pooling, the norm, the stem type and
 * pooling, and 1 or 2 classifier layers. The candidate is built with ppuda's generation defaults: C
 * = 32, 10 classes, CIFAR-10 stem, fc_dim = 256.
 */
public final class NetSampler {

  /**
   * Channels of every generated net before an evaluation width is chosen (ppuda's {@code
   * Network(C=32, ...)}).
   */
  public static final int BASE_C = 32;

  /** Hidden classifier width stored with every generated net (ppuda's {@code fc_dim: 256}). */
  public static final int BASE_FC_DIM = 256;

  /** ppuda's {@code norm='bnorm'}. */
  public static final String BN = "bnorm";

  /** Why a candidate was rejected (ppuda: {@code continue} in the generator loop). */
  public enum Rejection {
    /** A {@code cse} op without any conv op in the genotype (hard to train). */
    CSE_WITHOUT_CONV,
    /**
     * More than one {@code cse} in the normal or in the reduction cell (NaN losses when training
     * GHNs).
     */
    TWO_CSE_IN_A_CELL,
    /**
     * More than one {@code conv_5x5}/{@code conv_7x7} in the normal or in the reduction cell
     * (memory).
     */
    TWO_LARGE_CONVS_IN_A_CELL,
    /** No conv, {@code msa} or {@code cse} op at all: nothing to learn. */
    NO_LEARNABLE_OP,
    /**
     * {@code none} ops cut every path to the classifier (ppuda: the graph cannot be constructed).
     */
    DISCONNECTED,
    /** More than the split's max params with the CIFAR-10 or the ImageNet stem (at C = 32). */
    TOO_MANY_PARAMS,
    /** Train only: the net's {@link NetKey} is in an evaluation split. */
    IN_EVALUATION_SPLIT
  }

  /**
   * One draw: the candidate's arguments and why it is rejected, or {@code null} when it passes the
   * structural rules.
   *
   * @param args the candidate (built with C = 32, fc_dim = 256; for genotype rejections only the
   *     genotype, cells and ks are meaningful and the rest are defaults)
   * @param steps steps of the cell
   * @param rejection reason, or null
   */
  public record Draw(NetArgs args, int steps, Rejection rejection) {
    public boolean accepted() {
      return rejection == null;
    }
  }

  private final Split.Settings settings;
  private final GenotypeSampler withNone = new GenotypeSampler(true, true);
  private final GenotypeSampler withoutNone = new GenotypeSampler(false, true);

  public NetSampler(Split.Settings settings) {
    this.settings = settings;
  }

  public Split.Settings settings() {
    return settings;
  }

  /** Draws one candidate and checks every structural rule. */
  public Draw draw(RandomGenerator rng) {
    Split.Settings s = settings;
    int layers = uniform(rng, s.minLayers(), s.maxLayers());
    int deepLayers = s.deepLayers().get(rng.nextInt(s.deepLayers().size()));
    int steps = uniform(rng, s.minSteps(), layers <= deepLayers ? s.maxSteps() : s.mediumSteps());
    boolean onlyPool = rng.nextBoolean();
    boolean dropConcat = steps > 1 && rng.nextBoolean();
    // none (the zero op, for sparse connections) only when there is more than one step
    Genotype genotype =
        (steps > 1 ? withNone : withoutNone).sample(rng, steps, onlyPool, dropConcat);
    int ks = 3 + 2 * rng.nextInt(3);

    Rejection genotypeRule = checkGenotype(genotype);
    if (genotypeRule != null) {
      return new Draw(
          args(genotype, layers, ks, false, 0, BN, true, 1, 1, true), steps, genotypeRule);
    }
    boolean isVit = countOps(genotype.normal(), "msa") + countOps(genotype.reduce(), "msa") > 0;

    int cMult = 1 + rng.nextInt(2);
    boolean preproc;
    if (steps > 1 || cMult > 1) {
      preproc = true; // 1×1 convs are needed to match the channels at each cell's input
    } else if (s.searchPreproc()) {
      // ppuda: (not vit and rand > 0.2) or (vit and rand > 0.8); one draw either way
      preproc = rng.nextDouble() > (isVit ? 0.8 : 0.2);
    } else {
      // some nets without the 1×1 layers for diversity (only ViTs may lack them)
      preproc = !isVit || rng.nextDouble() > 0.8;
    }
    // global pooling most of the time instead of a VGG-style head; always for ViTs and deep nets
    boolean globAvg = isVit || layers > deepLayers || rng.nextDouble() > 0.1;
    String norm =
        switch (s.norm()) {
          case NONE -> null;
          case ALWAYS_BN -> BN;
          case BN_OR_NONE_FOR_SHALLOW ->
              layers <= s.minLayers() + 1 && steps <= s.mediumSteps()
                  ? (rng.nextBoolean() ? BN : null)
                  : BN;
        };
    int stemType = rng.nextInt(2);
    boolean stemPool = stemType == 0 && rng.nextDouble() > 0.5;
    int fcLayers = 1 + rng.nextInt(2);
    NetArgs args =
        args(genotype, layers, ks, stemPool, stemType, norm, preproc, cMult, fcLayers, globAvg);
    return new Draw(
        args, steps, Reachability.outputReachable(args) ? null : Rejection.DISCONNECTED);
  }

  /** The genotype-level rejections of ppuda's generator, or null when the genotype passes. */
  public static Rejection checkGenotype(Genotype g) {
    int cse = countOps(g.normal(), "cse") + countOps(g.reduce(), "cse");
    int msa = countOps(g.normal(), "msa") + countOps(g.reduce(), "msa");
    boolean conv = hasConv(g.normal()) || hasConv(g.reduce());
    if (cse > 0 && !conv) {
      return Rejection.CSE_WITHOUT_CONV;
    }
    if (countOps(g.normal(), "cse") > 1 || countOps(g.reduce(), "cse") > 1) {
      return Rejection.TWO_CSE_IN_A_CELL;
    }
    if (largeConvs(g.normal()) > 1 || largeConvs(g.reduce()) > 1) {
      return Rejection.TWO_LARGE_CONVS_IN_A_CELL;
    }
    if (cse == 0 && msa == 0 && !conv) {
      return Rejection.NO_LEARNABLE_OP;
    }
    return null;
  }

  private static NetArgs args(
      Genotype g,
      int layers,
      int ks,
      boolean stemPool,
      int stemType,
      String norm,
      boolean preproc,
      int cMult,
      int fcLayers,
      boolean globAvg) {
    return new NetArgs(
        BASE_C,
        10,
        g,
        layers,
        ks,
        false,
        stemPool,
        stemType,
        null,
        norm,
        preproc,
        cMult,
        fcLayers,
        BASE_FC_DIM,
        globAvg);
  }

  private static int uniform(RandomGenerator rng, int min, int maxInclusive) {
    return min + rng.nextInt(maxInclusive - min + 1);
  }

  static int countOps(List<Genotype.Edge> edges, String op) {
    int n = 0;
    for (Genotype.Edge e : edges) {
      if (e.op().equals(op)) {
        n++;
      }
    }
    return n;
  }

  /** ppuda's {@code is_conv}: any op whose name contains "conv" (sep_conv, dil_conv, conv_*). */
  private static boolean hasConv(List<Genotype.Edge> edges) {
    for (Genotype.Edge e : edges) {
      if (e.op().contains("conv")) {
        return true;
      }
    }
    return false;
  }

  private static int largeConvs(List<Genotype.Edge> edges) {
    return countOps(edges, "conv_5x5") + countOps(edges, "conv_7x7");
  }
}
