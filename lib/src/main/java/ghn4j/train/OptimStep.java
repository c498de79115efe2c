package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ghn4j.optim.ParamArrays;
import ghn4j.optim.ParamOptimizer;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The end of every optimisation step, shared by meta-training ({@link MetaStep}) and SGD ({@link
 * SgdTrainer}): a memory scope for the step's arrays, the finite-loss check, global gradient-norm
 * clipping (PyTorch's {@code clip_grad_norm_}, the norm taken before clipping), the optimiser's
 * update, and zeroed gradients afterwards. A step with a non-finite loss or gradient norm makes no
 * update and says why (ppuda skips the first; ghn4j also the second, which PyTorch would apply and
 * which would destroy the weights).
 *
 * <p>Use: {@code try (OptimStep.Scope s = step.open()) { ...forward, backward in s.manager()...;
 * return s.update(loss, gradients, lr); }}.
 */
final class OptimStep {

  /**
   * What an update did.
   *
   * @param loss the step's loss as given
   * @param gradNorm the global gradient norm before clipping (NaN when the loss was not finite)
   * @param failure why no update was made ({@code null} when it was)
   */
  record Outcome(double loss, double gradNorm, String failure) {

    /** Whether the parameters were updated. */
    boolean applied() {
      return failure == null;
    }
  }

  /** The gradient-norm limit that means no clipping (the norm is still measured). */
  static final double NO_CLIP = Double.NaN;

  private final Map<String, NDArray> params;
  private final ParamOptimizer optimizer;
  private final NDManager manager;
  private final double gradClip;

  /**
   * @param params the live parameters the optimiser updates in place
   * @param optimizer the optimiser over {@code params}
   * @param manager whose sub-manager holds each step's arrays
   * @param gradClip the global gradient-norm limit, always applied as PyTorch's {@code
   *     clip_grad_norm_} (ppuda's trainer calls it at every step), or {@link #NO_CLIP}
   */
  OptimStep(
      Map<String, NDArray> params, ParamOptimizer optimizer, NDManager manager, double gradClip) {
    this.params = Objects.requireNonNull(params, "params");
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.manager = Objects.requireNonNull(manager, "manager");
    this.gradClip = gradClip;
  }

  /**
   * Opens one step's memory scope: a sub-manager and an {@link NDScope}, closed with the scope,
   * which also zeroes the parameters' gradients.
   */
  Scope open() {
    return new Scope();
  }

  /** One step's arrays; see {@link OptimStep}. */
  final class Scope implements AutoCloseable {
    private final NDManager sub = manager.newSubManager();
    private final NDScope scope = new NDScope();

    /** Where the step's arrays live. */
    NDManager manager() {
      return sub;
    }

    /**
     * The update for a step whose loss is {@code loss}: nothing when it is not finite; else {@code
     * gradients} (by parameter name; read only then) are clipped in place, and when their norm is
     * finite the optimiser steps at learning rate {@code lr}.
     */
    Outcome update(double loss, Supplier<Map<String, NDArray>> gradients, double lr) {
      if (!Double.isFinite(loss)) {
        return new Outcome(loss, Double.NaN, "loss " + loss);
      }
      Map<String, NDArray> grads = gradients.get();
      double norm =
          Double.isNaN(gradClip)
              ? ParamArrays.globalNorm(grads.values())
              : ParamArrays.clipGlobalNorm(grads.values(), gradClip);
      if (!Double.isFinite(norm)) {
        return new Outcome(loss, norm, "gradient norm " + norm);
      }
      optimizer.step(params, grads, lr);
      return new Outcome(loss, norm, null);
    }

    @Override
    public void close() {
      try {
        scope.close();
        sub.close();
      } finally {
        for (NDArray p : params.values()) {
          ParamArrays.zeroGrad(p);
        }
      }
    }
  }
}
