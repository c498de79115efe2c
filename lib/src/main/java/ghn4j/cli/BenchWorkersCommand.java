package ghn4j.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ghn4j.data.Cifar10;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.ghn.GhnConfig;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.MetaTrainer;
import ghn4j.train.TrainNets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j bench workers}: s/step of GHN-2 meta-training (ppuda's recipe, CIFAR-10) with the
 * meta-batch run sequentially on 1 and on {@code N} intra-op threads and in parallel on {@code N}
 * workers of 1 thread each, for several meta-batch sizes. The configurations take their steps in
 * turn (step k of each before step k+1 of any), on the same nets and images, so that changes in the
 * load of a shared machine hit all alike. Numbers to read, not a test.
 */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Meta-training s/step: sequential (1 and N intra-op threads) vs N parallel workers of 1 thread, "
            + "side by side, for several meta-batch sizes.")
final class BenchWorkersCommand implements Callable<Integer> {

  @Option(
      names = {"-m", "--meta-batch"},
      split = ",",
      description = "meta-batch sizes")
  List<Integer> metaBatches = List.of(2, 4, 8);

  @Option(
      names = "--workers",
      description =
          "parallel workers (and the sequential run's thread count); default: "
              + "the machine's cores")
  Integer workers;

  @Option(
      names = {"-b", "--batch-size"},
      description = "images per step")
  int batchSize = 64;

  @Option(names = "--steps", description = "timed steps per configuration")
  int steps = 5;

  @Option(names = "--warmup", description = "untimed steps first")
  int warmup = 1;

  @Option(
      names = {"-s", "--seed"},
      description = "run seed")
  long seed = 1111;

  @Option(names = "--data-dir", description = "data directory with cifar10/ (default <repo>/data)")
  Path dataDir;

  /** A way to run the meta-batch: workers × intra-op threads (1 worker = on the main thread). */
  private record Setup(String name, int workers, int threads) {}

  @Override
  public Integer call() throws IOException {
    int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
    if (steps < 1 || warmup < 0 || n < 1) {
      throw new IllegalArgumentException("--steps and --workers must be >= 1, --warmup >= 0");
    }
    Engine.getInstance();
    List<Setup> setups =
        List.of(
            new Setup("sequential, 1 thread", 1, 1),
            new Setup("sequential, " + n + " threads", 1, n),
            new Setup(n + " workers × 1 thread", n, 1));
    ImageSet train = Cifar10.load(dataDir != null ? dataDir : Cifar10.defaultDataDir()).train();
    System.out.printf(
        "cores %d, load before: %s%n", Runtime.getRuntime().availableProcessors(), loadavg());
    List<String> rows = new ArrayList<>();
    for (int mb : metaBatches) {
      double[][] secs = new double[setups.size()][steps];
      double[][] loss = new double[setups.size()][steps];
      List<MetaTrainer> trainers = new ArrayList<>();
      List<Path> dirs = new ArrayList<>();
      try {
        MetaTrainConfig cfg =
            MetaTrainConfig.defaults(GhnConfig.ghn2())
                .withMetaBatch(mb)
                .withBatchSize(batchSize)
                .withBudget(0, warmup + steps, 0)
                .withSeed(seed)
                .withCheckpointEvery(0);
        for (Setup s : setups) {
          Path dir = Files.createTempDirectory("ghn4j-bench-workers");
          dirs.add(dir);
          trainers.add(
              MetaTrainer.start(
                      cfg,
                      Dataset.cifar10(train, null, cfg.augment()),
                      TrainNets.generated(cfg.numNets()),
                      dir)
                  .useWorkers(s.workers(), s.threads()));
        }
        System.out.printf(
            "meta-batch %d × %d images: %d warm-up + %d timed steps per setup%n",
            mb, batchSize, warmup, steps);
        for (int k = 0; k < warmup + steps; k++) {
          for (int i = 0; i < setups.size(); i++) {
            JniUtils.setNumThreads(
                setups.get(i).threads()); // the main thread's (sequential) intra-op threads
            MetaTrainer.StepResult r = trainers.get(i).trainStep();
            System.out.printf(
                "  step %d %-24s %7.2f s  loss %.5f%n",
                k, setups.get(i).name(), r.seconds(), r.loss());
            if (k >= warmup) {
              secs[i][k - warmup] = r.seconds();
              loss[i][k - warmup] = r.loss();
            }
          }
        }
      } finally {
        trainers.forEach(MetaTrainer::close);
        for (Path dir : dirs) {
          try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
      double seq1 = median(secs[0]);
      double seqN = median(secs[1]);
      double par = median(secs[2]);
      rows.add(
          String.format(
              "| %d | %.2f | %.2f | %.2f | %.2f× | %.2f× |",
              mb, seq1, seqN, par, seq1 / par, Math.min(seq1, seqN) / par));
      System.out.println();
      System.out.printf(
          "median s/step over %d timed steps (after %d warm-up), batch %d, GHN-2; load now: %s%n",
          steps, warmup, batchSize, loadavg());
      System.out.printf(
          "| meta-batch | sequential, 1 thread | sequential, %d threads | %d workers × 1 thread "
              + "| speed-up vs 1 thread | vs best sequential |%n",
          n, n);
      System.out.println("|---:|---:|---:|---:|---:|---:|");
      rows.forEach(System.out::println);
      System.out.println();
    }
    return 0;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }
}
