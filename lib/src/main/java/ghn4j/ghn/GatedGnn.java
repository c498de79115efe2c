package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * The gated graph neural network of GHN-2 (Eq. 3–4): one forward traversal then one backward
 * traversal of the graph (T = 1). A node's message is the sum over its 1-hop neighbours of {@code
 * gnn.mlp(h_u)} plus, with virtual edges, the sum over all neighbours within s_max hops (1-hop ones
 * included, as in ppuda) of {@code gnn.mlp_ve(h_u) / s(u,v)}: Eq. 4 — this is where virtual edges
 * enter. Sums are not normalised by degree. The shared {@link GruCell} then updates the node; nodes
 * without senders get a zero message, as in ppuda.
 *
 * <p>Computation (same result as ppuda's node-by-node loop, up to float rounding): nodes are
 * updated a level of {@link Wavefronts} at a time. As soon as a level is updated its nodes'
 * messages are computed once per node (not per edge) and pushed to all their receivers at once:
 * {@code M += S·F}, with {@code S} the receivers × senders matrix of edge weights (1 for real
 * edges, 1/s for the virtual-edge MLP) and {@code F} the messages; a later level just reads its
 * rows of {@code M}. Both message MLPs run as one MLP with stacked first-layer and block-diagonal
 * second-layer weights. The GRU's hidden-state gates are computed for all nodes before each
 * traversal, since a node's previous state does not change within a traversal until its own update.
 */
public final class GatedGnn implements Hypernet {

  private final GhnWeights weights;
  private final boolean virtualEdges;

  /**
   * Reads ppuda's {@code gnn.mlp.*}, {@code gnn.mlp_ve.*} (with virtual edges) and {@code
   * gnn.gru.*} from {@code weights}; without {@code virtualEdges} edges of distance > 1 must not be
   * passed.
   */
  public GatedGnn(GhnWeights weights, boolean virtualEdges) {
    this.weights = weights;
    this.virtualEdges = virtualEdges;
  }

  @Override
  public NDArray propagate(GnnInput input, NDManager manager) {
    return forward(weights, virtualEdges, input.size(), input.edges(), input.features(), manager);
  }

  /**
   * Propagates {@code x} ({@code [n, hid]}) over the batch's graphs; returns the new node states.
   */
  static NDArray forward(
      GhnWeights w, boolean virtualEdges, MetaBatch batch, NDArray x, NDManager m) {
    return forward(w, virtualEdges, batch.size(), batch.edges(), x, m);
  }

  private static NDArray forward(
      GhnWeights w,
      boolean virtualEdges,
      int n,
      ghn4j.graph.EdgeList edges,
      NDArray x,
      NDManager m) {
    MessageMlp mlp = MessageMlp.of(w, virtualEdges, m);
    NDArray h = x;
    for (boolean forward : new boolean[] {true, false}) {
      h = traverse(w, mlp, Wavefronts.of(n, edges, forward), h, m);
    }
    return h;
  }

  private static NDArray traverse(
      GhnWeights w, MessageMlp mlp, Wavefronts schedule, NDArray h, NDManager m) {
    int n = (int) h.getShape().get(0);
    long hid = h.getShape().get(1);
    NDArray state =
        NDArrays.concat(new NDList(h, GruCell.hiddenGates(w, h)), 1); // [n, hid + 3·hid]
    NDArray messages = m.zeros(new Shape(n, hid));
    List<NDArray> updated = new ArrayList<>();
    for (Wavefronts.Level level : schedule.levels()) {
      NDArray idx = TorchOwned.create(m, toLong(level.nodes()));
      NDList prev = state.get(new NDIndex("{}", idx)).split(new long[] {hid}, 1);
      NDArray message = messages.get(new NDIndex("{}", idx));
      NDArray hNew = GruCell.forward(w, message, prev.get(0), prev.get(1));
      updated.add(hNew);
      if (level.sendTo().length > 0) {
        NDArray f = mlp.apply(hNew).reshape(-1, hid); // row j·t + c: message c of sender j
        messages =
            messages.add(
                TorchOwned.create(m, mlp.pushMatrix(level, n), new Shape(n, f.getShape().get(0)))
                    .matMul(f));
      }
    }
    NDArray byLevel = NDArrays.concat(new NDList(updated), 0);
    int[] order = schedule.order();
    long[] inverse = new long[n];
    for (int i = 0; i < n; i++) {
      inverse[order[i]] = i;
    }
    return byLevel.get(new NDIndex("{}", TorchOwned.create(m, inverse)));
  }

  /**
   * The message MLPs {@code gnn.mlp} and (with virtual edges) {@code gnn.mlp_ve} fused into one.
   */
  private record MessageMlp(NDArray w0, NDArray b0, NDArray w2, NDArray b2, int channels) {

    static MessageMlp of(GhnWeights w, boolean ve, NDManager m) {
      if (!ve) {
        return new MessageMlp(
            w.get("gnn.mlp.fc.0.weight"),
            w.get("gnn.mlp.fc.0.bias"),
            w.get("gnn.mlp.fc.2.weight"),
            w.get("gnn.mlp.fc.2.bias"),
            1);
      }
      NDArray a2 = w.get("gnn.mlp.fc.2.weight");
      NDArray v2 = w.get("gnn.mlp_ve.fc.2.weight");
      NDArray za = m.zeros(a2.getShape());
      NDArray zv = m.zeros(v2.getShape());
      // [[W2, 0], [0, W2_ve]]: the second layers side by side without mixing
      NDArray top = NDArrays.concat(new NDList(a2, zv), 1);
      NDArray bottom = NDArrays.concat(new NDList(za, v2), 1);
      return new MessageMlp(
          own(
              NDArrays.concat(
                  new NDList(w.get("gnn.mlp.fc.0.weight"), w.get("gnn.mlp_ve.fc.0.weight")), 0),
              m),
          own(
              NDArrays.concat(
                  new NDList(w.get("gnn.mlp.fc.0.bias"), w.get("gnn.mlp_ve.fc.0.bias")), 0),
              m),
          own(NDArrays.concat(new NDList(own(top, m), bottom), 0), m),
          own(
              NDArrays.concat(
                  new NDList(w.get("gnn.mlp.fc.2.bias"), w.get("gnn.mlp_ve.fc.2.bias")), 0),
              m),
          2);
    }

    /**
     * {@code [k, channels·hid]}: per sender, its 1-hop message then (with virtual edges) its Eq. 4
     * message.
     */
    NDArray apply(NDArray h) {
      NDArray a = Activation.relu(Linear.linear(h, w0, b0).head());
      return Activation.relu(Linear.linear(a, w2, b2).head());
    }

    /** Row-major {@code [n, k·channels]} weights from each (sender, message) to each receiver. */
    float[] pushMatrix(Wavefronts.Level level, int n) {
      int cols = level.nodes().length * channels;
      float[] s = new float[n * cols];
      int[] from = level.sendFrom();
      int[] to = level.sendTo();
      int[] dist = level.sendDist();
      for (int e = 0; e < from.length; e++) {
        int row = to[e] * cols + from[e] * channels;
        if (dist[e] == 1) {
          s[row] += 1f;
        }
        if (channels == 2) {
          s[row + 1] += 1f / dist[e];
        }
      }
      return s;
    }
  }

  private static NDArray own(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  static long[] toLong(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
