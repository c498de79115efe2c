package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * NDArrays made from Java numbers that own their native memory.
 *
 * <p>Why: in DJL 0.36's PyTorch engine {@code manager.create(double[])} wraps a Java direct buffer
 * ({@code torch::from_blob}) that stays valid only while that NDArray is reachable, and {@code
 * toType(sameType, copy=true)} does NOT copy (the JNI call ignores {@code copy}; PyTorch's {@code
 * to} returns the same storage). So the idiom {@code try (d = create(v)) { return d.toType(t,
 * true); }} returns, for {@code t == FLOAT64}, an array over a buffer that the garbage collector
 * frees and later allocations overwrite: values change silently between calls (this made {@code
 * GraphExecutorTest}'s float64 finite differences fail at random). {@link #fromDoubles} copies into
 * native storage instead ({@code duplicate()} is {@code torch.clone}).
 */
public final class Tensors {

  private Tensors() {}

  /**
   * {@code v} as an array of {@code shape} and {@code dtype} in {@code manager}, backed by its own
   * native storage.
   */
  public static NDArray fromDoubles(NDManager manager, double[] v, Shape shape, DataType dtype) {
    try (NDArray d = manager.create(v, shape)) {
      // a conversion allocates new storage; the same type needs an explicit clone (toType would
      // alias d's buffer)
      return dtype == DataType.FLOAT64 ? d.duplicate() : d.toType(dtype, false);
    }
  }
}
