package ghn4j.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ghn4j.deepnets.BuiltNetwork;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetSpecs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.io.SafeTensors;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.parity.PredictionCheck.Report;
import ghn4j.parity.PredictionCheck.Tolerance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The checks of one reference net for {@link ParityCheck}; holds what the checks share (our build,
 * the graphs, the isomorphism).
 *
 * <p>One unit (~430 lines): the checks of one net run in order on shared state (our build, both
 * graphs, the isomorphism, the executor), each using what the ones before established.
 */
final class NetParityRun {
  private final ParityCheck owner;
  private final ReferenceFixtures fixtures;
  private final String net;
  private final Map<String, Ghn> ghns;
  private final SafeTensors.Tensor input;
  private final Consumer<Row> out;
  private Graph ours;
  private Graph ref;

  /**
   * Our primitive-view node i is ppuda's node mapping[i]; null when the graphs are not strictly
   * isomorphic.
   */
  private int[] mapping;

  private GraphExecutor executor;

  /** The first BatchNorm node with running statistics, or null (see {@link #logitsMode}). */
  private String trackedBn;

  /** The fixture's net kind ({@code deepnets1m}, {@code torchvision}, ...). */
  private String kind;

  NetParityRun(
      ParityCheck owner,
      String net,
      Map<String, Ghn> ghns,
      SafeTensors.Tensor input,
      Consumer<Row> out) {
    this.owner = owner;
    this.fixtures = owner.fixtures;
    this.net = net;
    this.ghns = ghns;
    this.input = input;
    this.out = out;
  }

  void run() {
    long t0 = System.nanoTime();
    NetFixture nf;
    try {
      nf = NetFixture.read(fixtures.netFile(net));
      kind = nf.kind();
      build(nf);
    } catch (RuntimeException e) {
      out.accept(Row.of(net, "build", Status.FAIL, ParityCheck.error(e)));
      return;
    }
    if (ours == null) {
      return;
    }
    try {
      graphChecks();
    } catch (RuntimeException e) {
      out.accept(Row.of(net, "graph", Status.FAIL, ParityCheck.error(e)));
    }
    owner.time("build and graph checks", t0);
    for (ghn4j.graph.Node n : ours.nodes()) {
      if (trackedBn == null && n.op() instanceof Ops.BatchNorm bn && bn.trackRunningStats()) {
        trackedBn = n.name();
      }
    }
    try {
      executor = new GraphExecutor(ours);
    } catch (RuntimeException e) {
      out.accept(Row.of(net, "executor", Status.FAIL, ParityCheck.error(e)));
    }
    try (NDManager m = Devices.newManager()) {
      for (String ghn : fixtures.ghns()) {
        try (NDManager sub = m.newSubManager()) {
          shippedPredictions(ghn, sub);
        } catch (RuntimeException e) {
          out.accept(Row.of(net, ghn + " logits(shipped)", Status.FAIL, ParityCheck.error(e)));
        }
      }
      for (Map.Entry<String, Ghn> g : ghns.entrySet()) {
        if (fixtures.hasGhnCase(g.getKey(), net)) {
          try (NDManager sub = m.newSubManager()) {
            ghnChecks(g.getKey(), g.getValue(), sub);
          } catch (RuntimeException e) {
            out.accept(Row.of(g.getKey() + " × " + net, "ghn", Status.FAIL, ParityCheck.error(e)));
          }
        }
      }
    }
  }

  /** Check 1: our build's parameters against the fixture. */
  private void build(NetFixture nf) {
    List<String> stateDict;
    List<String> live;
    long count;
    switch (nf.kind()) {
      case "deepnets1m" -> {
        NetArgs args = NetSpecs.fromNetJson(nf.json());
        BuiltNetwork bn = NetworkBuilder.build(args);
        ours = bn.graph();
        count = NetworkBuilder.countParams(args);
        if (count != bn.numParams()) {
          out.accept(
              Row.of(
                  net,
                  "num_params",
                  Status.FAIL,
                  "countParams " + count + " but the built module holds " + bn.numParams()));
        }
        stateDict = specs(bn.stateDict());
        live = specs(bn.liveStateDict());
      }
      case "torchvision" -> {
        Optional<Graph> g = ZooArchitectures.build(nf.arch(), nf.numClasses());
        if (g.isEmpty()) {
          out.accept(
              Row.of(
                  net,
                  "build",
                  Status.FAIL,
                  "unknown torchvision arch '"
                      + nf.arch()
                      + "' (known: "
                      + ZooArchitectures.known()
                      + ")"));
          return;
        }
        ours = g.get();
        count = ours.numParams();
        stateDict = specs(ours.params());
        live = stateDict;
      }
      case "onnx" -> {
        // the torch module exported to ONNX (nets/<net>.json "file", relative to the fixture
        // root)
        String file = nf.json().path("file").asText("");
        if (file.isEmpty()) {
          out.accept(
              Row.of(net, "build", Status.FAIL, fixtures.netFile(net) + ": field file is missing"));
          return;
        }
        ours = ghn4j.onnx.OnnxModel.read(fixtures.dir().resolve(file)).graph();
        count = ours.numParams();
        stateDict = specs(ours.params());
        live = stateDict;
      }
      default -> {
        out.accept(Row.of(net, "build", Status.FAIL, "unknown net kind '" + nf.kind() + "'"));
        return;
      }
    }
    out.accept(
        Row.of(
            net,
            "num_params",
            count == nf.numParams() ? Status.PASS : Status.FAIL,
            "ours " + count + ", ppuda " + nf.numParams()));
    // torchvision graphs list parameters in node order (a downsample conv runs before the block's
    // bn2 is
    // registered), so only the entries must agree there; DeepNets-1M builds give module order.
    boolean ordered = nf.kind().equals("deepnets1m");
    out.accept(compareSpecs("state_dict", nf.stateDict(), stateDict, ordered));
    out.accept(compareSpecs("live_state_dict", nf.liveStateDict(), live, ordered));
    out.accept(compareSpecs("graph params", nf.liveStateDict(), specs(ours.params()), false));
  }

