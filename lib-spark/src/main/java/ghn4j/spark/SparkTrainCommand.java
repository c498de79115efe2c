package ghn4j.spark;

import ghn4j.ghn.GhnConfig;
import ghn4j.train.MetaTrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j train --spark}: meta-training with the meta-batch spread over Spark barrier tasks
 * ({@link SparkMetaTrain}); the run directory is the one {@code ./ghn4j train} writes, so either
 * can resume it. CIFAR-10 only, step or epoch budgets only (every task must stop at the same step).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Meta-train a GHN on CIFAR-10 with every meta-batch split over --tasks Spark barrier tasks "
          + "(gradients summed by allGather each step: the update of one process with the whole meta-batch). Writes the "
          + "run directory of ./ghn4j train (config.json, checkpoint, ghn.safetensors, metrics.jsonl); --resume "
          + "continues it, with or without --spark."
    })
public final class SparkTrainCommand implements Callable<Integer> {

  @Mixin SparkOptions sparkOptions;

  @Option(
      names = "--tasks",
      description = "barrier tasks (each needs a free task slot; at most the meta-batch)")
  int tasks = 2;

  @Option(names = "--preset", description = "ghn2 | ghn1 | mlp")
  String preset = "ghn2";

  @Option(names = "--hid", description = "node embedding width (paper: 32)")
  int hid = 32;

  @Option(
      names = {"-m", "--meta-batch"},
      description = "architectures per step (paper: 8)")
  int metaBatch = 8;

  @Option(
      names = {"-b", "--batch-size"},
      description = "images per step")
  int batchSize = 64;

  @Option(names = "--lr", description = "Adam learning rate")
  double lr = 1e-3;

  @Option(names = "--wd", description = "Adam L2 weight decay")
  double wd = 1e-5;

  @Option(names = "--grad-clip", description = "global gradient-norm clip")
  double gradClip = 5;

  @Option(names = "--gamma", description = "LR factor at 2/3 and 5/6 of the run")
  double gamma = 0.1;

  @Option(names = "--epochs", description = "budget in epochs of 45,000 images")
  int epochs = 300;

  @Option(names = "--steps", description = "budget in steps (overrides --epochs; 0 = unset)")
  long steps;

  @Option(
      names = {"-s", "--seed"},
      description = "run seed")
  long seed = 1111;

  @Option(names = "--num-nets", description = "train-split architectures to draw from")
  int numNets = 1_000_000;

  @Option(names = "--nets", description = "'generate' or a split directory of ./ghn4j generate")
  String nets = "generate";

  @Option(names = "--train-images", description = "the first N training images")
  int trainImages = 45_000;

  @Option(names = "--no-augment", description = "disable crop+flip")
  boolean noAugment;

  @Option(
      names = "--no-classifier-dropout",
      description = "run the nets' classifier dropout as the identity")
  boolean noClassifierDropout;

  @Option(names = "--checkpoint-every", description = "steps between checkpoints")
  int checkpointEvery = 1000;

  @Option(names = "--log-every", description = "steps between metrics lines")
  int logEvery = 1;

  @Option(names = "--prefetch", description = "image batches prepared ahead")
  int prefetch = 4;

  @Option(
      names = "--session-steps",
      description = "stop this session after N steps (0 = run to the budget)")
  long sessionSteps;

  @Option(names = "--name", description = "run name")
  String name = "ghn2";

  @Option(names = "--runs", description = "runs directory (default <repo>/data/runs)")
  Path runs;

  @Option(names = "--run-dir", description = "explicit run directory (overrides --runs/--name)")
  Path runDir;

  @Option(names = "--data-dir", description = "data directory with cifar10/ (default <repo>/data)")
  Path dataDir;

  @Option(
      names = "--resume",
      description = "continue the run in the run directory from its checkpoint")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    Path dir =
        runDir != null
            ? runDir
            : (runs != null
                    ? runs
                    : Path.of(System.getProperty("ghn4j.root", "."))
                        .resolve("data")
                        .resolve("runs"))
                .resolve(name);
    MetaTrainConfig cfg = resume ? null : config();
    try (JavaSparkContext sc =
        SparkSetup.open(sparkOptions.master, "ghn4j train", sparkOptions.conf)) {
      List<SparkMetaTrain.StepCost> costs =
          SparkMetaTrain.run(
              sc,
              new SparkMetaTrain.Job(
                  dir, dataDir, tasks, sessionSteps > 0 ? sessionSteps : Long.MAX_VALUE),
              cfg,
              System.out);
      SparkMetaTrain.report(costs, tasks, System.out);
      System.out.printf(
          "done: %d steps this session; checkpoint %s%n",
          costs.size(), dir.resolve(ghn4j.train.MetaTrainer.CHECKPOINT));
    }
    return 0;
  }

  private MetaTrainConfig config() {
    GhnConfig base =
        switch (preset) {
          case "ghn2" -> GhnConfig.ghn2();
          case "ghn1" -> GhnConfig.ghn1();
          case "mlp" -> GhnConfig.mlp();
          default ->
              throw new IllegalArgumentException(
                  "--preset must be ghn2, ghn1 or mlp, got " + preset);
        };
    // as ./ghn4j train for CIFAR-10: decoder max shape 2*hid, 2*hid, 11, 11
    GhnConfig g =
        new GhnConfig(
            new int[] {2 * hid, 2 * hid, 11, 11},
            10,
            base.hypernet(),
            base.decoder(),
            base.weightNorm(),
            base.ve(),
            base.layernorm(),
            hid);
    return MetaTrainConfig.defaults(g)
        .withMetaBatch(metaBatch)
        .withBatchSize(batchSize)
        .withLr(lr)
        .withWeightDecay(wd)
        .withGradClip(gradClip)
        .withGamma(gamma)
        .withBudget(epochs, steps, 0)
        .withSeed(seed)
        .withNumNets(numNets)
        .withNets(nets)
        .withTrainImages(trainImages)
        .withAugment(!noAugment)
        .withCheckpointEvery(checkpointEvery)
        .withLogEvery(logEvery)
        .withPrefetch(prefetch)
        .withClassifierDropout(!noClassifierDropout);
  }
}
