package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The gated graph neural network of GHN-2 (Eq. 3–4): one forward traversal then one backward traversal of the graph
 * (T = 1). A node's message is the sum over its 1-hop neighbours of {@code gnn.mlp(h_u)} plus, with virtual edges,
 * the sum over all neighbours within s_max hops of {@code gnn.mlp_ve(h_u) / s(u,v)} (Eq. 4 — this is where virtual
 * edges enter); sums are not normalised by degree. The shared {@link GruCell} then updates the node from its message.
 * Nodes without senders still get a GRU update with a zero message, as in ppuda. Levels of {@link Wavefronts} are
 * updated in one batch each, which gives the same states as ppuda's node-by-node loop.
 */
final class GatedGnn {

  private GatedGnn() {}

  /** Propagates {@code x} ({@code [n, hid]}) over the batch's graphs; returns the new node states. */
  static NDArray forward(GhnWeights w, boolean virtualEdges, MetaBatch batch, NDArray x, NDManager m) {
    NDArray h = x;
    for (boolean forward : new boolean[] {true, false}) {
      Wavefronts schedule = Wavefronts.of(batch.size(), batch.edges(), forward, virtualEdges);
      for (Wavefronts.Level level : schedule.levels()) {
        h = update(w, virtualEdges, level, h, m);
      }
    }
    return h;
  }

  private static NDArray update(GhnWeights w, boolean virtualEdges, Wavefronts.Level level, NDArray h, NDManager m) {
    int k = level.nodes().length;
    long hid = h.getShape().get(1);
    NDArray nodes = TorchOwned.create(m, toLong(level.nodes()));
    NDArray hNodes = h.get(new NDIndex("{}", nodes));
    NDArray message = aggregate(w, "gnn.mlp", h, k, level.realSrc(), level.realPos(), null, m);
    if (virtualEdges && level.allSrc().length > 0) {
      NDArray ve = aggregate(w, "gnn.mlp_ve", h, k, level.allSrc(), level.allPos(), level.allScale(), m);
      message = message == null ? ve : message.add(ve);
    }
    if (message == null) {
      message = m.zeros(new Shape(k, hid));
    }
    NDArray updated = GruCell.forward(w, message, hNodes);
    long[] rows = new long[(int) (k * hid)];
    for (int i = 0; i < k; i++) {
      java.util.Arrays.fill(rows, (int) (i * hid), (int) ((i + 1) * hid), level.nodes()[i]);
    }
    return h.scatter(TorchOwned.create(m, rows, new Shape(k, hid)), updated, 0);
  }

  /**
   * {@code Σ_e scale_e · mlp(h[src_e])} into row {@code pos_e} of a {@code [k, hid]} result (a 0/1 or 1/s matrix
   * times the messages); {@code null} when there are no edges.
   */
  private static NDArray aggregate(
      GhnWeights w, String mlp, NDArray h, int k, int[] src, int[] pos, float[] scale, NDManager m) {
    int e = src.length;
    if (e == 0) {
      return null;
    }
    NDArray messages = Mlps.reluBoth(w, mlp, h.get(new NDIndex("{}", TorchOwned.create(m, toLong(src)))));
    float[] a = new float[k * e];
    for (int j = 0; j < e; j++) {
      a[pos[j] * e + j] = scale == null ? 1f : scale[j];
    }
    return TorchOwned.create(m, a, new Shape(k, e)).matMul(messages);
  }

  static long[] toLong(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