  private Row compareSpecs(
      String check, List<String> expected, List<String> actual, boolean ordered) {
    if (expected.equals(actual)) {
      return Row.of(net, check, Status.PASS, expected.size() + " tensors");
    }
    List<String> e = new ArrayList<>(expected);
    List<String> a = new ArrayList<>(actual);
    e.sort(null);
    a.sort(null);
    if (e.equals(a)) {
      return Row.of(
          net,
          check,
          ordered ? Status.FAIL : Status.PASS,
          expected.size()
              + " tensors"
              + (ordered ? ", but in another order" : " (order of our graph)"));
    }
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    return Row.of(
        net,
        check,
        Status.FAIL,
        expected.size()
            + " vs ours "
            + actual.size()
            + "; missing "
            + head(missing)
            + "; unexpected "
            + head(extra));
  }

  /** Check 2: topological order and isomorphism with ppuda's graph. */
  private void graphChecks() {
    Graph view = ours.primitiveView();
    String topo = ParityCheck.topological(ours);
    if (topo == null) {
      topo = ParityCheck.topological(view);
    }
    out.accept(
        Row.of(
            net,
            "topological order",
            topo == null ? Status.PASS : Status.FAIL,
            topo == null ? view.size() + " nodes (GHN view)" : topo));
    Optional<Path> gf = fixtures.graphFile(net);
    if (gf.isEmpty()) {
      return;
    }
    ref = ReferenceGraphJson.read(gf.get());
    GraphIsomorphism.Result strict = GraphIsomorphism.compare(view, ref);
    if (strict.isomorphic()) {
      mapping = strict.mapping();
      out.accept(
          Row.of(
              net,
              "graph isomorphic",
              Status.PASS,
              ref.size() + " nodes, " + ref.edges().size() + " edges"));
      return;
    }
    out.accept(Row.of(net, "graph isomorphic", Status.FAIL, strict.message()));
  }

  /** Check 3: the executor with ppuda's own predicted tensors reproduces ppuda's logits. */
  private void shippedPredictions(String ghn, NDManager m) {
    Optional<Path> tensors = fixtures.predictedTensors(ghn, net);
    Optional<Path> logits = fixtures.logits(ghn, net);
    if (tensors.isEmpty() || logits.isEmpty() || executor == null || input == null) {
      return;
    }
    Map<String, NDArray> params = SafeTensors.read(tensors.get(), m);
    out.accept(logitsRow(ghn + " × " + net, "logits(shipped params)", params, logits.get(), m));
  }

  /**
   * Check 4: one GHN forward on a meta-batch of ppuda's graph (a) and ours (b) — the GHN treats the
   * graphs of a batch independently — then each graph's predictions, embeddings and logits.
   */
  private void ghnChecks(String ghnName, Ghn ghn, NDManager m) {
    String c = ghnName + " × " + net;
    List<Graph> graphs = ref != null ? List.of(ref, ours) : List.of(ours);
    long t0 = System.nanoTime();
    Predictions p = ghn.predict(graphs, m);
    owner.time("ghn forward", t0);
    Map<String, NDArray> a = null;
    Row logitsA = null;
    if (ref != null) {
      a = p.params(0);
      predictionRows(c, "(a)", ghnName, a, p.embeddings(0));
      if (executor != null) {
        logitsA = logitsFor(c, "logits(a)", ghnName, a, m);
      }
    }
    Map<String, NDArray> b = p.params(graphs.size() - 1);
    NDArray emb = null;
    if (mapping != null) {
      // our view's node i is ppuda's node mapping[i]: put our rows in ppuda's order
      long[] rowOfRef = new long[mapping.length];
      for (int i = 0; i < mapping.length; i++) {
        rowOfRef[mapping[i]] = i;
      }
      emb = p.embeddings(graphs.size() - 1).get(new NDIndex("{}", m.create(rowOfRef)));
    }
    predictionRows(c, "(b)", ghnName, b, emb);
    if (executor == null) {
      return;
    }
    if (logitsA != null && identical(a, b)) {
      // same parameters, same network: the forward pass would repeat (a) exactly
      out.accept(
          new Row(
              c,
              "logits(b)",
              logitsA.maxAbs(),
              logitsA.maxRatio(),
              logitsA.status(),
              "predictions bit-identical to (a); " + logitsA.detail()));
    } else {
      logitsFor(c, "logits(b)", ghnName, b, m);
    }
  }

