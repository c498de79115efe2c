package ghn4j.parity;

import com.fasterxml.jackson.databind.JsonNode;
import ghn4j.graph.EdgeList;
import ghn4j.graph.Ghn3GraphJson;
import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.VirtualEdges;
import ghn4j.onnx.Ghn3Graphs;
import ghn4j.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The graph half of {@link Ghn3ParityCheck}: our GHN-3 graphs built from a net's ONNX file (the
 * dataflow route and the executable importer's) against ghn3's graph, and our virtual edges against
 * ghn3's.
 */
final class Ghn3GraphCheck {

  private final Path dir;
  private final Map<String, Double> seconds;

  /**
   * Checks over the fixture directory {@code dir}; ONNX import time is added to {@code seconds}.
   */
  Ghn3GraphCheck(Path dir, Map<String, Double> seconds) {
    this.dir = dir;
    this.seconds = seconds;
  }

  /**
   * Our graph built from the net's ONNX file, and for each of its nodes the isomorphic node of
   * ghn3's graph.
   */
  record OnnxGraph(Graph graph, int[] mapping) {}

  /**
   * Builds the GHN-3 graph of the net's ONNX file ({@link Ghn3Graphs}) and compares it with ghn3's:
   * isomorphic as labelled DAGs (primitive and shape), virtual edges included, same parameters. A
   * graph that cannot be built, or is not isomorphic, gives a FAIL row saying why and null.
   */
  OnnxGraph onnxGraph(String arch, JsonNode net, Graph ref, long expParams, Consumer<Row> out) {
    String file = net.path("file").asText("");
    if (file.isEmpty()) {
      out.accept(
          Row.of(
              arch,
              "graph(onnx)",
              Status.FAIL,
              "nets/" + arch + ".json has no 'file' (its ONNX export)"));
      return null;
    }
    Graph ours;
    long t0 = System.nanoTime();
    try {
      ours = Ghn3Graphs.read(dir.resolve(file));
    } catch (RuntimeException e) {
      out.accept(Row.of(arch, "graph(onnx)", Status.FAIL, ParityCheck.error(e)));
      return null;
    } finally {
      seconds.merge("ONNX import", (System.nanoTime() - t0) / 1e9, Double::sum);
    }
    // the graph holds the parameters GHN-3 predicts; the rest (layer_scale, class_token) are in no
    // node
    boolean countOk = ours.numParams() == ref.numParams();
    out.accept(
        Row.of(
            arch,
            "graph(onnx) num_params",
            countOk ? Status.PASS : Status.FAIL,
            ours.numParams()
                + " in nodes (ONNX graph) vs "
                + ref.numParams()
                + " (ghn3's graph); "
                + expParams
                + " in the net"));
    GraphIsomorphism.Result iso = GraphIsomorphism.compare(ours, ref);
    if (!iso.isomorphic()) {
      out.accept(Row.of(arch, "graph(onnx) isomorphic", Status.FAIL, iso.message()));
      return null;
    }
    int[] mapping = iso.mapping();
    // virtual edges: ours, carried to ghn3's numbering, against ours on ghn3's graph (checked equal
    // to ghn3's above)
    Set<String> mine = new HashSet<>();
    EdgeList ve = VirtualEdges.compute(ours, 50);
    for (int k = 0; k < ve.size(); k++) {
      mine.add(mapping[ve.src()[k]] + "->" + mapping[ve.dst()[k]] + ":" + ve.dist()[k]);
    }
    Set<String> theirs = edgeSet(VirtualEdges.compute(ref, 50));
    String params = sameParams(ours, ref, mapping);
    boolean ok = mine.equals(theirs) && params == null;
    out.accept(
        Row.of(
            arch,
            "graph(onnx) isomorphic",
            ok ? Status.PASS : Status.FAIL,
            ok
                ? ours.size()
                    + " nodes, "
                    + ve.size()
                    + " edges incl. virtual = ghn3's, same parameters per node"
                : params != null
                    ? params
                    : "isomorphic on real edges but the virtual edges differ"));
    return ok ? new OnnxGraph(ours, mapping) : null;
  }

