package ghn4j.onnx;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ghn3's clean-up rules on a graph of visible nodes (its {@code Graph._build_graph} after the
 * autograd traversal), in its order: {@code reduce_graph}'s first pass (in a net with sigmoid-like
 * gates every global average pool but the last — the head's — is the squeeze of an excitation block
 * and is dropped), {@code fix_softmax_edges} (an edge into the node after an {@code msa} from a
 * node that also reaches it through the {@code msa}, or that the {@code msa} does not feed, is
 * dropped; in the latter case the source feeds the {@code msa} instead), the second pass (a {@code
 * sum} or {@code concat} left with fewer than two inputs goes), and the shape of a 1×1 classifier
 * weight just before the output given 2-D.
 */
final class Ghn3Rules {

  private Ghn3Rules() {}

  /**
   * The nodes after ghn3's rules, topologically sorted; {@code sigmoidGates}: the net has
   * sigmoid-like activations.
   */
  static List<Node> apply(List<Node> nodes, boolean sigmoidGates) {
    List<Node> g = new ArrayList<>(nodes);
    if (sigmoidGates) {
      int head = -1;
      for (int i = 0; i < g.size(); i++) {
        head = g.get(i).primitive() == Primitive.GLOB_AVG ? i : head;
      }
      for (int i = 0; i < g.size(); i++) {
        if (g.get(i).primitive() == Primitive.GLOB_AVG && i != head) {
          g.set(i, Ghn3Graphs.hidden(g.get(i)));
        }
      }
      g = new ArrayList<>(Graph.of(g, 1).primitiveView().nodes());
    }
    g = fixSoftmaxEdges(g);
    for (int i = 0; i < g.size(); i++) {
      Node n = g.get(i);
      if ((n.primitive() == Primitive.SUM || n.primitive() == Primitive.CONCAT)
          && n.inputCount() < 2) {
        g.set(i, Ghn3Graphs.hidden(n));
      }
    }
    g = new ArrayList<>(Graph.of(g, 1).primitiveView().nodes());
    int k = g.size() - 2;
    if (k > 0) {
      Node n = g.get(k);
      int[] s = n.shape();
      if (s != null && s.length == 4 && Math.max(s[2], s[3]) == 1) {
        g.set(
            k,
            new Node(
                n.name(),
                n.primitive(),
                n.op(),
                new int[] {s[0], s[1]},
                n.cell(),
                n.params(),
                n.inputs()));
      }
    }
    return g;
  }

  private static List<Node> fixSoftmaxEdges(List<Node> g) {
    int n = g.size();
    List<Set<Integer>> in = new ArrayList<>();
    for (Node node : g) {
      Set<Integer> s = new LinkedHashSet<>();
      for (int x : node.inputs()) {
        s.add(x);
      }
      in.add(s);
    }
    boolean changed = false;
    for (int i = 0; i < n; i++) {
      if (g.get(i).primitive() != Primitive.MSA) {
        continue;
      }
      for (int s = 0; s < n; s++) {
        if (!in.get(s).contains(i)) {
          continue;
        }
        for (int j : new ArrayList<>(in.get(s))) {
          if (j == i) {
            continue;
          }
          boolean otherPath = false;
          for (int k : in.get(s)) {
            otherPath |= k != j && reaches(in, j, k);
          }
          boolean msaFeedsJ = in.get(j).contains(i);
          if (otherPath || !msaFeedsJ) {
            in.get(s).remove(j);
            changed = true;
          }
          if (!otherPath && !msaFeedsJ) {
            in.get(i).add(j);
          }
        }
      }
    }
    if (!changed) {
      return g;
    }
    List<int[]> edges = new ArrayList<>();
    List<Node> bare = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      for (int u : in.get(v)) {
        edges.add(new int[] {u, v});
      }
      Node x = g.get(v);
      bare.add(
          new Node(x.name(), x.primitive(), x.op(), x.shape(), x.cell(), x.params(), new int[0]));
    }
    return new ArrayList<>(Graph.fromEdges(bare, edges, 1).nodes());
  }

  /**
   * Whether node {@code from} reaches node {@code to} (following inputs backwards from {@code to}).
   */
  private static boolean reaches(List<Set<Integer>> in, int from, int to) {
    if (from == to) {
      return true;
    }
    boolean[] seen = new boolean[in.size()];
    ArrayList<Integer> stack = new ArrayList<>(List.of(to));
    while (!stack.isEmpty()) {
      int v = stack.remove(stack.size() - 1);
      for (int u : in.get(v)) {
        if (u == from) {
          return true;
        }
        if (!seen[u]) {
          seen[u] = true;
          stack.add(u);
        }
      }
    }
    return false;
  }
}
