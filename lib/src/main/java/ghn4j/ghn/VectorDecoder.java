package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * Decoder of 1-D tensors (ppuda's {@code decoder_1d}): Linear → ReLU → Linear to {@code 2·max_ch},
 * read as two vectors per node, slot 0 for a weight (BN/LN scale) and slot 1 for a bias. For the
 * classifier bias the pair goes on through {@code bias_class} (ReLU, Linear {@code max_ch →
 * classes}).
 */
final class VectorDecoder {

  private VectorDecoder() {}

  /** {@code [n, 2, max_ch]}, or {@code [n, 2, classes]} when {@code classBias}. */
  static NDArray forward(GhnWeights w, NDArray x, boolean classBias) {
    long n = x.getShape().get(0);
    NDArray v = Mlps.reluLinear(w, "decoder_1d", x).reshape(n, 2, -1);
    if (classBias) {
      v =
          Linear.linear(
                  Activation.relu(v), w.get("bias_class.1.weight"), w.get("bias_class.1.bias"))
              .head();
    }
    return v;
  }

  /**
   * {@code [n, 2·max_ch, 1, 1]}: the same MLP as a 4-D tensor, how ppuda decodes 3-D keys (e.g.
   * layer scales).
   */
  static NDArray forward3d(GhnWeights w, NDArray x) {
    long n = x.getShape().get(0);
    return Mlps.reluLinear(w, "decoder_1d", x).reshape(n, -1, 1, 1);
  }
}
