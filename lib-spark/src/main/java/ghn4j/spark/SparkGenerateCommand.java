package ghn4j.spark;

import ghn4j.cli.SplitOptions;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  /** The options of {@code ./ghn4j generate} (but {@code --workers}). */
  @Mixin SplitOptions options;

  @Override
  public Integer call() throws Exception {
    Split s = options.split();
    int n = options.count();
    long sd = options.seed();
    Path root = options.root();
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
              options.shardSize(),
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
