package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ghn4j.graph.EdgeList;

/**
 * What a {@link Hypernet} receives (see there): stacked node features of a meta-batch, its edges
 * with distances in global row indices, and where each graph's rows start.
 *
 * @param features {@code [n, hid]} initial node features
 * @param edges {@code src → dst} with distance 1 (real edge) or the shortest-path length (virtual
 *     edge)
 * @param offsets {@code graphCount + 1} row offsets: graph {@code g} owns rows {@code offsets[g] ..
 *     offsets[g+1]-1}
 */
public record GnnInput(NDArray features, EdgeList edges, int[] offsets) {

  public GnnInput {
    offsets = offsets.clone();
    if (offsets.length < 2
        || offsets[0] != 0
        || offsets[offsets.length - 1] != features.getShape().get(0)) {
      throw new IllegalArgumentException(
          "offsets must run from 0 to the number of feature rows " + features.getShape().get(0));
    }
  }

  @Override
  public int[] offsets() {
    return offsets.clone();
  }

  /** Total number of nodes. */
  public int size() {
    return offsets[offsets.length - 1];
  }

  /** Number of graphs. */
  public int graphCount() {
    return offsets.length - 1;
  }

  /** First row of graph {@code g}. */
  public int offset(int g) {
    return offsets[g];
  }

  /** Number of nodes of graph {@code g}. */
  public int graphSize(int g) {
    return offsets[g + 1] - offsets[g];
  }

  /**
   * Graph {@code g}'s dense distance matrix in local indices: {@code d[i][j]} is the distance of
   * edge {@code i → j}, 0 where there is none (ghn3's dense adjacency {@code _Adj}).
   */
  public int[][] distances(int g) {
    int off = offsets[g];
    int n = graphSize(g);
    int[][] d = new int[n][n];
    for (int k = 0; k < edges.size(); k++) {
      int s = edges.src()[k] - off;
      int t = edges.dst()[k] - off;
      if (s >= 0 && s < n && t >= 0 && t < n) {
        d[s][t] = edges.dist()[k];
      }
    }
    return d;
  }
}
