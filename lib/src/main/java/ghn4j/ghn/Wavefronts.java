package ghn4j.ghn;

import ghn4j.graph.EdgeList;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule of one traversal of the gated GNN. ppuda visits nodes one by one (forward: in
 * topological order, backward: in reverse), each node reading the states its neighbours have at
 * that moment. A node only reads its own state and those of the nodes it receives messages from,
 * all of which are visited before it, so visiting the nodes level by level (a level = the nodes
 * whose longest path from a source — for the backward pass: to a sink — has the same length)
 * computes the same states with one batched update per level instead of one per node. Graphs of a
 * meta-batch share levels.
 */
final class Wavefronts {

  /**
   * One level: the nodes updated together and the messages they send once updated, as edges from a
   * position in {@code nodes} to a receiver (global index) at a later level, with the edge's
   * shortest-path length (1 = real edge).
   */
  record Level(int[] nodes, int[] sendFrom, int[] sendTo, int[] sendDist) {}

  private final List<Level> levels;
  private final int[] order;

  private Wavefronts(List<Level> levels, int[] order) {
    this.levels = levels;
    this.order = order;
  }

  List<Level> levels() {
    return levels;
  }

  /** The nodes in visiting order (the levels' nodes concatenated). */
  int[] order() {
    return order;
  }

  /**
   * The schedule for {@code n} nodes and {@code edges} (global indices, src before dst within each
   * graph). Forward: a node receives from the sources of its incoming edges; backward: from the
   * destinations of its outgoing edges. Virtual edges never change levels: they join nodes that a
   * real path already orders.
   */
  static Wavefronts of(int n, EdgeList edges, boolean forward) {
    int[] from = forward ? edges.src() : edges.dst();
    int[] to = forward ? edges.dst() : edges.src();
    int[] dist = edges.dist();
    int m = from.length;
    int[][] senders = realSenders(n, from, to, dist);
    int[] depth = new int[n];
    int maxDepth = 0;
    for (int i = 0; i < n; i++) {
      int v = forward ? i : n - 1 - i;
      int d = 0;
      for (int u : senders[v]) {
        d = Math.max(d, depth[u] + 1);
      }
      depth[v] = d;
      maxDepth = Math.max(maxDepth, d);
    }
    int levelsCount = maxDepth + 1;
    int[] nodeCount = new int[levelsCount];
    for (int v = 0; v < n; v++) {
      nodeCount[depth[v]]++;
    }
    int[] edgeCount = new int[levelsCount];
    for (int k = 0; k < m; k++) {
      if (depth[from[k]] >= depth[to[k]]) {
        throw new IllegalStateException(
            "edge " + from[k] + "->" + to[k] + " does not lead to a later level");
      }
      edgeCount[depth[from[k]]]++;
    }
    int[][] nodes = new int[levelsCount][];
    int[][] ef = new int[levelsCount][];
    int[][] et = new int[levelsCount][];
    int[][] ed = new int[levelsCount][];
    for (int l = 0; l < levelsCount; l++) {
      nodes[l] = new int[nodeCount[l]];
      ef[l] = new int[edgeCount[l]];
      et[l] = new int[edgeCount[l]];
      ed[l] = new int[edgeCount[l]];
    }
    int[] fill = new int[levelsCount];
    int[] pos = new int[n];
    for (int v = 0; v < n; v++) {
      int l = depth[v];
      pos[v] = fill[l];
      nodes[l][fill[l]++] = v;
    }
    java.util.Arrays.fill(fill, 0);
    for (int k = 0; k < m; k++) {
      int l = depth[from[k]];
      ef[l][fill[l]] = pos[from[k]];
      et[l][fill[l]] = to[k];
      ed[l][fill[l]++] = dist[k];
    }
    List<Level> levels = new ArrayList<>(levelsCount);
    int[] order = new int[n];
    int k = 0;
    for (int l = 0; l < levelsCount; l++) {
      levels.add(new Level(nodes[l], ef[l], et[l], ed[l]));
      for (int v : nodes[l]) {
        order[k++] = v;
      }
    }
    return new Wavefronts(levels, order);
  }

  private static int[][] realSenders(int n, int[] from, int[] to, int[] dist) {
    int[] deg = new int[n];
    for (int k = 0; k < from.length; k++) {
      if (dist[k] == 1) {
        deg[to[k]]++;
      }
    }
    int[][] in = new int[n][];
    for (int v = 0; v < n; v++) {
      in[v] = new int[deg[v]];
    }
    int[] fill = new int[n];
    for (int k = 0; k < from.length; k++) {
      if (dist[k] == 1) {
        in[to[k]][fill[to[k]]++] = from[k];
      }
    }
    return in;
  }
}
