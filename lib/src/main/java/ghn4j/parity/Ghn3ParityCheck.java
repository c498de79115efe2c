package ghn4j.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.ghn.Ghn3;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Ghn3GraphJson;
import ghn4j.graph.Graph;
import ghn4j.graph.ParamSpec;
import ghn4j.nn.Devices;
import ghn4j.onnx.Ghn3Graphs;
import ghn4j.parity.PredictionCheck.Report;
import ghn4j.parity.PredictionCheck.Tolerance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The acceptance check of GHN-3 against fixtures exported from ghn3 (format: the README of {@code
 * fixtures/ghn3}). For every GHN-3 config {@code ghn/<g>.json}: every weight file {@code ghn/<g>.*}
 * loads, with the same config (given or inferred) and bit-identical weights. For every net {@code
 * nets/<arch>.json} of kind {@code torchvision-imagenet}: ghn3's graph {@code graphs/<arch>.json}
 * (parameters matched to the net's {@code state_dict}), our virtual edges against ghn3's, the
 * parameter count; then our graph built from the net's ONNX file ({@link Ghn3Graphs#read}):
 * isomorphic to ghn3's (virtual edges included, same parameters per node), and, where the
 * executable importer takes the net, the graph of that route too. Then one GHN-3 forward on ghn3's
 * graph and one on ours, each with the predictions against the digest (every predicted tensor; a
 * ViT positional embedding's random class-token row in distribution, {@link Ghn3Check}), the
 * parameters left out against {@code <arch>.not-predicted.json}, and the node embeddings (ours
 * permuted by the isomorphism). A graph that cannot be built from ONNX is a FAIL row naming why.
 *
 * <p>The weight-file checks are in {@link Ghn3WeightCheck}, the graph checks in {@link
 * Ghn3GraphCheck}; this class runs them and the GHN-3 forward checks per net.
 */
public final class Ghn3ParityCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Tolerance TOL = Tolerance.PREDICTIONS;

  private final Path dir;
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private final Ghn3GraphCheck graphs;

  /** A check over the GHN-3 fixture directory {@code dir}. */
  public Ghn3ParityCheck(Path dir) {
    this.dir = dir;
    this.graphs = new Ghn3GraphCheck(dir, seconds);
  }

  /** Whether {@code dir} holds GHN-3 fixtures: a {@code ghn/<g>.json} that is a GHN-3 config. */
  public static boolean isGhn3Root(Path dir) {
    return !Ghn3WeightCheck.configs(dir).isEmpty();
  }

  /** Seconds per phase of the last run. */
  public Map<String, Double> timings() {
    return java.util.Collections.unmodifiableMap(seconds);
  }

  /**
   * Runs every check; rows go to {@code sink} as they complete, notes (no pass/fail) to {@code
   * notes}.
   */
  public List<Row> run(Consumer<Row> sink, Consumer<String> notes) {
    seconds.clear();
    List<Row> rows = new ArrayList<>();
    Consumer<Row> out =
        r -> {
          rows.add(r);
          sink.accept(r);
        };
    JsonNode cases = readJson(dir.resolve("cases.json"), out);
    for (String g : Ghn3WeightCheck.configs(dir)) {
      Ghn3 ghn = Ghn3WeightCheck.loadAll(dir, g, seconds, out);
      if (ghn == null) {
        continue;
      }
      try {
        for (Path netFile : Ghn3WeightCheck.list(dir.resolve("nets"))) {
          String arch = netFile.getFileName().toString().replaceFirst("\\.json$", "");
          if (netFile.getFileName().toString().endsWith(".json")) {
            net(g, ghn, arch, netFile, cases, out, notes);
          }
        }
      } finally {
        ghn.close();
      }
    }
    return rows;
  }

  private static JsonNode readJson(Path file, Consumer<Row> out) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      out.accept(Row.of(file.getFileName().toString(), "read", Status.FAIL, ParityCheck.error(e)));
      return null;
    }
  }

  private void net(
      String g,
      Ghn3 ghn,
      String arch,
      Path netFile,
      JsonNode cases,
      Consumer<Row> out,
      Consumer<String> notes) {
    JsonNode net = readJson(netFile, out);
    if (net == null) {
      return;
    }
    String kind = net.path("kind").asText("");
    if (!kind.equals("torchvision-imagenet")) {
      notes.accept(arch + ": net kind '" + kind + "' is not a GHN-3 case here; skipped");
      return;
    }
    Map<String, int[]> stateDict = new LinkedHashMap<>();
    long numParams = 0;
    for (JsonNode e : net.path("state_dict")) {
      int[] shape = new int[e.get(1).size()];
      long numel = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.get(1).get(i).asInt();
        numel *= shape[i];
      }
      stateDict.put(e.get(0).asText(), shape);
      numParams += numel;
    }
    JsonNode caseRow = null;
    if (cases != null) {
      for (JsonNode r : cases) {
        if (r.get(0).asText().equals(arch)) {
          caseRow = r;
        }
      }
    }
    long expParams = net.path("num_params").asLong(-1);
    boolean countOk =
        numParams == expParams && (caseRow == null || caseRow.get(2).asLong() == numParams);
    out.accept(
        Row.of(
            arch,
            "num_params",
            countOk ? Status.PASS : Status.FAIL,
            numParams
                + " (state_dict) vs "
                + expParams
                + " (net)"
                + (caseRow == null
                    ? ", no cases.json row"
                    : " vs " + caseRow.get(2).asLong() + " (cases.json)")));
    Ghn3GraphJson.Read graph;
    try {
      graph = Ghn3GraphJson.read(dir.resolve("graphs").resolve(arch + ".json"), stateDict);
    } catch (RuntimeException e) {
      out.accept(Row.of(arch, "graph(ghn3)", Status.FAIL, ParityCheck.error(e)));
      return;
    }
    boolean nodesOk = caseRow == null || caseRow.get(3).asInt() == graph.graph().size();
    out.accept(
        Row.of(
            arch,
            "graph(ghn3) nodes",
            nodesOk ? Status.PASS : Status.FAIL,
            graph.graph().size()
                + " nodes"
                + (caseRow == null ? "" : ", cases.json " + caseRow.get(3).asInt())));
    out.accept(Ghn3GraphCheck.virtualEdges(arch, graph));
    Ghn3GraphCheck.OnnxGraph onnx = graphs.onnxGraph(arch, net, graph.graph(), expParams, out);
    graphs.executableRoute(arch, net, graph.graph(), out, notes);

    String c = g + " × " + arch;
    runGhn(g, ghn, arch, c + " (ghn3 graph)", graph.graph(), null, stateDict, caseRow, out);
    if (onnx != null) {
      runGhn(
          g, ghn, arch, c + " (ONNX graph)", onnx.graph(), onnx.mapping(), stateDict, caseRow, out);
    }
  }

  /**
   * One GHN-3 forward on {@code graph}: predictions against the digest, the parameters left out,
   * and the node embeddings ({@code mapping}, when given, carries our node i to ghn3's node
   * mapping[i]).
   */
  private void runGhn(
      String g,
      Ghn3 ghn,
      String arch,
      String c,
      Graph graphToRun,
      int[] mapping,
      Map<String, int[]> stateDict,
      JsonNode caseRow,
      Consumer<Row> out) {
    try (NDManager m = Devices.newManager()) {
      long t0 = System.nanoTime();
      Predictions p;
      try {
        p = ghn.predict(List.of(graphToRun), m);
      } catch (RuntimeException e) {
        out.accept(Row.of(c, "predict", Status.FAIL, ParityCheck.error(e)));
        return;
      } finally {
        seconds.merge("GHN-3 forward", (System.nanoTime() - t0) / 1e9, Double::sum);
      }
      Map<String, NDArray> predicted = p.params(0);
      Path pred = dir.resolve("predictions").resolve(g);
      Path digest = pred.resolve(arch + ".digest.json");
      Set<String> random = new TreeSet<>();
      for (ParamSpec s : graphToRun.params()) {
        if (predicted.containsKey(s.name()) && Ghn3Check.hasRandomPart(s.shape())) {
          random.add(s.name());
        }
      }
      try {
        out.accept(
            reportRow(
                c,
                "predictions(digest)",
                PredictionCheck.againstDigest(predicted, digest, TOL, random)));
        JsonNode d = JSON.readTree(digest.toFile());
        for (String name : random) {
          int[] shape = stateDict.get(name);
          int width = Math.min(shape[2], ghn.config().maxShape(1));
          out.accept(
              reportRow(
                  c,
                  "class-token " + shortName(name),
                  Ghn3Check.classTokenDigest(name, predicted.get(name), d.get(name), width, TOL)));
        }
      } catch (IOException | RuntimeException e) {
        out.accept(Row.of(c, "predictions(digest)", Status.FAIL, ParityCheck.error(e)));
      }
      out.accept(
          notPredicted(
              c,
              stateDict.keySet(),
              predicted.keySet(),
              pred.resolve(arch + ".not-predicted.json"),
              caseRow));
      Path emb = dir.resolve("embeddings").resolve(g).resolve(arch + ".safetensors");
      try {
        NDArray e = p.embeddings(0);
        if (mapping != null) {
          long[] rowOfRef = new long[mapping.length];
          for (int i = 0; i < mapping.length; i++) {
            rowOfRef[mapping[i]] = i;
          }
          e = e.get(new NDIndex("{}", m.create(rowOfRef)));
        }
        out.accept(reportRow(c, "embeddings", PredictionCheck.embeddings(e, emb, TOL)));
      } catch (RuntimeException e) {
        out.accept(Row.of(c, "embeddings", Status.FAIL, ParityCheck.error(e)));
      }
    }
  }

  private static String shortName(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  private static Row notPredicted(
      String c, Set<String> all, Set<String> predicted, Path file, JsonNode caseRow) {
    Set<String> ours = new TreeSet<>(all);
    ours.removeAll(predicted);
    Set<String> ref;
    try {
      ref = new TreeSet<>();
      for (JsonNode n : JSON.readTree(file.toFile())) {
        ref.add(n.asText());
      }
    } catch (IOException e) {
      return Row.of(c, "not predicted", Status.FAIL, ParityCheck.error(e));
    }
    boolean ok = ours.equals(ref) && (caseRow == null || caseRow.get(4).asInt() == ref.size());
    String detail =
        ours.equals(ref)
            ? ref.size()
                + " left untouched"
                + (ref.isEmpty() ? "" : ", e.g. " + ref.iterator().next())
            : "ours " + head(ours) + " vs ghn3's " + head(ref);
    return Row.of(c, "not predicted", ok ? Status.PASS : Status.FAIL, detail);
  }

  private static String head(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    return l.size() <= 3 ? l.toString() : l.subList(0, 3) + " and " + (l.size() - 3) + " more";
  }

  private static Row reportRow(String c, String check, Report r) {
    Status s = r.ok() ? Status.PASS : Status.FAIL;
    String detail =
        r.ok() ? r.tensors() + " tensors, worst " + r.worstTensor() : ParityCheck.failureSummary(r);
    return new Row(c, check, r.maxAbsError(), r.maxRatio(), s, detail);
  }
}
