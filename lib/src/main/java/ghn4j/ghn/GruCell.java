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

  static NDArray forward(GhnWeights w, NDArray message, NDArray h) {
    NDList gi = Linear.linear(message, w.get("gnn.gru.weight_ih"), w.get("gnn.gru.bias_ih")).head().split(3, 1);
    NDList gh = Linear.linear(h, w.get("gnn.gru.weight_hh"), w.get("gnn.gru.bias_hh")).head().split(3, 1);
    NDArray r = Activation.sigmoid(gh.get(0).add(gi.get(0)));
    NDArray z = Activation.sigmoid(gh.get(1).add(gi.get(1)));
    NDArray n = gi.get(2).add(gh.get(2).mul(r)).tanh();
    return h.sub(n).mul(z).add(n);
  }
}
