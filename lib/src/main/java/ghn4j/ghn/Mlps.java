package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * ppuda's two-layer {@code MLP} blocks, addressed by their {@code state_dict} prefix ({@code fc.0},
 * {@code fc.2}).
 */
final class Mlps {

  private Mlps() {}

  /**
   * {@code relu(fc2(relu(fc0(x))))}: the message MLPs and the MLP hypernet (ReLU after both
   * layers).
   */
  static NDArray reluBoth(GhnWeights w, String prefix, NDArray x) {
    NDArray h = Activation.relu(linear(w, prefix + ".fc.0", x));
    return Activation.relu(linear(w, prefix + ".fc.2", h));
  }

  /** {@code fc2(relu(fc0(x)))}: {@code decoder_1d} (no activation after the last layer). */
  static NDArray reluLinear(GhnWeights w, String prefix, NDArray x) {
    NDArray h = Activation.relu(linear(w, prefix + ".fc.0", x));
    return linear(w, prefix + ".fc.2", h);
  }

  static NDArray linear(GhnWeights w, String prefix, NDArray x) {
    return Linear.linear(x, w.get(prefix + ".weight"), w.get(prefix + ".bias")).head();
  }
}
