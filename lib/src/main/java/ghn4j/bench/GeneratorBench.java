package ghn4j.bench;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetSampler;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitGenerator;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Generator throughput: nets/s for (1) structural sampling alone and (2) full generation with the
 * wired parameter counter and graph builder ({@link DeepNets#standard()}), one thread. Target: ≥
 * 100 nets/s including graphs and counts (ppuda's generator: 7.9 nets/s on this machine). Run by
 * {@code ./ghn4j bench graphs}.
 */
public final class GeneratorBench {

  private GeneratorBench() {}

  /**
   * Prints the nets/s of sampling {@code n × 10} structures, then of generating {@code n} nets of
   * {@code split}.
   */
  public static void run(int n, Split split) {
    NetSampler sampler = new NetSampler(split.settings());
    SplittableRandom rng = new SplittableRandom(1);
    int accepted = 0;
    long t0 = System.nanoTime();
    int draws = 0;
    while (accepted < n * 10) {
      draws++;
      if (sampler.draw(rng).accepted()) {
        accepted++;
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "sampling only (%s): %.0f nets/s (%d draws for %d structurally valid nets)%n",
        split.id(), accepted / s, draws, accepted);

    DeepNets d = DeepNets.standard();
    try {
      d.paramCounter().applyAsLong(sampler.draw(new SplittableRandom(2)).args());
    } catch (IllegalStateException e) {
      System.out.println("full generation: skipped, " + e.getMessage());
      return;
    }
    // warm-up, then measure (train split generation skips the evaluation nets: their keys are
    // computed once here)
    SplitGenerator gen = d.generator(split, split.seed());
    gen.shard(0, 200, 200);
    t0 = System.nanoTime();
    SplitGenerator.Shard shard = gen.shard(1, n, n);
    s = (System.nanoTime() - t0) / 1e9;
    long withNodes =
        shard.nets().stream().map(SampledNet::numNodes).filter(OptionalInt::isPresent).count();
    System.out.printf(
        "full generation (%s): %.1f nets/s (%d nets, %d with graphs; rejected %s)%n",
        split.id(), n / s, n, withNodes, shard.rejected());
  }
}
