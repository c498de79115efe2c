package ghn4j.spark;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j generate --spark}: {@code ./ghn4j generate} with one Spark task per range of nets.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "As ./ghn4j generate (same options but --workers, same files byte for byte), the nets drawn by "
          + "Spark tasks; shards are written in order as they complete and a re-run keeps them."
    })
public final class SparkGenerateCommand implements Callable<Integer> {

  @Mixin SparkOptions sparkOptions;

  @Option(
      names = "--split",
      required = true,
      description = "train, val, test, wide, deep, dense, bnfree or search")
  String split;

  @Option(
      names = {"-n", "--count"},
      description = "number of nets (default: the published size of the split)")
  Integer count;

  @Option(
      names = "--out",
      description = "root directory of the split directories (default: data/deepnets1m)")
  Path out;

  @Option(names = "--seed", description = "seed (default: the split's own seed)")
  Long seed;

  @Option(names = "--shard-size", description = "nets per shard")
  int shardSize = SplitFiles.DEFAULT_SHARD_SIZE;

  @Override
  public Integer call() throws Exception {
    Split s = Split.of(split);
    int n = count != null ? count : s.settings().defaultCount();
    long sd = seed != null ? seed : s.seed();
    Path root = out != null ? out : DeepNets.defaultRoot();
    long start = System.nanoTime();
    SplitFiles.Result r;
    try (JavaSparkContext sc =
        SparkSetup.open(sparkOptions.master, "ghn4j generate", sparkOptions.conf)) {
      r =
          SparkGenerate.run(
              sc,
              s,
              n,
              root,
              sd,
              shardSize,
              done -> System.out.printf("%s: %d of %d nets%n", s.id(), done, n));
    }
    System.out.printf(
        "%s: %d nets in %s (seed %d; Spark, %s): %d shards written, %d kept, %d interrupted temp files removed, "
            + "%.1f s%n",
        s.id(),
        r.total(),
        root.resolve(s.id()),
        sd,
        sparkOptions.master,
        r.shardsWritten(),
        r.shardsKept(),
        r.tempFilesRemoved(),
        (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
