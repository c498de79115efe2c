package ghn4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.nn.Devices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Benchmark (not a test): GHN prediction time per fixture graph, with and without autograd
 * recording — the median of {@code runs} timed runs after warm-up, each timing graph preparation
 * (primitive view, virtual edges, schedule) plus the forward pass — and the process's peak RSS
 * (VmHWM).
 *
 * <p>Run by {@code ./ghn4j bench fixtures}: the graphs are ppuda's own (the reference fixtures'),
 * unlike {@link PredictionBench}'s, which ghn4j builds.
 */
public final class FixtureGhnBench {

  private FixtureGhnBench() {}

  /**
   * Prints the medians for each of {@code nets} (fixture graph names) with the GHN in {@code ckpt}.
   */
  public static void run(Path dir, Path ckpt, int runs, List<String> nets) throws IOException {
    System.out.printf(
        "engine %s, threads %s, checkpoint %s%n",
        Engine.getInstance().getEngineName(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"),
        ckpt.getFileName());
    try (Ghn ghn = Ghn.load(ckpt)) {
      System.out.printf(
          "%-12s %6s %8s %14s %14s%n", "net", "nodes", "params", "no-grad ms", "autograd ms");
      for (String net : nets) {
        Graph g = ReferenceGraphJson.read(dir.resolve("graphs").resolve(net + ".json"));
        double[] t = time(ghn, g, runs);
        double plain = t[0];
        double grad = t[1];
        System.out.printf(
            "%-12s %6d %8d %14.1f %14.1f%n", net, g.size(), g.numParams(), plain, grad);
      }
    }
    System.out.println("peak RSS (VmHWM): " + Timing.peakRss());
    // other processes on the cores inflate these times a lot with 2 intra-op threads (spinning
    // OpenMP workers)
    System.out.println("load average: " + Timing.loadAverage());
  }

  /**
   * Medians {no-grad, autograd}; the two modes alternate so that a change in machine load hits both
   * alike.
   */
  private static double[] time(Ghn ghn, Graph g, int runs) {
    int warmup = 3;
    double[] plain = new double[runs];
    double[] grad = new double[runs];
    for (int i = 0; i < warmup + runs; i++) {
      for (boolean record : new boolean[] {false, true}) {
        try (NDManager m = Devices.newManager()) {
          long t0 = System.nanoTime();
          if (record) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              ghn.predict(List.of(g), m);
            }
          } else {
            ghn.predict(List.of(g), m);
          }
          long t1 = System.nanoTime();
          if (i >= warmup) {
            (record ? grad : plain)[i - warmup] = (t1 - t0) / 1e6;
          }
        }
      }
    }
    return new double[] {Timing.median(plain), Timing.median(grad)};
  }
}
