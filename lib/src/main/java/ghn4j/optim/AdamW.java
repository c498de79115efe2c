package ghn4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * AdamW with PyTorch's {@code torch.optim.AdamW} semantics: decoupled decay {@code θ ← θ·(1 -
 * lr·wd)}, then the bias-corrected moment update of {@link AdamMoments} with PyTorch's β = (0.9,
 * 0.999) and ε = 1e-8.
 */
public final class AdamW implements ParamOptimizer {

  private final double weightDecay;
  private final AdamMoments moments;

  /** AdamW with PyTorch's β and ε and decoupled weight decay {@code weightDecay}. */
  public AdamW(Map<String, NDArray> params, NDManager stateManager, double weightDecay) {
    this.weightDecay = weightDecay;
    this.moments = new AdamMoments("AdamW", params, stateManager, 0.9, 0.999, 1e-8);
  }

  @Override
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
    moments.step(params, grads, lr, AdamMoments.Decay.DECOUPLED, weightDecay);
  }

  @Override
  public Map<String, NDArray> checkpointState() {
    return moments.state("");
  }

  @Override
  public long steps() {
    return moments.steps();
  }

  @Override
  public void load(Map<String, NDArray> tensors, long steps) {
    moments.load(tensors, "", steps);
  }
}
