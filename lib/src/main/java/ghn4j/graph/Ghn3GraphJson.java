package ghn4j.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads graphs exported from ghn3's {@code Graph(model)} (the GHN-3 fixture format: {@code
 * nodes[i]} with {@code primitive}, {@code name} — a parameter name or an autograd op such as
 * {@code AddBackward0} — and {@code shape}; {@code edges} as {@code [src, dst, dist]}, virtual ones
 * included). The file does not say which parameters a node owns: they are matched to the network's
 * {@code state_dict} (name → shape) as ghn3's {@code _map_net_params} does ({@link #paramsOf}).
 * Graphs read this way have no ops: a GHN can read them, the executor cannot run them.
 */
public final class Ghn3GraphJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A graph read from a ghn3 file, and the file's own edge list (real and virtual edges, in file
   * order).
   */
  public record Read(Graph graph, EdgeList edges, int veCutoff) {}

  private Ghn3GraphJson() {}

  /**
   * Reads {@code file}; {@code stateDict} holds the network's parameter shapes by name. Errors name
   * the file.
   */
  public static Read read(Path file, Map<String, int[]> stateDict) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": not a readable JSON graph: " + e.getMessage(), e);
    }
    try {
      return fromJson(root, stateDict);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the JSON tree of a ghn3 graph. */
  public static Read fromJson(JsonNode root, Map<String, int[]> stateDict) {
    JsonNode jsonNodes = root.get("nodes");
    JsonNode jsonEdges = root.get("edges");
    if (jsonNodes == null || !jsonNodes.isArray() || jsonEdges == null || !jsonEdges.isArray()) {
      throw new IllegalArgumentException("a ghn3 graph needs 'nodes' and 'edges' arrays");
    }
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < jsonNodes.size(); i++) {
      JsonNode jn = jsonNodes.get(i);
      if (!jn.has("primitive") || !jn.has("name")) {
        throw new IllegalArgumentException("node " + i + " lacks 'primitive' or 'name'");
      }
      Primitive primitive = Primitive.of(jn.get("primitive").asText());
      if (jn.has("primitive_id") && jn.get("primitive_id").asInt() != primitive.ordinal()) {
        throw new IllegalArgumentException(
            "node "
                + i
                + ": primitive_id "
                + jn.get("primitive_id").asInt()
                + " is not "
                + primitive.refName()
                + "'s id "
                + primitive.ordinal());
      }
      String name = jn.get("name").asText();
      int[] shape = GraphJson.ints(jn.get("shape"));
      nodes.add(new Node(name, primitive, null, shape, 0, paramsOf(name, stateDict), new int[0]));
    }
    int n = nodes.size();
    int[] src = new int[jsonEdges.size()];
    int[] dst = new int[src.length];
    int[] dist = new int[src.length];
    List<int[]> real = new ArrayList<>();
    for (int k = 0; k < src.length; k++) {
      JsonNode e = jsonEdges.get(k);
      if (e.size() != 3) {
        throw new IllegalArgumentException("edge " + k + " " + e + " is not [src, dst, dist]");
      }
      src[k] = e.get(0).asInt();
      dst[k] = e.get(1).asInt();
      dist[k] = e.get(2).asInt();
      if (src[k] < 0 || src[k] >= n || dst[k] < 0 || dst[k] >= n || dist[k] < 1) {
        throw new IllegalArgumentException(
            "edge " + k + " " + e + " is out of range for " + n + " nodes");
      }
      if (dist[k] == 1) {
        real.add(new int[] {src[k], dst[k]});
      }
    }
    Graph graph = Graph.fromEdges(nodes, real, 1);
    for (int i = 0; i < n; i++) {
      if (!graph.node(i).name().equals(nodes.get(i).name())) {
        throw new IllegalArgumentException(
            "the node order is not topological at node "
                + i
                + " ("
                + nodes.get(i).name()
                + "); node embeddings would not line up with ghn3's");
      }
    }
    return new Read(graph, new EdgeList(src, dst, dist), root.path("ve_cutoff").asInt(50));
  }

  /**
   * The parameters ghn3 predicts for a node called {@code name} (its {@code _map_net_params} with
   * ppuda's {@code named_layered_modules}): the name itself if it ends in {@code .weight}, {@code
   * .bias}, {@code in_proj_weight} or {@code in_proj_bias}, else {@code name + ".weight"} — or the
   * bare name for a positional embedding ({@code encoder.pos_embedding}); nothing when that is not
   * in the {@code state_dict} (e.g. ConvNeXt's {@code layer_scale}). A 1-D weight (BN/LN) brings
   * its module's bias along.
   */
  public static List<ParamSpec> paramsOf(String name, Map<String, int[]> stateDict) {
    boolean suffixed =
        name.endsWith(".weight")
            || name.endsWith(".bias")
            || name.endsWith("in_proj_weight")
            || name.endsWith("in_proj_bias");
    String p = suffixed ? name : name + ".weight";
    String found =
        stateDict.containsKey(p)
            ? p
            : p.endsWith(".pos_embedding.weight") && stateDict.containsKey(name) ? name : null;
    if (found == null) {
      return List.of();
    }
    boolean isWeight = !(found.endsWith(".bias") || found.endsWith("in_proj_bias"));
    int[] shape = stateDict.get(found);
    List<ParamSpec> params = new ArrayList<>();
    params.add(new ParamSpec(found, shape, isWeight));
    if (isWeight && shape.length == 1 && found.endsWith(".weight")) {
      String bias = found.substring(0, found.length() - ".weight".length()) + ".bias";
      if (stateDict.containsKey(bias)) {
        params.add(new ParamSpec(bias, stateDict.get(bias), false));
      }
    }
    return params;
  }
}
