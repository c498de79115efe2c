package ghn4j.ghn;

import ghn4j.graph.EdgeList;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule of one traversal of the gated GNN. ppuda visits nodes one by one (forward: in topological order,
 * backward: in reverse), each node reading the states its neighbours have at that moment. A node only reads its own
 * state and those of the nodes it receives messages from, all of which come earlier in the visit, so visiting the
 * nodes level by level (a level = the nodes whose longest path from a source, or to a sink for the backward pass, has
 * the same length) computes the same states with one batched update per level instead of one per node. Graphs of a
 * meta-batch share levels.
 */
final class Wavefronts {

  /**
   * One level: the nodes updated together and the messages they receive, as edge lists from a sender to the position
   * of the receiver within {@code nodes}. {@code realSrc/realPos} are the 1-hop edges (the {@code gnn.mlp} messages);
   * {@code allSrc/allPos/allScale} are every edge up to s_max hops with weight 1/distance (the {@code gnn.mlp_ve}
   * messages of Eq. 4; 1-hop edges are in both lists, as in ppuda), empty without virtual edges.
   */
  record Level(int[] nodes, int[] realSrc, int[] realPos, int[] allSrc, int[] allPos, float[] allScale) {}

  private final List<Level> levels;

  private Wavefronts(List<Level> levels) {
    this.levels = levels;
  }

  List<Level> levels() {
    return levels;
  }

  /**
   * The schedule for {@code n} nodes and {@code edges} (global indices, src before dst in each graph). Forward: a node
   * receives from the sources of its incoming edges; backward: from the destinations of its outgoing edges.
   */
  static Wavefronts of(int n, EdgeList edges, boolean forward, boolean virtualEdges) {
    int[] src = forward ? edges.src() : edges.dst();
    int[] dst = forward ? edges.dst() : edges.src();
    int[] dist = edges.dist();
    int m = src.length;
    // depth over real edges; virtual edges join nodes already ordered by a real path
    int[][] inReal = adjacency(n, src, dst, dist, true);
    int[] depth = new int[n];
    int maxDepth = 0;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = forward ? i : n - 1 - i;
    }
    for (int v : order) {
      int d = 0;
      for (int u : inReal[v]) {
        d = Math.max(d, depth[u] + 1);
      }
      depth[v] = d;
      maxDepth = Math.max(maxDepth, d);
    }
    int[] count = new int[maxDepth + 1];
    for (int v = 0; v < n; v++) {
      count[depth[v]]++;
    }
    int[][] nodes = new int[maxDepth + 1][];
    for (int l = 0; l <= maxDepth; l++) {
      nodes[l] = new int[count[l]];
    }
    int[] fill = new int[maxDepth + 1];
    int[] pos = new int[n];
    for (int v = 0; v < n; v++) {
      pos[v] = fill[depth[v]];
      nodes[depth[v]][fill[depth[v]]++] = v;
    }
    int[] realCount = new int[maxDepth + 1];
    int[] allCount = new int[maxDepth + 1];
    for (int k = 0; k < m; k++) {
      int l = depth[dst[k]];
      if (dist[k] == 1) {
        realCount[l]++;
      }
      if (virtualEdges) {
        allCount[l]++;
      }
    }
    List<Level> levels = new ArrayList<>(maxDepth + 1);
    int[][] rs = new int[maxDepth + 1][];
    int[][] rp = new int[maxDepth + 1][];
    int[][] as = new int[maxDepth + 1][];
    int[][] ap = new int[maxDepth + 1][];
    float[][] aw = new float[maxDepth + 1][];
    for (int l = 0; l <= maxDepth; l++) {
      rs[l] = new int[realCount[l]];
      rp[l] = new int[realCount[l]];
      as[l] = new int[allCount[l]];
      ap[l] = new int[allCount[l]];
      aw[l] = new float[allCount[l]];
    }
    int[] rf = new int[maxDepth + 1];
    int[] af = new int[maxDepth + 1];
    for (int k = 0; k < m; k++) {
      int l = depth[dst[k]];
      if (depth[src[k]] >= l) {
        throw new IllegalStateException("edge " + src[k] + "->" + dst[k] + " does not go to a later level");
      }
      if (dist[k] == 1) {
        rs[l][rf[l]] = src[k];
        rp[l][rf[l]++] = pos[dst[k]];
      }
      if (virtualEdges) {
        as[l][af[l]] = src[k];
        ap[l][af[l]] = pos[dst[k]];
        aw[l][af[l]++] = 1f / dist[k];
      }
    }
    for (int l = 0; l <= maxDepth; l++) {
      levels.add(new Level(nodes[l], rs[l], rp[l], as[l], ap[l], aw[l]));
    }
    return new Wavefronts(levels);
  }

  private static int[][] adjacency(int n, int[] src, int[] dst, int[] dist, boolean realOnly) {
    int[] deg = new int[n];
    for (int k = 0; k < src.length; k++) {
      if (!realOnly || dist[k] == 1) {
        deg[dst[k]]++;
      }
    }
    int[][] in = new int[n][];
    for (int v = 0; v < n; v++) {
      in[v] = new int[deg[v]];
    }
    int[] fill = new int[n];
    for (int k = 0; k < src.length; k++) {
      if (!realOnly || dist[k] == 1) {
        in[dst[k]][fill[dst[k]]++] = src[k];
      }
    }
    return in;
  }
}
