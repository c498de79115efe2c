package ghn4j.nn;

import ai.djl.ndarray.NDArray;

/**
 * Array-by-scalar arithmetic that is safe under autograd.
 *
 * <p>Why: DJL 0.36's {@code PtNDArray.mul(Number)} / {@code div(Number)} create the scalar with
 * {@code torch.from_blob} over a direct ByteBuffer and close it right after the op; autograd saves
 * that scalar for the backward pass, and once the GC frees the buffer, backward reads freed memory:
 * wrong gradients or NaN/Inf (reproduced deterministically by a {@code System.gc()} between forward
 * and backward; this was the "float32 NaN hazard"). Here the scalar is copied into memory owned by
 * PyTorch, in the array's manager.
 */
public final class Scalars {

  private Scalars() {}

  /** {@code x * v}. */
  public static NDArray mul(NDArray x, double v) {
    return x.mul(scalar(x, v));
  }

  /** {@code x / v}. */
  public static NDArray div(NDArray x, double v) {
    return x.div(scalar(x, v));
  }

  private static NDArray scalar(NDArray x, double v) {
    try (NDArray wrapped = x.getManager().create(v)) {
      return wrapped.toType(x.getDataType(), true); // a copy: PyTorch-owned, exact in float64
    }
  }
}
