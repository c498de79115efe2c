package ghn4j.cli;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ghn4j generate --split S [-n N] [--out DIR] [--seed X] [--shard-size K]}: generates (or
 * continues) a DeepNets-1M split into JSON-lines shards under {@code DIR/<split>/} ({@link
 * SplitFiles}). Safe to stop at any time and run again with the same arguments: complete shards are
 * kept, the rest generated.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generate a DeepNets-1M split (train, val, test, wide, deep, dense, bnfree, search) as resumable shards.")
public final class GenerateCommand implements Callable<Integer> {

  @Mixin SplitOptions options;

  @Mixin WorkerOptions workerOptions;

  private final Supplier<DeepNets> deepNets;

  /** The command with {@link DeepNets#standard()}. */
  public GenerateCommand() {
    this(DeepNets::standard);
  }

  /** The command with another generator facade (tests). */
  public GenerateCommand(Supplier<DeepNets> deepNets) {
    this.deepNets = deepNets;
  }

  @Override
  public Integer call() throws Exception {
    Split s = options.split();
    int n = options.count();
    long sd = options.seed();
    Path root = options.root();
    long start = System.nanoTime();
    SplitFiles.Result r;
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(s.id())
            .setInitialMax(n)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" nets", 1)
            .build()) {
      r =
          deepNets
              .get()
              .generate(s, n, root, sd, options.shardSize(), workerOptions.workers(), bar::stepTo);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%s: %d nets in %s (seed %d): %d shards written, %d kept, %d interrupted temp files removed, %.1f s%n",
        s.id(),
        r.total(),
        root.resolve(s.id()),
        sd,
        r.shardsWritten(),
        r.shardsKept(),
        r.tempFilesRemoved(),
        secs);
    return 0;
  }
}
