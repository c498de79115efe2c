package ghn4j.cli;

import ghn4j.data.Cifar10;
import ghn4j.deepnets.SampledNet;
import ghn4j.ghn.GhnSource;
import ghn4j.io.Layout;
import ghn4j.properties.Budget;
import ghn4j.properties.GroundTruth;
import ghn4j.properties.NetProperties;
import ghn4j.properties.PropertyCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Option;

/**
 * Options {@code properties} and {@code search} share (a picocli mixin): the ground-truth {@link
 * Budget}, the cache, the data and the GHN checkpoint.
 */
final class PropertyOptions {

  private final Budget d = Budget.cpuDefault();

  @Option(
      names = "--width",
      description = "C of every trained net (published nets: C giving >= 2.5 M params)")
  int width = d.width();

  @Option(names = "--epochs", description = "SGD epochs per net (paper: 50)")
  int epochs = d.epochs();

  @Option(
      names = "--train-per-class",
      description = "training images per class (paper: all 4,500 of 45,000)")
  int trainPerClass = d.trainPerClass();

  @Option(
      names = "--test-per-class",
      description =
          "evaluation images per class, fixed subset of the test set "
              + "(paper: 5,000 validation images)")
  int testPerClass = d.testPerClass();

  @Option(
      names = {"-b", "--batch-size"},
      description = "images per SGD step (ppuda: 96)")
  int batchSize = d.batchSize();

  @Option(
      names = "--noise-std",
      description = "Gaussian noise std on [0,1] pixels (ppuda CIFAR-10: 0.08)")
  double noiseStd = d.noiseStd();

  @Option(
      names = "--converge-fraction",
      description =
          "convergence: first epoch whose training accuracy reaches "
              + "this fraction of the final one")
  double convergeFraction = d.convergeFraction();

  @Option(
      names = {"-s", "--seed"},
      description = "initialisation, data order, training subset, noise")
  long seed = d.seed();

  @Option(
      names = "--cache",
      description =
          "ground-truth JSON lines (default data/properties/groundtruth-<budget>" + ".jsonl)")
  Path cache;

  @Option(
      names = "--ckpt",
      description =
          "trained GHN (.safetensors + .json, or ppuda .pt); default: the "
              + "one you put in data/checkpoints/, else the released GHN-2 there, else the untrained fixture GHN-2")
  Path ckpt;

  @Option(names = "--random-seed", description = "seed of the untrained GHN-2 baseline")
  long randomSeed = 0;

  @Option(names = "--data-dir", description = "data directory with cifar10/ (default <repo>/data)")
  Path dataDir;

  @Option(names = "--no-progress", description = "one line per net instead of a progress bar")
  boolean noProgress;

  @picocli.CommandLine.Mixin
  WorkerOptions workerOptions; // --workers: ground-truth SGD runs of several nets at once

  Budget budget() {
    return new Budget(
        width, epochs, trainPerClass, testPerClass, batchSize, noiseStd, convergeFraction, seed);
  }

  Path dir() {
    return Layout.detect().properties();
  }

  GroundTruth groundTruth(Budget b) throws IOException {
    Cifar10 cifar = Cifar10.load(dataDir != null ? dataDir : Cifar10.defaultDataDir());
    return GroundTruth.of(b, cifar.train(), cifar.test());
  }

  PropertyCache cache(Budget b) throws IOException {
    Path f = cache != null ? cache : dir().resolve("groundtruth-" + b.tag() + ".jsonl");
    PropertyCache c = PropertyCache.open(f, b.tag());
    System.out.printf(
        "ground truth cache %s: %d nets%s%n",
        f,
        c.records().size(),
        c.repairedBytes() > 0
            ? " (removed a cut-off last line of " + c.repairedBytes() + " bytes)"
            : "");
    return c;
  }

  GhnSource checkpoint() {
    if (ckpt != null) {
      return GhnSource.of(ckpt);
    }
    return GhnSource.choose(Layout.detect().checkpoints(), Layout.detect().fixtures());
  }

  /** Ground truth of {@code nets} with a progress bar (or a line per net). */
  List<NetProperties> runWithProgress(
      GroundTruth gt, String split, List<SampledNet> nets, PropertyCache cache) throws IOException {
    if (noProgress) {
      return gt.run(
          split,
          nets,
          cache,
          workerOptions.workers(),
          workerOptions.intraOpThreads(),
          p -> System.out.println(line(p)));
    }
    List<NetProperties> out = new ArrayList<>();
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(split)
            .setInitialMax(nets.size())
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" nets", 1)
            .build()) {
      out.addAll(
          gt.run(
              split,
              nets,
              cache,
              workerOptions.workers(),
              workerOptions.intraOpThreads(),
              p -> {
                bar.step();
                bar.setExtraMessage(String.format(" %s acc %.1f%%", p.key(), p.accuracy()));
              }));
    }
    return out;
  }

  static String line(NetProperties p) {
    return String.format(
        "%s: %,d params, %d nodes, depth %d: acc %.1f%%, noise %.1f%%, %.0f img/s, converge %.2f "
            + "(%.0f s)",
        p.key(),
        p.params(),
        p.nodes(),
        p.depth(),
        p.accuracy(),
        p.noiseAccuracy(),
        p.imagesPerSecond(),
        p.convergeTime(),
        p.trainSeconds());
  }
}
