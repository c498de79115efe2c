package ghn4j.train;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import ghn4j.deepnets.SplitGenerator;
import ghn4j.deepnets.TrainingWidth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The training architectures of meta-training and how a step's meta-batch is drawn from them: net
 * indices, then each net's width C and classifier width fc_dim ({@link TrainingWidth}, ppuda's
 * training-time sampling), all from the RNG of {@code (seed, step, attempt)}, so a step's nets
 * depend on nothing but those numbers (exact resume).
 *
 * <p>Nets come from a list (split files, tests) or from the train-split generator on the fly: net
 * {@code i} is the generator's net {@code i}, the same as in {@code ./ghn4j generate train}'s
 * files.
 */
public final class TrainNets {

  private final IntFunction<SampledNet> nets;
  private final int size;

  private TrainNets(IntFunction<SampledNet> nets, int size) {
    this.nets = nets;
    this.size = size;
  }

  /** The given nets (e.g. a split read from files). */
  public static TrainNets of(List<SampledNet> list) {
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no training nets");
    }
    List<SampledNet> copy = List.copyOf(list);
    return new TrainNets(copy::get, copy.size());
  }

  /** The nets of a split directory written by {@code ./ghn4j generate}. */
  public static TrainNets fromDir(Path dir) throws IOException {
    return of(SplitFiles.readAll(dir));
  }

  /**
   * The first {@code numNets} nets of the train split, generated when drawn (its default seed).
   * Creating the generator computes the evaluation splits' keys once (to exclude them), which takes
   * a few seconds.
   */
  public static TrainNets generated(int numNets) {
    SplitGenerator gen = DeepNets.standard().generator(Split.TRAIN, Split.TRAIN.seed());
    return new TrainNets(i -> gen.shard(i, 1, 1).nets().get(0), numNets);
  }

  /** Number of nets to draw from. */
  public int size() {
    return size;
  }

  /** Net {@code index}. */
  public SampledNet net(int index) {
    return nets.apply(index);
  }

  /**
   * The {@code m} nets of a step: indices uniformly at random, widths by {@code widths}, classifier
   * for {@code numClasses} classes.
   */
  public List<NetArgs> metaBatch(
      long seed, long step, int attempt, int m, TrainingWidth widths, int numClasses) {
    return metaBatch(seed, step, attempt, m, widths, numClasses, false);
  }

  /**
   * As {@link #metaBatch(long, long, int, int, TrainingWidth, int)}, with ppuda's ImageNet stem
   * ({@code is_imagenet_input}) when {@code largeInput}.
   */
  public List<NetArgs> metaBatch(
      long seed,
      long step,
      int attempt,
      int m,
      TrainingWidth widths,
      int numClasses,
      boolean largeInput) {
    return metaBatch(seed, step, attempt, m, widths, numClasses, largeInput, NetSampling.UNIFORM);
  }

  /**
   * As {@link #metaBatch(long, long, int, int, TrainingWidth, int, boolean)} with {@code sampling}:
   * a capped slot re-draws until a net has at most {@code sampling.maxParams()} parameters (at most
   * {@link NetSampling#MAX_DRAWS} draws, then the smallest drawn). Uniform sampling draws exactly
   * as ppuda (the same nets as without it).
   */
  public List<NetArgs> metaBatch(
      long seed,
      long step,
      int attempt,
      int m,
      TrainingWidth widths,
      int numClasses,
      boolean largeInput,
      NetSampling sampling) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step, attempt));
    List<NetArgs> out = new ArrayList<>(m);
    for (int j = 0; j < m; j++) {
      SampledNet n = net(rng.nextInt(size));
      if (sampling.capped() && rng.nextDouble() < sampling.fraction()) {
        for (int d = 1; n.numParams() > sampling.maxParams() && d < NetSampling.MAX_DRAWS; d++) {
          SampledNet next = net(rng.nextInt(size));
          if (next.numParams() < n.numParams()) {
            n = next;
          }
        }
      }
      NetArgs a = widths.apply(rng, n.args(), n.numParams());
      out.add(a.withNumClasses(numClasses).withImagenetInput(largeInput));
    }
    return out;
  }
}
