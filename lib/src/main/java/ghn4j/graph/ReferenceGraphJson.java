package ghn4j.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes graphs in the reference fixture format (ppuda's {@code Graph} exported as JSON:
 * {@code nodes} with {@code primitive, name, shape, cell, params}, {@code edges} as {@code [src,
 * dst, dist]}, {@code n_cells}, {@code ve_cutoff}). Graphs read this way have no ops: a GHN can
 * read them, the executor cannot run them.
 */
public final class ReferenceGraphJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReferenceGraphJson() {}

  /** Reads a reference graph file; errors name the file and the offending node or field. */
  public static Graph read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": not a readable JSON graph: " + e.getMessage(), e);
    }
    try {
      return fromJson(root);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the JSON tree of a reference graph. */
  public static Graph fromJson(JsonNode root) {
    JsonNode jsonNodes = require(root, "nodes");
    JsonNode jsonEdges = require(root, "edges");
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < jsonNodes.size(); i++) {
      JsonNode jn = jsonNodes.get(i);
      String where = "node " + i;
      Primitive primitive = Primitive.of(require(jn, "primitive", where).asText());
      String name = require(jn, "name", where).asText();
      int[] shape = GraphJson.ints(jn.get("shape"));
      int cell = jn.path("cell").asInt(0);
      List<ParamSpec> params = new ArrayList<>();
      for (JsonNode p : jn.path("params")) {
        params.add(
            new ParamSpec(
                require(p, "name", where).asText(),
                GraphJson.ints(require(p, "shape", where)),
                require(p, "is_weight", where).asBoolean()));
      }
      nodes.add(new Node(name, primitive, null, shape, cell, params, new int[0]));
    }
    List<int[]> edges = new ArrayList<>();
    for (JsonNode e : jsonEdges) {
      if (e.size() < 2) {
        throw new IllegalArgumentException("edge " + e + " needs [src, dst, dist]");
      }
      int dist = e.size() > 2 ? e.get(2).asInt() : 1;
      if (dist == 1) {
        edges.add(new int[] {e.get(0).asInt(), e.get(1).asInt()});
      }
    }
    int nCells = root.path("n_cells").asInt(1);
    return Graph.fromEdges(nodes, edges, nCells);
  }

  /** Writes {@code graph} in the reference format with its virtual edges up to {@code veCutoff}. */
  public static void write(Graph graph, Path file, int veCutoff) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("n_cells", graph.nCells());
    root.put("ve_cutoff", veCutoff);
    ArrayNode nodes = root.putArray("nodes");
    Graph view = graph.primitiveView();
    for (Node n : view.nodes()) {
      ObjectNode jn = nodes.addObject();
      jn.put("primitive", n.primitive().refName());
      jn.put("primitive_id", n.primitive().ordinal());
      jn.put("name", n.name());
      if (n.shape() == null) {
        jn.putNull("shape");
      } else {
        ArrayNode s = jn.putArray("shape");
        for (int d : n.shape()) {
          s.add(d);
        }
      }
      jn.put("cell", n.cell());
      ArrayNode ps = jn.putArray("params");
      for (ParamSpec p : n.params()) {
        ObjectNode jp = ps.addObject();
        jp.put("name", p.name());
        ArrayNode s = jp.putArray("shape");
        for (int d : p.shape()) {
          s.add(d);
        }
        jp.put("is_weight", p.isWeight());
      }
    }
    EdgeList edges = VirtualEdges.compute(view, veCutoff);
    ArrayNode je = root.putArray("edges");
    for (int k = 0; k < edges.size(); k++) {
      je.addArray().add(edges.src()[k]).add(edges.dst()[k]).add(edges.dist()[k]);
    }
    ghn4j.io.AtomicFiles.writeString(file, JSON.writeValueAsString(root));
  }

  private static JsonNode require(JsonNode node, String field) {
    return require(node, field, "graph");
  }

  private static JsonNode require(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isMissingNode()) {
      throw new IllegalArgumentException(where + ": missing field '" + field + "'");
    }
    return v;
  }
}
