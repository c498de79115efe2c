package ghn4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.Presets;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnConfig;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.zoo.ResNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * GHN prediction time for ResNet-50, the ViT and DeepNets-1M test nets, graphs built by ghn4j: for
 * each case the median over {@code runs} timed runs (after {@code warmup} untimed ones) of graph
 * construction plus one GHN forward, without and with autograd recording, then the process's peak
 * RSS. Run by {@code ./ghn4j bench ghn}.
 */
public final class PredictionBench {

  private PredictionBench() {}

  /** One benchmark case: a name and how to build its graph(s). */
  private record Case(String name, int graphs, Supplier<List<Graph>> build) {}

  /**
   * Prints the table; without {@code ghnFile} a randomly initialised GHN-2 (the weights do not
   * change the time).
   */
  public static void run(Path ghnFile, int runs, int warmup, int testNets) throws IOException {
    List<NetArgs> test =
        DeepNets.standard().nets(Split.TEST, testNets).stream().map(SampledNet::args).toList();
    NetArgs vit = Presets.vit(10, false);
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("ResNet-50", 1, () -> List.of(ResNet.resnet50(10))));
    cases.add(new Case("ViT", 1, () -> List.of(NetworkBuilder.graph(vit))));
    if (!test.isEmpty()) {
      // one graph and one forward per net, as when predicting for nets one at a time
      cases.add(
          new Case(
              "DeepNets-1M test ×" + test.size(),
              test.size(),
              () -> test.stream().map(NetworkBuilder::graph).toList()));
    }
    try (NDManager owner = Devices.newManager();
        Ghn ghn = ghnFile == null ? Ghn.create(GhnConfig.ghn2(), owner, 0) : Ghn.load(ghnFile)) {
      System.out.printf(
          "engine %s, intra-op threads %s, GHN %s, median of %d runs after %d warm-up%n",
          Engine.getInstance().getEngineName(),
          System.getProperty("ai.djl.pytorch.num_threads", "default"),
          ghnFile == null ? "GHN-2 (random init)" : ghnFile.getFileName(),
          runs,
          warmup);
      System.out.printf(
          "%-24s %7s %10s %14s %14s %14s%n",
          "case", "nodes", "params", "no-grad ms", "autograd ms", "per graph ms");
      for (Case c : cases) {
        List<Graph> sample = c.build().get();
        int nodes = sample.stream().mapToInt(Graph::size).sum();
        long params = sample.stream().mapToLong(Graph::numParams).sum();
        double[] t = medians(ghn, c, runs, warmup);
        double plain = t[0];
        double grad = t[1];
        System.out.printf(
            "%-24s %7d %10d %14.1f %14.1f %7.1f/%-6.1f%n",
            c.name(), nodes, params, plain, grad, plain / c.graphs(), grad / c.graphs());
      }
    }
    System.out.println("peak RSS (VmHWM): " + Timing.peakRss());
  }

  /**
   * Median milliseconds {no-grad, autograd} of building the case's graphs and predicting each one's
   * parameters. The two modes alternate within every run (warm-up included), so JIT and allocator
   * warm-up and changes in machine load hit both alike; timing all no-grad runs first made no-grad
   * look slower than autograd (the first case's no-grad column absorbed the warm-up that the short
   * warm-up had not finished).
   */
  private static double[] medians(Ghn ghn, Case c, int runs, int warmup) {
    double[][] ms = new double[2][runs];
    for (int i = -warmup; i < runs; i++) {
      for (int mode = 0; mode < 2; mode++) {
        boolean record = mode == 1;
        try (NDManager m = Devices.newManager()) {
          long t0 = System.nanoTime();
          for (Graph g : c.build().get()) {
            if (record) {
              try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ghn.predict(List.of(g), m);
              }
            } else {
              ghn.predict(List.of(g), m);
            }
          }
          if (i >= 0) {
            ms[mode][i] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
    }
    return new double[] {Timing.median(ms[0]), Timing.median(ms[1])};
  }
}
