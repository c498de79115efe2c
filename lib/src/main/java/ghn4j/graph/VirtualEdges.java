package ghn4j.graph;

import java.util.Arrays;

/**
 * Virtual edges of GHN-2 (Knyazev et al. 2021, Sec. 4.1, Eq. 4): between every ordered pair {@code
 * (u, v)} where {@code v} is reachable from {@code u} along directed edges in {@code 2..sMax}
 * steps, an edge weighted by that shortest-path length. Real edges keep weight 1. Same result as
 * ppuda's {@code nx.all_pairs_shortest_path_length(DiGraph(A), cutoff=ve_cutoff)}, computed with
 * one BFS per node.
 */
public final class VirtualEdges {

  /** ppuda's default cutoff s_max. */
  public static final int DEFAULT_S_MAX = 50;

  private VirtualEdges() {}

  /**
   * Real and virtual edges of {@code graph} up to path length {@code sMax}; with {@code sMax <= 1}
   * only the real edges.
   */
  public static EdgeList compute(Graph graph, int sMax) {
    int n = graph.size();
    int[][] succ = graph.successors();
    int[] dist = new int[n];
    int[] queue = new int[n];
    IntList src = new IntList();
    IntList dst = new IntList();
    IntList d = new IntList();
    for (int u = 0; u < n; u++) {
      if (sMax <= 1) {
        for (int v : succ[u]) {
          src.add(u);
          dst.add(v);
          d.add(1);
        }
        continue;
      }
      Arrays.fill(dist, -1);
      dist[u] = 0;
      int head = 0;
      int tail = 0;
      queue[tail++] = u;
      while (head < tail) {
        int x = queue[head++];
        if (dist[x] >= sMax) {
          continue;
        }
        for (int y : succ[x]) {
          if (dist[y] < 0) {
            dist[y] = dist[x] + 1;
            queue[tail++] = y;
          }
        }
      }
      for (int v = 0; v < n; v++) {
        if (dist[v] > 0) {
          src.add(u);
          dst.add(v);
          d.add(dist[v]);
        }
      }
    }
    return new EdgeList(src.toArray(), dst.toArray(), d.toArray());
  }

  /** A growable int array, to avoid boxing in the hot loop. */
  private static final class IntList {
    private int[] a = new int[64];
    private int n;

    void add(int x) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = x;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
