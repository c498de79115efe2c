package ghn4j.parity;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * The primitive view of a graph without its {@code msa} and {@code cse} nodes, their inputs wired to their outputs.
 * ppuda shows or hides these nodes depending on positions in its autograd trace (docs/differences.md, "msa node" and
 * "cse node"); comparing contracted graphs checks that two graphs differ by nothing else.
 */
public final class MsaCseContraction {

  private MsaCseContraction() {}

  /** {@code g}'s primitive view with msa and cse nodes contracted away. */
  public static Graph contract(Graph g) {
    Graph view = g.primitiveView();
    List<Node> nodes = new ArrayList<>(view.size());
    for (Node n : view.nodes()) {
      boolean drop = n.primitive() == Primitive.MSA || n.primitive() == Primitive.CSE;
      nodes.add(drop ? new Node(n.name(), null, n.op(), n.shape(), n.cell(), n.params(), n.inputs()) : n);
    }
    return Graph.of(nodes, view.nCells()).primitiveView();
  }
}
