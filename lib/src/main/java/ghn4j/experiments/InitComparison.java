package ghn4j.experiments;

import ghn4j.data.ImageSet;
import ghn4j.eval.Evaluator;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.Ghn;
import ghn4j.train.SgdConfig;
import ghn4j.train.SgdTrainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training a network from GHN-predicted parameters versus from He initialisation, over several
 * seeds (the paper's fine-tuning experiments, e.g. 100-shot CIFAR-10: Knyazev et al. 2021, Sec.
 * 5.2). For each seed both starts get the same n-shot training subset, data order and augmentation
 * ({@link SgdConfig#seed}), so the only difference is where the parameters start; {@link
 * SgdTrainer} does the training and evaluates after every epoch.
 */
public final class InitComparison {

  /** The label of runs from He (torchvision) initialisation. */
  public static final String HE = "He init";

  /** The label of runs from GHN-predicted parameters. */
  public static final String GHN = "GHN";

  private InitComparison() {}

  /**
   * One training run.
   *
   * @param net the network's name; {@code init} {@link #HE} or {@link #GHN}; {@code seed} its seed
   * @param startAccuracy test top-1 (%) of the starting parameters before any training, BatchNorm
   *     with batch statistics (the protocol of {@link Evaluator}: the running statistics are not
   *     yet meaningful)
   * @param epochs the per-epoch results (test accuracy with the running statistics, as {@code
   *     model.eval()})
   * @param seconds wall time of the run
   */
  public record Run(
      String net,
      String init,
      long seed,
      double startAccuracy,
      List<SgdTrainer.EpochResult> epochs,
      double seconds) {

    public Run {
      epochs = List.copyOf(epochs);
    }

    /** Test top-1 (%) after the last epoch. */
    public double finalAccuracy() {
      return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).testAcc();
    }
  }

  /** Mean and spread over seeds of one (net, init) pair. */
  public record Summary(
      String net,
      String init,
      int seeds,
      double meanStart,
      double meanFinal,
      double stdFinal,
      double minFinal,
      double maxFinal) {}

  /**
   * Trains {@code net} from both starts for every seed: He first, then GHN, seed by seed.
   *
   * @param ghn the GHN predicting the starting parameters (only read)
   * @param predictClassLayers whether the classifier is predicted too (else it keeps its He
   *     initialisation)
   * @param config the training recipe; its seed is replaced by each of {@code seeds}
   * @param train the full training set; each seed trains on {@code train.stratified(shots, seed)}
   *     ({@code shots ≤ 0}: all of it), as {@code ./ghn4j finetune --shots}
   * @param onEach called after each run (progress, live plots); may be null
   */
  public static List<Run> compare(
      NamedGraph net,
      Ghn ghn,
      boolean predictClassLayers,
      SgdConfig config,
      List<Long> seeds,
      ImageSet train,
      int shots,
      ImageSet test,
      Consumer<Run> onEach)
      throws IOException {
    List<Run> out = new ArrayList<>();
    for (long seed : seeds) {
      SgdConfig c = config.withSeed(seed);
      ImageSet subset = shots > 0 ? train.stratified(shots, seed) : train;
      for (String init : List.of(HE, GHN)) {
        long t0 = System.nanoTime();
        try (SgdTrainer t =
            init.equals(HE)
                ? SgdTrainer.fromInit(net.graph(), c)
                : SgdTrainer.fromGhn(net.graph(), c, ghn, predictClassLayers)) {
          double start = Evaluator.accuracy(net.graph(), t.parameters(), test, c.evalBatchSize());
          List<SgdTrainer.EpochResult> rs = t.run(subset, test, null, null);
          Run r = new Run(net.name(), init, seed, start, rs, (System.nanoTime() - t0) / 1e9);
          out.add(r);
          if (onEach != null) {
            onEach.accept(r);
          }
        }
      }
    }
    return out;
  }

  /**
   * Per (net, init), in first-seen order: mean start and final accuracy, std (population) and range
   * over seeds.
   */
  public static List<Summary> summarize(List<Run> runs) {
    Map<String, List<Run>> groups = new LinkedHashMap<>();
    for (Run r : runs) {
      groups.computeIfAbsent(r.net() + "\u0000" + r.init(), k -> new ArrayList<>()).add(r);
    }
    List<Summary> out = new ArrayList<>();
    for (List<Run> g : groups.values()) {
      double[] fin = g.stream().mapToDouble(Run::finalAccuracy).toArray();
      double mean = java.util.Arrays.stream(fin).average().orElseThrow();
      double var =
          java.util.Arrays.stream(fin).map(v -> (v - mean) * (v - mean)).sum() / fin.length;
      out.add(
          new Summary(
              g.get(0).net(),
              g.get(0).init(),
              g.size(),
              g.stream().mapToDouble(Run::startAccuracy).average().orElseThrow(),
              mean,
              Math.sqrt(var),
              java.util.Arrays.stream(fin).min().orElseThrow(),
              java.util.Arrays.stream(fin).max().orElseThrow()));
    }
    return out;
  }
}
