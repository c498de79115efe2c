package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * GHN-2's normalisation of predicted parameters (Sec. 4.3, ppuda's {@code _normalize}): a weight
 * with ≥ 2 dimensions is scaled by {@code √(β / fan_in)} with {@code fan_in} = elements per output
 * channel; β = 1 for tensors ppuda treats as not followed by a ReLU — 3-D/4-D tensors with one
 * input channel (depthwise convs) or a kernel wider than high — and β = 2 for all others, including
 * every 2-D (linear) weight. A positional encoding ({@code [1, c, ≥11, ·]}) is left as is. A 1-D
 * weight (BN/LN scale) becomes {@code 2·σ(p/2)} ∈ (0, 2) and a bias {@code tanh(p/5)} ∈ (−1, 1).
 */
final class FanInNormalization {

  private FanInNormalization() {}

  /**
   * Normalises {@code p} as a tensor of shape {@code target}; {@code p} may be the not yet tiled
   * prediction, since the normalisation is element-wise and tiling only repeats elements (so tiling
   * after it gives the same values).
   */
  static NDArray apply(NDArray p, int[] target, boolean isWeight) {
    if (target.length > 1) {
      return ghn4j.nn.Scalars.mul(p, (float) scale(target));
    }
    return squash(p, isWeight);
  }

  /**
   * The factor {@code √(β / fan_in)} for a tensor of shape {@code sz} (≥ 2-D); 1 for a positional
   * encoding.
   */
  static double scale(int[] sz) {
    if (sz.length > 2 && sz[2] >= 11 && sz[0] == 1) { // positional encoding
      return 1.0;
    }
    boolean noRelu = sz.length > 2 && (sz[1] == 1 || sz[2] < sz[3]);
    double beta = noRelu ? 1.0 : 2.0;
    long fanIn = 1;
    for (int i = 1; i < sz.length; i++) {
      fanIn *= sz[i];
    }
    return Math.sqrt(beta / fanIn);
  }

  /** 1-D tensors: a weight (BN/LN scale) to {@code 2·σ(p/2)}, a bias to {@code tanh(p/5)}. */
  static NDArray squash(NDArray p, boolean isWeight) {
    if (isWeight) {
      return ghn4j.nn.Scalars.mul(Activation.sigmoid(ghn4j.nn.Scalars.mul(p, 0.5)), 2);
    }
    return ghn4j.nn.Scalars.mul(p, 0.2).tanh();
  }
}
