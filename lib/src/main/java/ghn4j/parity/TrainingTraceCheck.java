package ghn4j.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.data.Batch;
import ghn4j.deepnets.NetSpecs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.io.SafeTensors;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import ghn4j.train.MetaStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Meta-training parity: replays every update recorded in {@code training/<ghn>.trace.json} (format
 * and tolerances: the fixture README) with our real update, {@link MetaStep} — the code {@code
 * MetaTrainer} runs every step — from the fixture GHN weights with a fresh {@link Adam}, the
 * classifier's dropout off (as the trace), and compares the loss, the gradient norm before
 * clipping, every gradient (norm and samples) and the GHN after the Adam step.
 *
 * <p>One unit (~390 lines): one replay loop and the comparisons of each recorded step, in the order
 * of the fixture README's checks.
 */
public final class TrainingTraceCheck {

  /** {@code loss} within this relative error. */
  static final double LOSS_RTOL = 1e-4;

  /** {@code grad_norm} within this relative error. */
  static final double GRAD_NORM_RTOL = 1e-2;

  /** Each gradient's norm within this relative error. */
  static final double GRAD_TENSOR_NORM_RTOL = 2e-2;

  /** Each gradient sample within this multiple of the tensor's RMS. */
  static final double GRAD_SAMPLE_RMS = 0.1;

  /** {@code ghn_after} samples within {@code ATOL + RTOL·|b|} ... */
  static final double AFTER_ATOL = 1e-6;

  static final double AFTER_RTOL = 1e-5;

  /** ... for at least this fraction of a step's samples. */
  static final double AFTER_FRACTION = 0.99;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReferenceFixtures fixtures;
  private int workers = 1;

  /**
   * This check with each recorded meta-batch split over {@code workers} threads (1 intra-op thread
   * each), as {@code ./ghn4j train --workers} runs it: the recorded updates must match all the
   * same. Returns a new check.
   */
  public TrainingTraceCheck withWorkers(int workers) {
    TrainingTraceCheck c = new TrainingTraceCheck(fixtures);
    c.workers = workers;
    return c;
  }

  /** A check of the traces in {@code fixtures.dir()/training}. */
  public TrainingTraceCheck(ReferenceFixtures fixtures) {
    this.fixtures = fixtures;
  }

