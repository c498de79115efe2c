package ghn4j.deepnets;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Samples random DARTS-style cell genotypes over ppuda's extended op set ({@code
 * PRIMITIVES_DARTS_EXT}), the cell-level half of the DeepNets-1M generator ({@code sample_genotype}
 * in ppuda's {@code genotypes.py}).
 *
 * <p>ppuda draws tiny Gaussian logits for every (input, op) pair, soft-maxes them and keeps, for
 * each step, the two inputs with the highest best-op logit and, for each of them, its best op.
 * Since all logits are i.i.d. and ops it forbids get −1000, that is exactly: two distinct inputs
 * uniformly at random (the one listed first is the one with the higher logit, so a uniformly random
 * order too) and, for each, an op uniform over the allowed ones. We sample that distribution
 * directly instead of materialising logits.
 *
 * <ul>
 *   <li>{@code onlyPool}: the reduction cell uses only {@code none}, the pools and {@code
 *       skip_connect} (ops 0–3 of the list), i.e. no trainable layers, like the best DARTS
 *       reduction cell.
 *   <li>{@code allowNone}: {@code none} (the zero op) may be sampled; otherwise it is never chosen.
 *   <li>{@code allowTransformer}: {@code msa} may be sampled.
 *   <li>{@code dropConcat}: each intermediate state {@code 2..steps} enters the cell's concat with
 *       probability ½; the last state {@code steps+1} always does. Normal and reduction cells share
 *       the concat list.
 * </ul>
 */
public final class GenotypeSampler {

  /**
   * ppuda's {@code PRIMITIVES_DARTS_EXT}, in its order (the order matters for {@code onlyPool}: ops
   * 0–3).
   */
  public static final List<String> OPS =
      List.of(
          "none",
          "max_pool_3x3",
          "avg_pool_3x3",
          "skip_connect",
          "sep_conv_3x3",
          "sep_conv_5x5",
          "dil_conv_3x3",
          "dil_conv_5x5",
          "conv_1x1",
          "conv_7x1_1x7",
          "conv_3x3",
          "conv_5x5",
          "conv_7x7",
          "msa",
          "cse");

  /**
   * Number of leading ops of {@link #OPS} a pool-only reduction cell may use (none, max/avg pool,
   * skip).
   */
  public static final int POOL_ONLY_OPS = 4;

  /**
   * Options of one genotype draw (ppuda's {@code sample_genotype} keyword arguments).
   *
   * @param steps number of summation nodes per cell (≥ 1)
   * @param onlyPool reduction cell without trainable ops
   * @param allowNone allow the zero op
   * @param dropConcat randomly drop intermediate states from the concat
   * @param allowTransformer allow {@code msa}
   */
  public record Options(
      int steps,
      boolean onlyPool,
      boolean allowNone,
      boolean dropConcat,
      boolean allowTransformer) {
    public Options {
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be >= 1, got " + steps);
      }
    }
  }

  private final List<String> normalOps;
  private final List<String> reduceOps;
  private final List<String> poolOnlyOps;

  /**
   * A sampler whose op lists follow from {@code allowNone}/{@code allowTransformer}, fixed per
   * instance.
   */
  public GenotypeSampler(boolean allowNone, boolean allowTransformer) {
    List<String> all = new ArrayList<>();
    for (String op : OPS) {
      if ((allowNone || !op.equals("none")) && (allowTransformer || !op.equals("msa"))) {
        all.add(op);
      }
    }
    this.normalOps = List.copyOf(all);
    this.reduceOps = normalOps;
    List<String> pools = new ArrayList<>();
    for (String op : OPS.subList(0, POOL_ONLY_OPS)) {
      if (allowNone || !op.equals("none")) {
        pools.add(op);
      }
    }
    this.poolOnlyOps = List.copyOf(pools);
  }

  /**
   * Draws a genotype; {@code options.allowNone/allowTransformer} select one of the cached op lists.
   */
  public static Genotype sample(RandomGenerator rng, Options options) {
    return new GenotypeSampler(options.allowNone(), options.allowTransformer())
        .sample(rng, options.steps(), options.onlyPool(), options.dropConcat());
  }

  /** Draws a genotype with this sampler's op lists. */
  public Genotype sample(RandomGenerator rng, int steps, boolean onlyPool, boolean dropConcat) {
    List<Genotype.Edge> normal = cell(rng, steps, normalOps);
    List<Genotype.Edge> reduce = cell(rng, steps, onlyPool ? poolOnlyOps : reduceOps);
    List<Integer> concat = new ArrayList<>(steps);
    for (int i = 2; i < steps + 2; i++) {
      // The last state is always kept, otherwise the features of the earlier sum nodes would be
      // lost.
      if (!dropConcat || i == steps + 1 || rng.nextBoolean()) {
        concat.add(i);
      }
    }
    return new Genotype(normal, concat, reduce, concat);
  }

  private static List<Genotype.Edge> cell(RandomGenerator rng, int steps, List<String> ops) {
    List<Genotype.Edge> edges = new ArrayList<>(2 * steps);
    for (int i = 0; i < steps; i++) {
      int states = i + 2; // the two cell inputs and the i earlier steps
      int first = rng.nextInt(states);
      int second = rng.nextInt(states - 1);
      if (second >= first) {
        second++;
      }
      edges.add(new Genotype.Edge(ops.get(rng.nextInt(ops.size())), first));
      edges.add(new Genotype.Edge(ops.get(rng.nextInt(ops.size())), second));
    }
    return edges;
  }
}
