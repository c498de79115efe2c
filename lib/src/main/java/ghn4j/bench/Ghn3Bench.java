package ghn4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ghn4j.ghn.Ghn3;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.onnx.Ghn3Graphs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GHN-3 prediction time for ImageNet models from ONNX files, as issue #18 measures ghn3: building
 * the graph GHN-3 reads ({@link Ghn3Graphs#read}, from the file) plus one GHN-3 forward (all
 * parameters predicted, no autograd), each timed separately, median and minimum of N runs after
 * warm-up. Compared with ghn3's times on this machine (a small GHN-3, 1 thread): ResNet-50 graph
 * 0.24–0.73 s and forward 0.06–0.11 s, ViT-B/16 graph 1.6–2.9 s; the target is at most 0.25× of
 * those. The forward's CPU time on the calling thread is printed too: with one intra-op thread
 * PyTorch runs there, so it is the forward's own cost, while the wall time also holds the waits of
 * a loaded machine.
 */
public final class Ghn3Bench {

  /**
   * ghn3's times on this machine (issue #18), seconds: graph low/high, forward low/high (NaN: not
   * given).
   */
  public record Reference(
      String model, double graphLow, double graphHigh, double forwardLow, double forwardHigh) {}

  /** The reference rows by model file base name. */
  public static final List<Reference> REFERENCES =
      List.of(
          new Reference("resnet50", 0.24, 0.73, 0.06, 0.11),
          new Reference("vit_b_16", 1.6, 2.9, Double.NaN, Double.NaN));

  /** The target: at most this fraction of ghn3's time. */
  public static final double TARGET = 0.25;

  /** One model's timings (milliseconds). */
  public record Result(
      String model,
      int nodes,
      long params,
      double[] graphMs,
      double[] forwardMs,
      double[] forwardCpuMs) {
    public double graphMedian() {
      return median(graphMs);
    }

    public double forwardMedian() {
      return median(forwardMs);
    }
  }

  private Ghn3Bench() {}

  /** Times {@code file}: {@code warmup} untimed runs, then {@code runs} timed ones. */
  public static Result time(Path file, Ghn3 ghn, int runs, int warmup) {
    double[] graph = new double[runs];
    double[] forward = new double[runs];
    double[] forwardCpu = new double[runs];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int nodes = 0;
    long params = 0;
    for (int i = -warmup; i < runs; i++) {
      try (NDManager m = Devices.newManager()) {
        long t0 = System.nanoTime();
        Graph g = Ghn3Graphs.read(file);
        long c1 =
            threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
        long t1 = System.nanoTime();
        ghn.predict(List.of(g), m);
        long t2 = System.nanoTime();
        long c2 = c1 < 0 ? -1 : threads.getCurrentThreadCpuTime();
        nodes = g.size();
        params = g.numParams();
        if (i >= 0) {
          graph[i] = (t1 - t0) / 1e6;
          forward[i] = (t2 - t1) / 1e6;
          forwardCpu[i] = c1 < 0 ? Double.NaN : (c2 - c1) / 1e6;
        }
      }
    }
    return new Result(base(file), nodes, params, graph, forward, forwardCpu);
  }

  /** Runs every file and returns the printed table. */
  public static String run(List<Path> files, Ghn3 ghn, String ghnName, int runs, int warmup) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "engine %s, intra-op threads %s, GHN-3 %s (hid %d, %d layers, %d heads), median "
                + "(min) of %d runs after %d warm-up%n",
            Engine.getInstance().getEngineName(),
            System.getProperty("ai.djl.pytorch.num_threads", "default"),
            ghnName,
            ghn.config().hid(),
            ghn.config().layers(),
            ghn.config().heads(),
            runs,
            warmup));
    out.append(
        String.format(
            "%-20s %6s %11s %20s %20s %26s %26s %20s%n",
            "model",
            "nodes",
            "params",
            "graph ms",
            "forward ms",
            "graph / ghn3 (target<=.25)",
            "fwd / ghn3 (target<=.25)",
            "fwd thread CPU ms"));
    out.append("load average at start: ").append(loadAverage()).append('\n');
    List<Result> results = new ArrayList<>();
    for (Path f : files) {
      Result r = time(f, ghn, runs, warmup);
      results.add(r);
      Reference ref =
          REFERENCES.stream().filter(x -> x.model().equals(r.model())).findFirst().orElse(null);
      out.append(
          String.format(
              "%-20s %6d %,11d %20s %20s %26s %26s %20s%n",
              r.model(),
              r.nodes(),
              r.params(),
              String.format("%.1f (%.1f)", r.graphMedian(), min(r.graphMs())),
              String.format("%.1f (%.1f)", r.forwardMedian(), min(r.forwardMs())),
              ref == null ? "-" : ratio(r.graphMedian(), ref.graphLow(), ref.graphHigh()),
              ref == null ? "-" : ratio(r.forwardMedian(), ref.forwardLow(), ref.forwardHigh()),
              String.format("%.1f (%.1f)", median(r.forwardCpuMs()), min(r.forwardCpuMs()))));
    }
    out.append(
        "ratios: our median / ghn3's time, against its fastest and slowest measurement (issue #18: ResNet-50 "
            + "graph 0.24-0.73 s, forward 0.06-0.11 s; ViT-B/16 graph 1.6-2.9 s, forward not given)\n");
    out.append("load average at end: ")
        .append(loadAverage())
        .append("; peak RSS (VmHWM): ")
        .append(vmHwm())
        .append('\n');
    return out.toString();
  }

  private static String ratio(double ms, double lowS, double highS) {
    if (Double.isNaN(lowS)) {
      return "n/a";
    }
    return String.format("%.2f-%.2f×", ms / 1e3 / highS, ms / 1e3 / lowS);
  }

  /** A file's model name: its base name without {@code .onnx} / {@code .onnx.gz}. */
  public static String base(Path file) {
    String n = file.getFileName().toString();
    return n.replaceFirst("\\.onnx(\\.gz)?$", "");
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return f[0]
          + " "
          + f[1]
          + " "
          + f[2]
          + " ("
          + Runtime.getRuntime().availableProcessors()
          + " CPUs)";
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static String vmHwm() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring("VmHWM:".length()).strip();
        }
      }
    } catch (java.io.IOException e) {
      // not Linux
    }
    return "n/a";
  }
}