  /** The trace files ({@code training/*.trace.json}, sorted); empty when the folder is absent. */
  public static List<Path> traces(Path fixtureDir) {
    Path dir = fixtureDir.resolve("training");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".trace.json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
    }
  }

  /** Replays every step of every trace, handing each row to {@code sink}; returns all rows. */
  public List<Row> run(Consumer<Row> sink) {
    List<Row> rows = new ArrayList<>();
    Consumer<Row> out =
        r -> {
          rows.add(r);
          sink.accept(r);
        };
    for (Path trace : traces(fixtures.dir())) {
      String name = trace.getFileName().toString().replace(".trace.json", "");
      try {
        checkTrace(trace, out);
      } catch (RuntimeException e) {
        out.accept(Row.of("trace " + name, "load", Status.FAIL, ParityCheck.error(e)));
      }
    }
    return rows;
  }

  private void checkTrace(Path file, Consumer<Row> out) {
    JsonNode t;
    try {
      t = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not readable JSON: " + e.getMessage(), e);
    }
    String ghnName = req(t, "ghn", file).asText();
    Path weights =
        fixtures
            .ghnWeights(ghnName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        file
                            + ": field ghn names '"
                            + ghnName
                            + "' but there is no ghn/"
                            + ghnName
                            + ".safetensors or .pt"));
    JsonNode opt = req(t, "optimizer", file);
    if (!"Adam".equals(opt.path("name").asText())) {
      throw new IllegalArgumentException(
          file + ": optimizer.name '" + opt.path("name").asText() + "' (only Adam)");
    }
    double lr = req(opt, "lr", file).asDouble();
    double wd = req(opt, "weight_decay", file).asDouble();
    double beta1 = req(opt, "betas", file).get(0).asDouble();
    double beta2 = opt.get("betas").get(1).asDouble();
    double eps = req(opt, "eps", file).asDouble();
    double clip = req(opt, "grad_clip_norm", file).asDouble();
    Path inputs =
        fixtures
            .inputs()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        file + ": needs inputs.safetensors next to training/, which is missing"));
    SafeTensors.Tensor input = SafeTensors.read(inputs).get("input");
    if (input == null) {
      throw new IllegalArgumentException(inputs + ": no tensor 'input'");
    }
    JsonNode targets = req(t, "targets", file);
    long[] labels = new long[targets.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = targets.get(i).asLong();
    }
    if (labels.length != input.shape()[0]) {
      throw new IllegalArgumentException(
          file + ": " + labels.length + " targets for " + input.shape()[0] + " images");
    }
    long[] shape = Arrays.stream(input.shape()).asLongStream().toArray();
    Batch batch = new Batch(0, 0, 0, input.data(), labels, shape);
    Map<String, Graph> graphs = new HashMap<>();
    JsonNode steps = req(t, "steps", file);
    for (int s = 0; s < steps.size(); s++) {
      JsonNode step = steps.get(s);
      List<String> nets = new ArrayList<>();
      req(step, "nets", file).forEach(n -> nets.add(n.asText()));
      String caseName = ghnName + " step " + s + " " + String.join("+", nets);
      try {
        List<Graph> g = new ArrayList<>();
        for (String net : nets) {
          g.add(graphs.computeIfAbsent(net, this::graph));
        }
        checkStep(caseName, step, weights, g, batch, lr, wd, beta1, beta2, eps, clip, file, out);
      } catch (RuntimeException e) {
        out.accept(Row.of(caseName, "update", Status.FAIL, ParityCheck.error(e)));
      }
    }
  }

  /**
   * The net as ParityCheck builds it: DeepNets-1M nets from their net_args, torchvision nets from
   * the zoo.
   */
  private Graph graph(String net) {
    NetFixture nf = NetFixture.read(fixtures.netFile(net));
    return switch (nf.kind()) {
      case "deepnets1m" -> NetworkBuilder.build(NetSpecs.fromNetJson(nf.json())).graph();
      case "torchvision" ->
          ZooArchitectures.build(nf.arch(), nf.numClasses())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          fixtures.netFile(net)
                              + ": unknown torchvision arch '"
                              + nf.arch()
                              + "' (known: "
                              + ZooArchitectures.known()
                              + ")"));
      default ->
          throw new IllegalArgumentException(
              fixtures.netFile(net) + ": unknown net kind '" + nf.kind() + "'");
    };
  }

  private void checkStep(
      String c,
      JsonNode step,
      Path weights,
      List<Graph> graphs,
      Batch batch,
      double lr,
      double wd,
      double beta1,
      double beta2,
      double eps,
      double clip,
      Path file,
      Consumer<Row> out) {
    Map<String, float[]> grads = new LinkedHashMap<>();
    Map<String, float[]> after = new LinkedHashMap<>();
    MetaStep.Outcome o;
    try (NDManager m = Devices.newManager();
        Ghn ghn = Ghn.load(weights, m)) {
      // a fresh GHN and a fresh Adam for every step, as the trace
      Adam adam = new Adam(ghn.parameters(), m, beta1, beta2, eps, wd);
      try (MetaStep update =
          new MetaStep(ghn, adam, m, clip, false)
              .withWorkers(workers, 1)
              .observeGradients(g -> g.forEach((k, v) -> grads.put(k, v.toFloatArray())))) {
        o = update.run(graphs, batch, lr, 0);
      }
      for (Map.Entry<String, NDArray> e : ghn.parameters().entrySet()) {
        after.put(e.getKey(), e.getValue().toFloatArray());
      }
    }
    double refLoss = req(step, "loss", file).asDouble();
    double lossErr = Math.abs(o.loss() - refLoss) / Math.abs(refLoss);
    out.accept(
        new Row(
            c,
            "train loss",
            Math.abs(o.loss() - refLoss),
            lossErr / LOSS_RTOL,
            lossErr <= LOSS_RTOL ? Status.PASS : Status.FAIL,
            String.format(
                "ours %.8g, ppuda %.8g, rel %.2e (tol %.0e)",
                o.loss(), refLoss, lossErr, LOSS_RTOL)));
    double refNorm = req(step, "grad_norm", file).asDouble();
    double normErr = Math.abs(o.gradNorm() - refNorm) / Math.abs(refNorm);
    out.accept(
        new Row(
            c,
            "train grad_norm",
            Math.abs(o.gradNorm() - refNorm),
            normErr / GRAD_NORM_RTOL,
            normErr <= GRAD_NORM_RTOL ? Status.PASS : Status.FAIL,
            String.format(
                "ours %.6g, ppuda %.6g, rel %.2e (tol %.0e)%s",
                o.gradNorm(),
                refNorm,
                normErr,
                GRAD_NORM_RTOL,
                o.applied() ? "" : "; no update: " + o.failure())));
    out.accept(gradientRow(c, req(step, "grad", file), grads));
    out.accept(afterRow(c, req(step, "ghn_after", file), after));
  }

  /** Every gradient: its norm within 2e-2 relative, each sample within 0.1 × the reference RMS. */
  private static Row gradientRow(String c, JsonNode ref, Map<String, float[]> ours) {
    double worstRatio = 0;
    double worstAbs = 0;
    String worst = "";
    List<String> failures = new ArrayList<>();
    int tensors = 0;
    for (Map.Entry<String, JsonNode> e : fields(ref)) {
      String name = e.getKey();
      JsonNode d = e.getValue();
      float[] g = ours.get(name);
      if (g == null) {
        failures.add(name + ": no such GHN parameter (or no gradient)");
        continue;
      }
      tensors++;
      long numel = d.path("numel").asLong();
      if (g.length != numel) {
        failures.add(name + ": " + g.length + " elements, ppuda " + numel);
        continue;
      }
      double sumSq = d.path("sum_sq").asDouble();
      double refNorm = Math.sqrt(sumSq);
      double norm = 0;
      for (float v : g) {
        norm += (double) v * v;
      }
      norm = Math.sqrt(norm);
      double normErr =
          refNorm == 0
              ? (norm == 0 ? 0 : Double.POSITIVE_INFINITY)
              : Math.abs(norm - refNorm) / refNorm;
      double ratio = normErr / GRAD_TENSOR_NORM_RTOL;
      if (normErr > GRAD_TENSOR_NORM_RTOL) {
        failures.add(
            String.format("%s: norm %.6g vs %.6g (rel %.2e)", name, norm, refNorm, normErr));
      }
      double rms = Math.sqrt(sumSq / numel);
      int stride = Math.max(1, d.path("sample_stride").asInt(1));
      JsonNode samples = d.path("samples");
      double sampleTol = GRAD_SAMPLE_RMS * rms;
      for (int i = 0; i < samples.size(); i++) {
        double b = samples.get(i).asDouble();
        double a = g[i * stride];
        double diff = Math.abs(a - b);
        double r = sampleTol == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / sampleTol;
        worstAbs = Math.max(worstAbs, diff);
        if (diff > sampleTol) {
          failures.add(
              String.format("%s[%d]: %.6g vs %.6g (tol %.2e)", name, i * stride, a, b, sampleTol));
        }
        ratio = Math.max(ratio, r);
      }
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = String.format("%s (norm rel %.2e)", name, normErr);
      }
    }
    Status s = failures.isEmpty() && tensors > 0 ? Status.PASS : Status.FAIL;
    String detail =
        failures.isEmpty()
            ? tensors + " gradients, worst " + worst
            : failures.size() + " failures, first " + failures.get(0);
    return new Row(c, "train grads", worstAbs, worstRatio, s, detail);
  }

  /** The GHN after the Adam step: ≥ 99 % of all samples within 1e-6 + 1e-5·|b|. */
  private static Row afterRow(String c, JsonNode ref, Map<String, float[]> ours) {
    long total = 0;
    long within = 0;
    double worstAbs = 0;
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : fields(ref)) {
      float[] w = ours.get(e.getKey());
      JsonNode d = e.getValue();
      if (w == null || w.length != d.path("numel").asLong()) {
        missing.add(e.getKey());
        continue;
      }
      int stride = Math.max(1, d.path("sample_stride").asInt(1));
      JsonNode samples = d.path("samples");
      for (int i = 0; i < samples.size(); i++) {
        double b = samples.get(i).asDouble();
        double diff = Math.abs(w[i * stride] - b);
        double ratio = diff / (AFTER_ATOL + AFTER_RTOL * Math.abs(b));
        total++;
        if (ratio <= 1) {
          within++;
        }
        worstAbs = Math.max(worstAbs, diff);
      }
    }
    double frac = total == 0 ? 0 : (double) within / total;
    Status s = missing.isEmpty() && total > 0 && frac >= AFTER_FRACTION ? Status.PASS : Status.FAIL;
    String detail =
        String.format(
                "%d/%d samples (%.2f %%) within 1e-6 + 1e-5|b| (need %.0f %%)",
                within, total, 100 * frac, 100 * AFTER_FRACTION)
            + (missing.isEmpty() ? "" : "; missing or mis-shaped " + missing);
    // max Δ/tol as the other rows (≤ 1 passes): the share of samples out of tolerance over the 1 %
    // allowed
    return new Row(c, "train ghn_after", worstAbs, (1 - frac) / (1 - AFTER_FRACTION), s, detail);
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode o) {
    List<Map.Entry<String, JsonNode>> l = new ArrayList<>();
    o.fields().forEachRemaining(l::add);
    return l;
  }

  private static JsonNode req(JsonNode o, String field, Path file) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(file + ": field " + field + " is missing");
    }
    return v;
  }
}
