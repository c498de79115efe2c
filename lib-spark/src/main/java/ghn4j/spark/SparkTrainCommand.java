package ghn4j.spark;

import ghn4j.cli.MetaTrainOptions;
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
 * can resume it. Its options are {@code ./ghn4j train}'s ({@link MetaTrainOptions}) plus the Spark
 * ones; CIFAR-10 only, step or epoch budgets only (every task must stop at the same step: a time
 * budget is refused by {@link SparkMetaTrain}).
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

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SparkOptions sparkOptions;

  @Option(
      names = "--tasks",
      description = "barrier tasks (each needs a free task slot; at most the meta-batch)")
  int tasks = 2;

  /** The options of {@code ./ghn4j train}, shared so that both build the same config. */
  @Mixin MetaTrainOptions run;

  @Option(
      names = "--session-steps",
      description = "stop this session after N steps (0 = run to the budget)")
  long sessionSteps;

  @Option(names = "--data-dir", description = "data directory with cifar10/ (default <repo>/data)")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path dir = run.runDir();
    // CIFAR-10 only: the core command's CIFAR-10 config (10 classes, decoder max shape 11)
    MetaTrainConfig cfg = run.resume() ? null : run.config(10, run.cifarTrainImages(), false);
    if (cfg != null && (cfg.minutes() > 0 || cfg.cpuMinutes() > 0)) {
      // refused before the run directory is written (SparkMetaTrain refuses it for resumed runs)
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--minutes/--cpu-minutes: a time budget cannot be split over barrier tasks (each would"
              + " stop at another step); give --steps or --epochs");
    }
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
}
