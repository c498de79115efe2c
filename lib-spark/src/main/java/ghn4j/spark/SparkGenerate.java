package ghn4j.spark;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import ghn4j.deepnets.SplitGenerator;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./ghn4j generate --spark}: DeepNets-1M split generation with one Spark task per range of
 * nets (a shard, or a piece of one when there are fewer shards than task slots). Net i depends only
 * on (split, seed, i), so a task draws its range with the executor's own generator ({@link
 * ExecutorCache}); the driver writes the shards in index order as their ranges come back ({@link
 * SplitFiles#write(SplitGenerator, Path, int, int, int, SplitFiles.RangeMaker, IntConsumer)}): the
 * files equal those of {@code ./ghn4j generate} byte for byte, and a re-run keeps complete shards.
 */
public final class SparkGenerate {

  /**
   * Nets {@code range} of a split, drawn on an executor; the split's generator is built once per
   * executor.
   */
  record Task(String split, long seed, String root, SplitFiles.Range range)
      implements Serializable {

    ArrayList<String> run() {
      SplitGenerator gen =
          ExecutorCache.get(
              String.join("\t", "generator", split, String.valueOf(seed), root),
              () -> {
                try {
                  return DeepNets.standard().generatorFor(Split.of(split), seed, Path.of(root));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      return new ArrayList<>(SplitFiles.lines(gen, range));
    }
  }

  private SparkGenerate() {}

  /**
   * Generates (or continues) the first {@code n} nets of {@code split} into {@code root/<split>/}
   * on {@code sc}.
   *
   * @param progress nets present after each shard written
   */
  public static SplitFiles.Result run(
      JavaSparkContext sc,
      Split split,
      int n,
      Path root,
      long seed,
      int shardSize,
      IntConsumer progress)
      throws IOException {
    Path abs = root.toAbsolutePath();
    SplitGenerator gen = DeepNets.standard().generatorFor(split, seed, abs);
    // enough ranges for every task slot to have work, never more than a shard per range
    int slots = Math.max(1, sc.defaultParallelism());
    int piece = Math.max(1, Math.min(shardSize, (n + 2 * slots - 1) / (2 * slots)));
    return SplitFiles.write(
        gen,
        abs.resolve(split.id()),
        n,
        shardSize,
        piece,
        (ranges, done) -> {
          if (ranges.isEmpty()) {
            return;
          }
          List<Task> tasks = new ArrayList<>();
          for (SplitFiles.Range r : ranges) {
            tasks.add(new Task(split.id(), seed, abs.toString(), r));
          }
          PerTask.run(sc, tasks, Task::run, done::accept);
        },
        progress);
  }
}
