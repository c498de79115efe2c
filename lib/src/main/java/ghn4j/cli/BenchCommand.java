package ghn4j.cli;

import ghn4j.nn.Devices;
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
import ghn4j.zoo.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ghn4j bench ...}: speed benchmarks (numbers to read, not pass/fail tests). Subcommand {@code ghn}: GHN
 * prediction time for ResNet-50, the ViT and DeepNets-1M test nets; {@code graphs}: DeepNets-1M generator throughput
 * and graph construction / executor speed of the zoo; {@code onnx}: ONNX import time of ResNet-50; {@code workers}:
 * meta-training s/step sequential vs parallel workers ({@link BenchWorkersCommand}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Speed benchmarks.",
    subcommands = {BenchCommand.GhnBench.class, BenchCommand.GraphBench.class, BenchCommand.OnnxBench.class,
        BenchWorkersCommand.class})
public final class BenchCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /**
   * {@code ghn4j bench ghn [--ghn FILE] [--runs N] [--warmup N] [--test-nets N]}: for each case the median over
   * {@code runs} timed runs (after {@code warmup} untimed ones) of graph construction plus one GHN forward, without
   * and with autograd recording, then the process's peak RSS (VmHWM). The weights do not change the time: without
   * {@code --ghn} a randomly initialised GHN-2 (CIFAR-10 config) is used.
   */
  @Command(name = "ghn", mixinStandardHelpOptions = true,
      description = "GHN prediction time (graph construction + forward) for ResNet-50, ViT and DeepNets-1M test nets.")
  static final class GhnBench implements Callable<Integer> {

    @Option(names = "--ghn", description = "GHN checkpoint (.pt or .safetensors); default: random GHN-2")
    Path ghnFile;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs per case (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed runs first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--test-nets", defaultValue = "20",
        description = "DeepNets-1M test nets (default ${DEFAULT-VALUE})")
    int testNets;

    /** One benchmark case: a name and how to build its graph(s). */
    private record Case(String name, int graphs, Supplier<List<Graph>> build) {}

    @Override
    public Integer call() throws IOException {
      if (runs < 1 || warmup < 0 || testNets < 0) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be ≥ 1, --warmup and "
            + "--test-nets ≥ 0");
      }
      List<NetArgs> test = DeepNets.standard().nets(Split.TEST, testNets).stream().map(SampledNet::args).toList();
      NetArgs vit = Presets.vit(10, false);
      List<Case> cases = new ArrayList<>();
      cases.add(new Case("ResNet-50", 1, () -> List.of(ResNet.resnet50(10))));
      cases.add(new Case("ViT", 1, () -> List.of(NetworkBuilder.graph(vit))));
      if (!test.isEmpty()) {
        // one graph and one forward per net, as when predicting for nets one at a time
        cases.add(new Case("DeepNets-1M test ×" + test.size(), test.size(),
            () -> test.stream().map(NetworkBuilder::graph).toList()));
      }
      try (NDManager owner = Devices.newManager();
          Ghn ghn = ghnFile == null ? Ghn.create(GhnConfig.ghn2(), owner, 0) : Ghn.load(ghnFile)) {
        System.out.printf("engine %s, intra-op threads %s, GHN %s, median of %d runs after %d warm-up%n",
            Engine.getInstance().getEngineName(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
            ghnFile == null ? "GHN-2 (random init)" : ghnFile.getFileName(), runs, warmup);
        System.out.printf("%-24s %7s %10s %14s %14s %14s%n", "case", "nodes", "params", "no-grad ms",
            "autograd ms", "per graph ms");
        for (Case c : cases) {
          List<Graph> sample = c.build().get();
          int nodes = sample.stream().mapToInt(Graph::size).sum();
          long params = sample.stream().mapToLong(Graph::numParams).sum();
          double[] t = medians(ghn, c);
          double plain = t[0];
          double grad = t[1];
          System.out.printf("%-24s %7d %10d %14.1f %14.1f %7.1f/%-6.1f%n", c.name(), nodes, params, plain, grad,
              plain / c.graphs(), grad / c.graphs());
        }
      }
      System.out.println("peak RSS (VmHWM): " + vmHwm());
      return 0;
    }

    /**
     * Median milliseconds {no-grad, autograd} of building the case's graphs and predicting each one's parameters. The
     * two modes alternate within every run (warm-up included), so JIT and allocator warm-up and changes in machine
     * load hit both alike; timing all no-grad runs first made no-grad look slower than autograd (the first case's
     * no-grad column absorbed the warm-up that the short warm-up had not finished).
     */
    private double[] medians(Ghn ghn, Case c) {
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
      return new double[] {median(ms[0]), median(ms[1])};
    }

    private static double median(double[] ms) {
      Arrays.sort(ms);
      return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    private static String vmHwm() throws IOException {
      Path status = Path.of("/proc/self/status");
      if (!Files.isReadable(status)) {
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

  /**
   * {@code ghn4j bench graphs [--nets N] [--forward-runs N]}: nets/s of the DeepNets-1M generator (sampling alone, then
   * with parameter counting and graph construction), ResNet-50 graph construction time, ResNet-18 executor forward.
   */
  @Command(name = "graphs", mixinStandardHelpOptions = true,
      description = "Generator throughput (nets/s incl. graph construction and parameter counting), ResNet-50 graph "
          + "construction time and ResNet-18 forward time.")
  static final class GraphBench implements Callable<Integer> {

    @Option(names = "--nets", defaultValue = "300", description = "train nets to generate (default ${DEFAULT-VALUE})")
    int nets;

    @Option(names = "--forward-runs", defaultValue = "5",
        description = "timed ResNet-18 forward passes, batch 64 (default ${DEFAULT-VALUE}; 0 skips)")
    int forwardRuns;

    @Override
    public Integer call() {
      ghn4j.deepnets.GeneratorBench.main(new String[] {String.valueOf(nets), "train"});
      ghn4j.zoo.ZooBench.main(new String[] {"200", String.valueOf(forwardRuns)});
      return 0;
    }
  }

  /** {@code ghn4j bench onnx [--file F] [--runs N] [--warmup N]}: ONNX import (read + graph construction) time. */
  @Command(name = "onnx", mixinStandardHelpOptions = true,
      description = "ONNX import time (read + graph) of ResNet-50 written from the zoo (94 MB), or of --file.")
  static final class OnnxBench implements Callable<Integer> {

    @Option(names = "--file", description = "an .onnx file to import instead of the generated ResNet-50")
    Path file;

    @Option(names = "--runs", defaultValue = "10", description = "timed runs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "untimed runs first (default ${DEFAULT-VALUE})")
    int warmup;

    @Override
    public Integer call() throws IOException {
      if (runs < 1 || warmup < 0) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be ≥ 1, --warmup ≥ 0");
      }
      Path f = file;
      Path tmp = null;
      if (f == null) {
        tmp = Files.createTempFile("ghn4j-resnet50-", ".onnx");
        f = ghn4j.onnx.OnnxImportBench.writeResNet50(tmp);
      }
      try {
        System.out.print(ghn4j.onnx.OnnxImportBench.run(f, runs, warmup));
      } finally {
        if (tmp != null) {
          Files.deleteIfExists(tmp);
        }
      }
      return 0;
    }
  }
}
