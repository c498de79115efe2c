package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * The GRU cell shared by all nodes (PyTorch's {@code GRUCell}, gates ordered reset, update, new):
 * {@code r = σ(W_ir m + b_ir + W_hr h + b_hr)}, {@code z = σ(W_iz m + b_iz + W_hz h + b_hz)},
 * {@code n = tanh(W_in m + b_in + r ⊙ (W_hn h + b_hn))}, {@code h' = (h − n) ⊙ z + n}.
 */
final class GruCell {

  private GruCell() {}

  /**
   * The hidden-state half {@code W_hh h + b_hh} ({@code [n, 3·hid]}), computed ahead for many nodes
   * at once.
   */
  static NDArray hiddenGates(GhnWeights w, NDArray h) {
    return Linear.linear(h, w.get("gnn.gru.weight_hh"), w.get("gnn.gru.bias_hh")).head();
  }

  /** {@code h'} from the message, the previous state and its {@link #hiddenGates}. */
  static NDArray forward(GhnWeights w, NDArray message, NDArray h, NDArray hiddenGates) {
    long hid = h.getShape().get(1);
    NDArray gi =
        Linear.linear(message, w.get("gnn.gru.weight_ih"), w.get("gnn.gru.bias_ih")).head();
    NDList i = gi.split(new long[] {2 * hid}, 1);
    NDList g = hiddenGates.split(new long[] {2 * hid}, 1);
    NDList rz = Activation.sigmoid(g.get(0).add(i.get(0))).split(2, 1);
    NDArray n = i.get(1).add(g.get(1).mul(rz.get(0))).tanh();
    return h.sub(n).mul(rz.get(1)).add(n);
  }
}
