package ghn4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * Adam with PyTorch's {@code torch.optim.Adam} semantics (not AdamW): weight decay is L2 added to
 * the gradient, {@code g ← g + wd·θ}, then the bias-corrected moment update of {@link AdamMoments}.
 *
 * <p>Why our own: its state (m, v per tensor and the step count t) is plain NDArrays we can write
 * to and read from a checkpoint bit-exactly, so a resumed meta-training run continues with the same
 * losses.
 */
public final class Adam implements ParamOptimizer {

  private final double weightDecay;
  private final AdamMoments moments;

  /**
   * Adam for {@code params} (only their names and shapes are read), state zero-initialised in
   * {@code stateManager}.
   */
  public Adam(
      Map<String, NDArray> params,
      NDManager stateManager,
      double beta1,
      double beta2,
      double eps,
      double weightDecay) {
    this.weightDecay = weightDecay;
    this.moments = new AdamMoments("Adam", params, stateManager, beta1, beta2, eps);
  }

  /** PyTorch's defaults (β = (0.9, 0.999), ε = 1e-8) with weight decay {@code wd}. */
  public static Adam pytorch(Map<String, NDArray> params, NDManager stateManager, double wd) {
    return new Adam(params, stateManager, 0.9, 0.999, 1e-8, wd);
  }

  /** Steps taken so far (PyTorch's {@code state['step']}). */
  @Override
  public long steps() {
    return moments.steps();
  }

  /**
   * One update of every parameter in place with learning rate {@code lr}; {@code grads} by the same
   * names (already clipped). Must run outside any {@code GradientCollector}.
   */
  @Override
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
    moments.step(params, grads, lr, AdamMoments.Decay.L2, weightDecay);
  }

  /**
   * The state as named tensors ({@code adam.m.<name>}, {@code adam.v.<name>}; live arrays, do not
   * close).
   */
  @Override
  public Map<String, NDArray> checkpointState() {
    return moments.state("adam.");
  }

  /**
   * Restores the state written by {@link #checkpointState()} plus the step count; the error names a
   * missing tensor.
   */
  @Override
  public void load(Map<String, NDArray> tensors, long steps) {
    moments.load(tensors, "adam.", steps);
  }
}
