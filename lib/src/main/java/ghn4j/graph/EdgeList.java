package ghn4j.graph;

/**
 * Edges of a graph as three parallel arrays, sorted by source then destination: {@code dist[k] ==
 * 1} for a real edge, {@code > 1} for a virtual edge whose weight is the shortest-path length
 * (GHN-2, Eq. 4).
 */
public record EdgeList(int[] src, int[] dst, int[] dist) {

  public EdgeList {
    if (src.length != dst.length || src.length != dist.length) {
      throw new IllegalArgumentException("edge arrays differ in length");
    }
  }

  /** Number of edges. */
  public int size() {
    return src.length;
  }
}
