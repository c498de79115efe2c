package ghn4j.deepnets;

import ghn4j.graph.Graph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Generates the nets of one DeepNets-1M split, shard by shard. Net {@code i} is a pure function of
 * (split settings, seed, i): it is the first accepted candidate of an RNG seeded from the split
 * seed and {@code i} ({@link #netSeed}), so a shard regenerated after an interruption equals the
 * one an uninterrupted run writes, whatever the shard size.
 *
 * <p>Acceptance depends only on the structural rules ({@link NetSampler}) and the parameter counter
 * — never on the optional graph builder, which only supplies node counts — so the sequence of nets
 * does not change when a builder is wired. A builder failing on an accepted net is an error (our
 * {@link Reachability} check or the builder is wrong).
 *
 * <p>Evaluation splits get their C from {@link EvalWidth} (×{@link Split.Settings#widthFactor()}
 * for wide). The train split skips every net whose {@link NetKey} occurs in an evaluation split as
 * generated with its default seed and size (plus any keys given to {@link #excluding}): ppuda's
 * generator has no such check and even shares its seed between train and test.
 */
public final class SplitGenerator {

  /** Nets of one shard and how many candidates each rule rejected. */
  public record Shard(
      int index, List<SampledNet> nets, Map<NetSampler.Rejection, Integer> rejected) {
    public Shard {
      nets = List.copyOf(nets);
      rejected = Collections.unmodifiableMap(new EnumMap<>(rejected));
    }
  }

  private final Split split;
  private final Split.Settings settings;
  private final NetSampler sampler;
  private final ToLongFunction<NetArgs> counter;
  private final Function<NetArgs, Graph> builder;
  private final EvalWidth evalWidth = new EvalWidth();
  private final Set<NetKey> excluded;
  private final int workers;

  /**
   * @param split the split
   * @param seed the split's seed ({@link Split#seed()} for the published-like splits)
   * @param counter parameter count of a net as built (wire {@code NetworkBuilder::countParams})
   * @param builder graph of a net for node counts, or null to store none
   */
  public SplitGenerator(
      Split split, long seed, ToLongFunction<NetArgs> counter, Function<NetArgs, Graph> builder) {
    this(split, split.settings().withSeed(seed), counter, builder, null, 1);
  }

  private SplitGenerator(
      Split split,
      Split.Settings settings,
      ToLongFunction<NetArgs> counter,
      Function<NetArgs, Graph> builder,
      Set<NetKey> excluded,
      int workers) {
    this.workers = workers;
    this.split = split;
    this.settings = settings;
    this.sampler = new NetSampler(settings);
    this.counter = counter;
    this.builder = builder;
    this.excluded =
        excluded != null ? excluded : (split == Split.TRAIN ? evaluationKeys(counter) : Set.of());
  }

  /**
   * This generator with extra keys to skip (e.g. those of evaluation split files generated with
   * other seeds).
   */
  public SplitGenerator excluding(Set<NetKey> more) {
    Set<NetKey> all = new HashSet<>(excluded);
    all.addAll(more);
    return new SplitGenerator(split, settings, counter, builder, Set.copyOf(all), workers);
  }

  /**
   * This generator drawing the nets of a shard on {@code workers} threads (1 = on the calling
   * thread). The nets are the same, bit for bit: each net's RNG is seeded from (split seed, index)
   * alone ({@link #netSeed}), so which thread draws it does not matter; the shard keeps index order
   * and its rejection counts are summed over its nets.
   */
  public SplitGenerator withWorkers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be ≥ 1, got " + workers);
    }
    return new SplitGenerator(split, settings, counter, builder, excluded, workers);
  }

  public Split split() {
    return split;
  }

  public long seed() {
    return settings.seed();
  }

  /** The keys this generator skips. */
  public Set<NetKey> excludedKeys() {
    return excluded;
  }

  /**
   * Seed of net {@code index}'s RNG: a SplitMix64 finaliser over the split seed and the index.
   * Seeding per net makes a net's content independent of the shard size and of interruptions.
   */
  public static long netSeed(long splitSeed, int index) {
    long z = splitSeed + 0x9E3779B97F4A7C15L * (index + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Shard {@code shard} of a split cut into shards of {@code shardSize} nets; it holds {@code
   * count} nets.
   */
  public Shard shard(int shard, int shardSize, int count) {
    return generate(shard, shardSize, count, false);
  }

  /**
   * Nets {@code from} (inclusive) to {@code to} (exclusive), drawn on the calling thread: a piece
   * of a shard.
   */
  public List<SampledNet> nets(int from, int to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(split.id() + ": no net range [" + from + ", " + to + ")");
    }
    Map<NetSampler.Rejection, Integer> rejected = new EnumMap<>(NetSampler.Rejection.class);
    List<SampledNet> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(net(i, rejected, false));
    }
    return out;
  }

  /**
   * The first {@code n} nets of the split, in memory (for the small evaluation splits and tests).
   */
  public List<SampledNet> first(int n) {
    return generate(0, n, n, false).nets();
  }

  private Shard generate(int shard, int shardSize, int count, boolean keysOnly) {
    if (count < 0 || count > shardSize) {
      throw new IllegalArgumentException(
          "shard " + shard + ": count " + count + " not in [0, " + shardSize + "]");
    }
    Map<NetSampler.Rejection, Integer> rejected = new EnumMap<>(NetSampler.Rejection.class);
    List<SampledNet> nets = new ArrayList<>(count);
    if (workers <= 1 || count < 2) {
      for (int j = 0; j < count; j++) {
        nets.add(net(shard * shardSize + j, rejected, keysOnly));
      }
      return new Shard(shard, nets, rejected);
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(workers, count),
            r -> {
              Thread t = new Thread(r, "ghn4j-generate");
              t.setDaemon(true);
              return t;
            });
    try {
      List<java.util.concurrent.Future<Map.Entry<SampledNet, Map<NetSampler.Rejection, Integer>>>>
          futures = new ArrayList<>(count);
      for (int j = 0; j < count; j++) {
        int index = shard * shardSize + j;
        futures.add(
            pool.submit(
                () -> {
                  Map<NetSampler.Rejection, Integer> own =
                      new EnumMap<>(NetSampler.Rejection.class);
                  return Map.entry(net(index, own, keysOnly), own);
                }));
      }
      for (var f : futures) {
        Map.Entry<SampledNet, Map<NetSampler.Rejection, Integer>> e = f.get();
        nets.add(e.getKey());
        e.getValue().forEach((k, v) -> rejected.merge(k, v, Integer::sum));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(split.id() + " shard " + shard + ": interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(
          split.id() + " shard " + shard + ": " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Shard(shard, nets, rejected);
  }

  /** Net {@code index}: the first candidate its own RNG yields that passes every rule. */
  private SampledNet net(int index, Map<NetSampler.Rejection, Integer> rejected, boolean keysOnly) {
    SplittableRandom rng = new SplittableRandom(netSeed(settings.seed(), index));
    while (true) {
      NetSampler.Draw d = sampler.draw(rng);
      NetSampler.Rejection why = d.rejection();
      long cifar = 0;
      long imagenet = 0;
      if (why == null) {
        // ppuda's max-params rule: at C = 32 with both stems
        cifar = counter.applyAsLong(d.args());
        imagenet = counter.applyAsLong(d.args().withImagenetInput(true));
        if (Math.max(cifar, imagenet) > settings.maxParams()) {
          why = NetSampler.Rejection.TOO_MANY_PARAMS;
        } else if (!excluded.isEmpty() && excluded.contains(NetKey.of(d.args()))) {
          why = NetSampler.Rejection.IN_EVALUATION_SPLIT;
        }
      }
      if (why != null) {
        rejected.merge(why, 1, Integer::sum);
        continue;
      }
      NetArgs args = d.args();
      if (keysOnly) {
        return new SampledNet(index, args, cifar, imagenet, OptionalInt.empty());
      }
      if (split.isEvaluation()) {
        args = args.withC(evalWidth.chooseC(args, counter) * settings.widthFactor());
        cifar = counter.applyAsLong(args);
        imagenet = counter.applyAsLong(args.withImagenetInput(true));
      }
      return new SampledNet(index, args, cifar, imagenet, nodes(index, args));
    }
  }

  private OptionalInt nodes(int index, NetArgs args) {
    if (builder == null) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(builder.apply(args).primitiveView().size());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          split.id()
              + " net "
              + index
              + ": the graph builder failed on an accepted net "
              + args
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Keys of all evaluation splits as generated with their default seeds and sizes. Cheap: no widths
   * are chosen and no graphs built (acceptance does not depend on either).
   */
  public static Set<NetKey> evaluationKeys(ToLongFunction<NetArgs> counter) {
    Set<NetKey> keys = new HashSet<>();
    for (Split s : Split.evaluationSplits()) {
      SplitGenerator g = new SplitGenerator(s, s.settings(), counter, null, Set.of(), 1);
      int n = s.settings().defaultCount();
      for (SampledNet net : g.generate(0, n, n, true).nets()) {
        keys.add(NetKey.of(net.args()));
      }
    }
    return Set.copyOf(keys);
  }
}
