package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ghn4j.graph.Graph;
import ghn4j.graph.ParamSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What one GHN forward pass produced for a meta-batch: per graph, the predicted parameter tensors
 * by {@code state_dict} name (after decoding, tiling and normalisation — ready to set into the
 * network; attached to autograd when recorded) and the node embeddings {@code [n_nodes, hid]} after
 * message passing and LayerNorm, rows in the order of {@code graph.primitiveView()}. All arrays
 * belong to the manager passed to {@link Ghn#predict}.
 */
public final class Predictions {

  private final List<Map<String, NDArray>> params;
  private final List<NDArray> embeddings;

  Predictions(List<Map<String, NDArray>> params, List<NDArray> embeddings) {
    this.params = List.copyOf(params);
    this.embeddings = List.copyOf(embeddings);
  }

  /**
   * The predictions with the decoded tensors of each graph {@code g} put in the order {@code
   * view.apply(g)} lists its parameters (GHN-2 and GHN-3 decode by shape group, not by node).
   */
  static Predictions inParamOrder(
      List<Map<String, NDArray>> decoded, IntFunction<Graph> view, List<NDArray> embeddings) {
    List<Map<String, NDArray>> ordered = new ArrayList<>();
    for (int g = 0; g < decoded.size(); g++) {
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (ParamSpec p : view.apply(g).params()) {
        NDArray a = decoded.get(g).get(p.name());
        if (a != null) {
          byName.put(p.name(), a);
        }
      }
      ordered.add(byName);
    }
    return new Predictions(ordered, embeddings);
  }

  /** Number of graphs. */
  public int graphCount() {
    return params.size();
  }

  /** Predicted tensors of graph {@code graph} by parameter name, in node order (unmodifiable). */
  public Map<String, NDArray> params(int graph) {
    return Collections.unmodifiableMap(params.get(graph));
  }

  /** One predicted tensor; throws naming the parameter when the GHN did not predict it. */
  public NDArray param(int graph, String name) {
    NDArray a = params.get(graph).get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          "no prediction for parameter '" + name + "' of graph " + graph);
    }
    return a;
  }

  /** Node embeddings {@code [n_nodes, hid]} of graph {@code graph}. */
  public NDArray embeddings(int graph) {
    return embeddings.get(graph);
  }
}
