package ghn4j.bench;

import ghn4j.ghn.Ghn;
import ghn4j.nn.Devices;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ghn4j.graph.Graph;
import ghn4j.graph.ReferenceGraphJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (not a test): GHN prediction time per fixture graph, with and without autograd recording — the median of
 * {@code runs} timed runs after warm-up, each timing graph preparation (primitive view, virtual edges, schedule) plus
 * the forward pass — and the process's peak RSS (VmHWM).
 *
 * <p>Usage: {@code FixtureGhnBench [fixturesDir] [ghnCheckpoint] [runs] [net ...]}; defaults: the reference fixtures
 * found by {@link ghn4j.io.Layout#fixtures()}, {@code ghn/ghn2-random.safetensors}, 7 runs, resnet18 val-000 deep-000.
 */
public final class FixtureGhnBench {

  private FixtureGhnBench() {}

  public static void main(String[] args) throws IOException {
    String fx = args.length > 0 ? args[0]
        : ghn4j.io.Layout.detect().fixtures().map(Path::toString).orElse(null);
    if (fx == null) {
      System.err.println("usage: FixtureGhnBench fixturesDir [ghnCheckpoint] [runs] [net ...]");
      System.exit(2);
    }
    Path dir = Path.of(fx);
    Path ckpt = args.length > 1 ? Path.of(args[1]) : dir.resolve("ghn/ghn2-random.safetensors");
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    List<String> nets =
        args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("resnet18", "val-000", "deep-000");
    System.out.printf("engine %s, threads %s, checkpoint %s%n", Engine.getInstance().getEngineName(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"), ckpt.getFileName());
    try (Ghn ghn = Ghn.load(ckpt)) {
      System.out.printf("%-12s %6s %8s %14s %14s%n", "net", "nodes", "params", "no-grad ms", "autograd ms");
      for (String net : nets) {
        Graph g = ReferenceGraphJson.read(dir.resolve("graphs").resolve(net + ".json"));
        double[] t = time(ghn, g, runs);
        double plain = t[0];
        double grad = t[1];
        System.out.printf("%-12s %6d %8d %14.1f %14.1f%n", net, g.size(), g.numParams(), plain, grad);
      }
    }
    System.out.println("peak RSS (VmHWM): " + vmHwm());
    // other processes on the cores inflate these times a lot with 2 intra-op threads (spinning OpenMP workers)
    Path loadavg = Path.of("/proc/loadavg");
    if (Files.exists(loadavg)) {
      System.out.println("load average: " + Files.readString(loadavg).trim());
    }
  }

  /** Medians {no-grad, autograd}; the two modes alternate so that a change in machine load hits both alike. */
  private static double[] time(Ghn ghn, Graph g, int runs) {
    int warmup = 3;
    List<Double> plain = new ArrayList<>();
    List<Double> grad = new ArrayList<>();
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
            (record ? grad : plain).add((t1 - t0) / 1e6);
          }
        }
      }
    }
    return new double[] {median(plain), median(grad)};
  }

  private static double median(List<Double> ms) {
    ms.sort(null);
    return ms.get(ms.size() / 2);
  }

  private static String vmHwm() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return "n/a";
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return line.substring(6).trim();
      }
    }
    return "n/a";
  }
}