  private void predictionRows(
      String c, String which, String ghn, Map<String, NDArray> params, NDArray emb) {
    long t0 = System.nanoTime();
    Optional<Path> digest = fixtures.digest(ghn, net);
    if (digest.isPresent()) {
      out.accept(
          reportRow(
              c,
              "predictions digest" + which,
              PredictionCheck.againstDigest(params, digest.get(), Tolerance.PREDICTIONS)));
    }
    Optional<Path> full = fixtures.predictedTensors(ghn, net);
    if (full.isPresent()) {
      out.accept(
          reportRow(
              c,
              "predictions tensors" + which,
              PredictionCheck.againstTensors(params, full.get(), Tolerance.PREDICTIONS)));
    }
    Optional<Path> e = fixtures.embeddings(ghn, net);
    if (e.isPresent()) {
      if (emb == null) {
        out.accept(
            Row.of(
                c,
                "embeddings" + which,
                Status.FAIL,
                "no node correspondence with ppuda's graph (not isomorphic)"));
      } else {
        out.accept(
            reportRow(
                c,
                "embeddings" + which,
                PredictionCheck.embeddings(emb, e.get(), Tolerance.PREDICTIONS)));
      }
    }
    owner.time("prediction checks", t0);
  }

  private Row logitsFor(
      String c, String check, String ghn, Map<String, NDArray> params, NDManager m) {
    Optional<Path> logits = fixtures.logits(ghn, net);
    if (logits.isEmpty() || input == null) {
      return null;
    }
    Row r = logitsRow(c, check, params, logits.get(), m);
    out.accept(r);
    return r;
  }

  private Row logitsRow(
      String c, String check, Map<String, NDArray> params, Path logits, NDManager m) {
    long[] shape = java.util.Arrays.stream(input.shape()).asLongStream().toArray();
    NDArray x = m.create(input.data(), new Shape(shape));
    long t0 = System.nanoTime();
    NDArray y = executor.forward(x, params, logitsMode(m));
    Report r = PredictionCheck.againstTensors(Map.of("logits", y), logits, ParityCheck.LOGITS);
    owner.time("network forward", t0);
    return reportRow(c, check, r);
  }

  /**
   * How the fixture's logits were computed: BatchNorm layers without running statistics
   * (DeepNets-1M's) on the batch's statistics; nets imported from ONNX files with every BatchNorm
   * on batch statistics (onnx fixture README); layers that track running statistics (torchvision
   * and DARTS nets) in inference mode with the statistics ppuda's graph trace left in them ({@link
   * TrackedBnStats}) where they were derived, else with PyTorch's initial buffers (mean 0, variance
   * 1), as the reference README states.
   */
  private Mode logitsMode(NDManager m) {
    if (trackedBn == null || "onnx".equals(kind)) {
      return Mode.batchStats();
    }
    return Mode.eval(
        TrackedBnStats.forNet(net, ours, m)
            .orElseGet(() -> BnState.initial(ours, m, ai.djl.ndarray.types.DataType.FLOAT32)));
  }

  private Row reportRow(String c, String check, Report r) {
    Status s = r.ok() ? Status.PASS : Status.FAIL;
    String detail =
        r.ok() ? r.tensors() + " tensors, worst " + r.worstTensor() : ParityCheck.failureSummary(r);
    return new Row(c, check, r.maxAbsError(), r.maxRatio(), s, detail);
  }

  private static boolean identical(Map<String, NDArray> a, Map<String, NDArray> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, NDArray> e : a.entrySet()) {
      if (!java.util.Arrays.equals(e.getValue().toFloatArray(), b.get(e.getKey()).toFloatArray())) {
        return false;
      }
    }
    return true;
  }

  private static List<String> specs(List<ParamSpec> params) {
    return params.stream().map(p -> NetFixture.spec(p.name(), p.shape())).toList();
  }

  private static String head(List<String> l) {
    return l.isEmpty()
        ? "none"
        : l.size() <= 3 ? l.toString() : l.subList(0, 3) + " and " + (l.size() - 3) + " more";
  }
}
