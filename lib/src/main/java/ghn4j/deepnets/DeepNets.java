package ghn4j.deepnets;

import ghn4j.graph.Graph;
import ghn4j.io.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ToLongFunction;

/**
 * The DeepNets-1M generator facade: holds the two functions it needs from the network builder — the
 * parameter count of a net as built (for the max-params rule, evaluation widths and the statistics)
 * and, optionally, its graph (for node counts) — and offers generation into split files, in-memory
 * evaluation splits and statistics. The CLI commands and the benchmark take their instance from
 * {@link #standard()}, the one place where the builder is wired.
 */
public final class DeepNets {

  private final ToLongFunction<NetArgs> paramCounter;
  private final Function<NetArgs, Graph> graphBuilder;

  /**
   * @param paramCounter trainable parameter count of a net as built, dead ops included (ppuda's
   *     {@code capacity})
   * @param graphBuilder the net's graph, or null when graphs are not available (node counts become
   *     n/a)
   */
  public DeepNets(ToLongFunction<NetArgs> paramCounter, Function<NetArgs, Graph> graphBuilder) {
    this.paramCounter = Objects.requireNonNull(paramCounter, "paramCounter");
    this.graphBuilder = graphBuilder;
  }

  /**
   * The instance the CLI, the notebooks and the benchmarks use: parameters counted and graphs built
   * by {@link NetworkBuilder}.
   */
  public static DeepNets standard() {
    return new DeepNets(NetworkBuilder::countParams, NetworkBuilder::graph);
  }

  public ToLongFunction<NetArgs> paramCounter() {
    return paramCounter;
  }

  public Optional<Function<NetArgs, Graph>> graphBuilder() {
    return Optional.ofNullable(graphBuilder);
  }

  /**
   * Where split directories live by default: {@code data/deepnets1m} of {@link Layout#detect()}.
   */
  public static Path defaultRoot() {
    return Layout.detect().splits();
  }

  /**
   * A generator of {@code split} with {@code seed} (for train: skipping the default evaluation
   * splits' nets).
   */
  public SplitGenerator generator(Split split, long seed) {
    return new SplitGenerator(split, seed, paramCounter, graphBuilder);
  }

  /**
   * Generates (or continues) the first {@code n} nets of {@code split} into {@code root/<split>/}.
   * For train, nets of evaluation split directories already under {@code root} are excluded too (in
   * case they were made with other seeds).
   */
  public SplitFiles.Result generate(
      Split split, int n, Path root, long seed, int shardSize, IntConsumer progress)
      throws IOException {
    return generate(split, n, root, seed, shardSize, 1, progress);
  }

  /**
   * As {@link #generate(Split, int, Path, long, int, IntConsumer)} with each shard's nets drawn on
   * {@code workers} threads: the same files, bit for bit ({@link SplitGenerator#withWorkers}).
   */
  public SplitFiles.Result generate(
      Split split, int n, Path root, long seed, int shardSize, int workers, IntConsumer progress)
      throws IOException {
    return SplitFiles.write(
        generatorFor(split, seed, root).withWorkers(workers),
        root.resolve(split.id()),
        n,
        shardSize,
        progress);
  }

  /**
   * The generator {@link #generate} writes {@code root/<split>/} with: for train, also skipping the
   * nets of the evaluation split directories already under {@code root}.
   */
  public SplitGenerator generatorFor(Split split, long seed, Path root) throws IOException {
    SplitGenerator gen = generator(split, seed);
    if (split == Split.TRAIN) {
      Set<NetKey> more = new HashSet<>();
      for (Split e : Split.evaluationSplits()) {
        Path dir = root.resolve(e.id());
        if (Files.isDirectory(dir)) {
          for (SampledNet net : SplitFiles.readAll(dir)) {
            more.add(NetKey.of(net.args()));
          }
        }
      }
      if (!more.isEmpty()) {
        gen = gen.excluding(more);
      }
    }
    return gen;
  }

  /** The first {@code n} nets of a split with its default seed, in memory. */
  public List<SampledNet> nets(Split split, int n) {
    return generator(split, split.seed()).first(n);
  }

  /**
   * The Table-1 row of {@code nets}, counting nodes with the graph builder when the nets carry no
   * counts.
   */
  public SplitStats stats(String name, List<SampledNet> nets) {
    return SplitStats.of(name, nets, graphBuilder);
  }
}
