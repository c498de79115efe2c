package ghn4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/**
 * In-place operations on live parameter arrays shared by the optimisers and trainers: copying
 * checkpointed values in, global gradient norms and clipping, zeroing gradients, grad mode.
 */
public final class ParamArrays {

  private ParamArrays() {}

  /**
   * Copies {@code src}'s values into {@code dst} in place (shapes must match; the error names
   * {@code what}).
   */
  public static void copyInto(NDArray src, NDArray dst, String what) {
    if (!src.getShape().equals(dst.getShape())) {
      throw new IllegalArgumentException(
          what + ": shape " + src.getShape() + " in the checkpoint, expected " + dst.getShape());
    }
    dst.set(src.toType(dst.getDataType(), false).toByteBuffer());
  }

  /**
   * √Σ‖g‖² over all tensors, in float64 on the Java side (as {@code clip_grad_norm_} with norm type
   * 2).
   */
  public static double globalNorm(Collection<NDArray> grads) {
    double sq = 0;
    try (NDScope ignored = new NDScope()) {
      for (NDArray g : grads) {
        NDArray n = g.norm();
        sq += Math.pow(n.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble(), 2);
      }
    }
    return Math.sqrt(sq);
  }

  /**
   * PyTorch's {@code clip_grad_norm_(params, maxNorm)}: scales all gradients in place by {@code
   * min(1, maxNorm / (norm + 1e-6))}; returns the norm before clipping.
   */
  public static double clipGlobalNorm(Collection<NDArray> grads, double maxNorm) {
    double norm = globalNorm(grads);
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (NDArray g : grads) {
        g.muli((float) coef);
      }
    }
    return norm;
  }

  /** Sets PyTorch's (per-thread) grad mode; returns the previous one. */
  public static boolean setGradMode(boolean on) {
    boolean prev = JniUtils.isGradMode();
    JniUtils.setGradMode(on);
    return prev;
  }

  /**
   * Sets {@code param}'s accumulated gradient to zero (works when it holds NaN, unlike multiplying
   * by 0).
   */
  public static void zeroGrad(NDArray param) {
    if (param.hasGradient()) {
      JniUtils.zeroGrad((PtNDArray) param);
    }
  }
}