  /**
   * The other route: the executable ppuda-flavour import ({@link OnnxModel}) turned into GHN-3's
   * graph ({@link Ghn3Graphs#of(OnnxModel)}), for the nets the importer takes; a note names why
   * when it does not (ViT, ConvNeXt: their token reshapes are not executable in ghn4j).
   */
  void executableRoute(
      String arch, JsonNode net, Graph ref, Consumer<Row> out, Consumer<String> notes) {
    String file = net.path("file").asText("");
    if (file.isEmpty()) {
      return;
    }
    Graph ours;
    long t0 = System.nanoTime();
    try {
      ours = Ghn3Graphs.of(OnnxModel.read(dir.resolve(file), true));
    } catch (IllegalArgumentException e) {
      String why = String.valueOf(e.getMessage());
      notes.accept(
          arch
              + ": not executable in ghn4j (GHN-3 runs on the dataflow graph): "
              + why.substring(0, Math.min(why.length(), 200)));
      return;
    } finally {
      seconds.merge("ONNX import", (System.nanoTime() - t0) / 1e9, Double::sum);
    }
    GraphIsomorphism.Result iso = GraphIsomorphism.compare(ours, ref);
    String params = iso.isomorphic() ? sameParams(ours, ref, iso.mapping()) : null;
    boolean ok = iso.isomorphic() && params == null;
    out.accept(
        Row.of(
            arch,
            "graph(onnx, executable) isomorphic",
            ok ? Status.PASS : Status.FAIL,
            !iso.isomorphic()
                ? iso.message()
                : params != null
                    ? params
                    : ours.size()
                        + " nodes, same parameters per node, from the executable import"));
  }

  /**
   * null when every node of {@code ours} owns the same parameters (names and shapes) as its image
   * in {@code ref}.
   */
  private static String sameParams(Graph ours, Graph ref, int[] mapping) {
    for (int i = 0; i < ours.size(); i++) {
      List<ParamSpec> a = ours.node(i).params();
      List<ParamSpec> b = ref.node(mapping[i]).params();
      if (!a.equals(b)) {
        return "node "
            + i
            + " ("
            + ours.node(i).name()
            + ") owns "
            + a
            + ", ghn3's node "
            + mapping[i]
            + " ("
            + ref.node(mapping[i]).name()
            + ") "
            + b;
      }
    }
    return null;
  }

  /**
   * Our virtual edges (cutoff from the file) on ghn3's real edges against ghn3's full edge list.
   */
  static Row virtualEdges(String arch, Ghn3GraphJson.Read g) {
    EdgeList ours = VirtualEdges.compute(g.graph(), g.veCutoff());
    Set<String> a = edgeSet(ours);
    Set<String> b = edgeSet(g.edges());
    if (a.equals(b)) {
      return Row.of(
          arch,
          "virtual edges",
          Status.PASS,
          b.size() + " edges (cutoff " + g.veCutoff() + ") = ghn3's");
    }
    Set<String> missing = new TreeSet<>(b);
    missing.removeAll(a);
    Set<String> extra = new TreeSet<>(a);
    extra.removeAll(b);
    return Row.of(
        arch,
        "virtual edges",
        Status.FAIL,
        missing.size()
            + " of ghn3's edges missing (e.g. "
            + missing.stream().limit(3).toList()
            + "), "
            + extra.size()
            + " extra (e.g. "
            + extra.stream().limit(3).toList()
            + ")");
  }

  private static Set<String> edgeSet(EdgeList e) {
    Set<String> s = new HashSet<>();
    for (int k = 0; k < e.size(); k++) {
      s.add(e.src()[k] + "->" + e.dst()[k] + ":" + e.dist()[k]);
    }
    return s;
  }
}
