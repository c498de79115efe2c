package ghn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Barrier meta-training on {@code local[2]}: two tasks with two nets each make the updates of one
 * process with the meta-batch of four, the run directory is the single-JVM one (resumable), and the
 * exchange is measured.
 */
class SparkMetaTrainTest {

  @TempDir Path tmp;

  @Test
  void twoTasksStepLikeOneProcessAndTheRunResumes() throws IOException {
    Path data = SparkTestData.cifar(tmp, 2, 1);
    Path single = tmp.resolve("single");
    List<ghn4j.train.GradientShard> totals = MetaTrainEquality.singleProcess(data, single);
    Path run = tmp.resolve("spark");
    Path kept = java.nio.file.Files.createDirectories(tmp.resolve("kept"));
    System.setProperty(SparkMetaTrain.KEEP_GRADIENTS, kept.toString());
    try (JavaSparkContext sc = SparkSetup.open("local[2]", "ghn4j-train-test", Map.of())) {
      List<SparkMetaTrain.StepCost> costs =
          SparkMetaTrain.run(
              sc,
              new SparkMetaTrain.Job(run, data, MetaTrainEquality.TASKS, Long.MAX_VALUE),
              MetaTrainEquality.config(),
              System.out);
      SparkMetaTrain.report(costs, MetaTrainEquality.TASKS, System.out);
      assertEquals(List.of(0L, 1L), costs.stream().map(SparkMetaTrain.StepCost::step).toList());
      // a GHN-2 shard is its weights' count in float32 plus names and a header
      long weights =
          MetaTrainEquality.weights(single.resolve("ghn.safetensors")).values().stream()
              .mapToLong(w -> w.length)
              .sum();
      assertTrue(
          costs.get(0).shardBytes() > 4 * weights
              && costs.get(0).shardBytes() < 4 * weights + 100_000,
          costs.get(0) + " for " + weights + " weights");
      System.clearProperty(SparkMetaTrain.KEEP_GRADIENTS);
      MetaTrainEquality.assertSameGradient(
          totals.get(0),
          ghn4j.train.GradientShard.fromBytes(
              java.nio.file.Files.readAllBytes(kept.resolve("exchange-0.bin"))));
      MetaTrainEquality.assertSameRun(single, run);

      // the budget is spent: a resumed session has nothing to do; a new start in the same directory
      // is refused
      assertEquals(
          List.of(),
          SparkMetaTrain.run(
              sc,
              new SparkMetaTrain.Job(run, data, MetaTrainEquality.TASKS, Long.MAX_VALUE),
              null,
              System.out));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  SparkMetaTrain.run(
                      sc,
                      new SparkMetaTrain.Job(run, data, 2, 1),
                      MetaTrainEquality.config(),
                      System.out));
      assertTrue(e.getMessage().contains("already holds a checkpoint"), e.getMessage());
    }
  }
}
