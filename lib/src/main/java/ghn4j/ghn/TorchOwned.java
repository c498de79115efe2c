package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates arrays from Java data in memory owned by PyTorch.
 *
 * <p>Why: DJL's {@code manager.create(long[]/float[])} wraps a direct ByteBuffer with {@code
 * torch.from_blob}; the memory is freed when the Java NDArray is closed or garbage-collected. Index
 * arrays and aggregation matrices are saved by autograd for the backward pass (index_select,
 * scatter, matmul), and DJL's indexer may close an index array after use: a garbage collection
 * between forward and backward then made meta-training gradients read freed memory (wrong values or
 * NaN; reproduced deterministically by {@code System.gc()} before {@code backward}). A clone is
 * owned by the tensor itself.
 */
final class TorchOwned {

  private TorchOwned() {}

  static NDArray create(NDManager m, long[] data) {
    return own(m.create(data));
  }

  static NDArray create(NDManager m, long[] data, Shape shape) {
    return own(m.create(data, shape));
  }

  static NDArray create(NDManager m, float[] data, Shape shape) {
    return own(m.create(data, shape));
  }

  private static NDArray own(NDArray wrapped) {
    NDArray copy = wrapped.duplicate();
    wrapped.close();
    return copy;
  }
}
