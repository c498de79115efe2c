package ghn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.cli.GenerateCommand;
import ghn4j.cli.MetaTrainOptions;
import ghn4j.cli.TrainCommand;
import ghn4j.train.MetaTrainConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code train --spark} and {@code generate --spark} accept every option of their core commands but
 * the ones tied to one JVM or to image folders, and {@code train --spark} builds the same config
 * from them as {@code train} does for CIFAR-10.
 */
class SparkTrainOptionsTest {

  /** Options of {@code ./ghn4j train} with no Spark form: image folders, local workers, the bar. */
  static final Set<String> TRAIN_CORE_ONLY =
      Set.of("--image-folder", "--image-size", "--workers", "--no-progress");

  static Set<String> names(Object command) {
    Set<String> out = new TreeSet<>();
    for (OptionSpec o : new CommandLine(command).getCommandSpec().options()) {
      out.addAll(java.util.List.of(o.names()));
    }
    return out;
  }

  @Test
  void sparkTrainAcceptsEveryCoreTrainOption() {
    Set<String> missing = names(new TrainCommand());
    missing.removeAll(names(new SparkTrainCommand()));
    assertEquals(TRAIN_CORE_ONLY, missing);
  }

  @Test
  void sparkGenerateAcceptsEveryCoreGenerateOptionButWorkers() {
    Set<String> missing = names(new GenerateCommand());
    missing.removeAll(names(new SparkGenerateCommand()));
    assertEquals(Set.of("--workers"), missing);
  }

  @Test
  void sameArgumentsGiveTheSameConfig() {
    String[] args = {
      "--preset",
      "ghn1",
      "--hid",
      "16",
      "--max-shape",
      "32,32,7,7",
      "--ve",
      "--lr-schedule",
      "cosine",
      "--warmup-steps",
      "3",
      "--max-net-params",
      "40000",
      "--capped-fraction",
      "0.5",
      "--max-c",
      "64",
      "-m",
      "2",
      "--steps",
      "10",
      "--train-images",
      "200",
      "--checkpoint-every",
      "5"
    };
    TrainCommand core = new TrainCommand();
    CommandLine coreLine = new CommandLine(core);
    coreLine.parseArgs(args);
    SparkTrainCommand spark = new SparkTrainCommand();
    CommandLine sparkLine = new CommandLine(spark);
    sparkLine.parseArgs(args);
    MetaTrainOptions c = mixin(coreLine);
    MetaTrainConfig expected = c.config(10, c.cifarTrainImages(), false);
    assertEquals(expected, spark.run.config(10, spark.run.cifarTrainImages(), false));
    assertEquals(ghn4j.optim.LrSchedule.Kind.COSINE, expected.lrSchedule());
    assertEquals(40_000, expected.netSampling().maxParams());
    assertEquals(7, expected.ghn().maxShape(3));
  }

  @Test
  void aTimeBudgetIsAUsageError() {
    StringWriter err = new StringWriter();
    int code =
        SparkMain.run(
            new String[] {"train", "--spark", "--minutes", "5", "--run-dir", "/nonexistent/run"},
            new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("a time budget cannot be split"), err.toString());
  }

  private static MetaTrainOptions mixin(CommandLine line) {
    CommandSpec m = line.getCommandSpec().mixins().get("run");
    return (MetaTrainOptions) m.userObject();
  }
}
