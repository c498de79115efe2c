package ghn4j.cli;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What {@code ./ghn4j generate} generates (a picocli mixin shared with {@code generate --spark}):
 * the split, how many nets, where, with which seed, in shards of which size; the getters resolve
 * the split's own defaults.
 */
public final class SplitOptions {

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

  @Option(
      names = "--shard-size",
      defaultValue = "" + SplitFiles.DEFAULT_SHARD_SIZE,
      description = "nets per shard")
  int shardSize;

  /** The split named by {@code --split}. */
  public Split split() {
    return Split.of(split);
  }

  /** {@code --count}, else the published size of the split. */
  public int count() {
    return count != null ? count : split().settings().defaultCount();
  }

  /** {@code --seed}, else the split's own seed. */
  public long seed() {
    return seed != null ? seed : split().seed();
  }

  /** {@code --out}, else {@link DeepNets#defaultRoot()}. */
  public Path root() {
    return out != null ? out : DeepNets.defaultRoot();
  }

  /** {@code --shard-size}. */
  public int shardSize() {
    return shardSize;
  }
}
