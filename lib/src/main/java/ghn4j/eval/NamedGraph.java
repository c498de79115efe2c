package ghn4j.eval;

import ghn4j.graph.Graph;

/**
 * A network to evaluate or train: a display name (e.g. {@code "test/017"}, {@code "resnet50"}), its
 * graph, and its node count as ppuda reports it (the primitive view's size).
 *
 * @param name how results name the net
 * @param graph the executable graph
 */
public record NamedGraph(String name, Graph graph) {

  /** Trainable parameters of the net. */
  public long numParams() {
    return graph.numParams();
  }

  /** Nodes of the GHN's (primitive) view of the graph, as in the paper's tables. */
  public int numNodes() {
    return graph.primitiveView().size();
  }
}
