package ghn4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One prepared batch as plain Java arrays (made on a loader thread, where no NDArray should be
 * created), turned into NDArrays by the consumer in its own (per-step) manager.
 *
 * @param epoch the epoch it belongs to
 * @param step its position within the epoch
 * @param globalStep {@code epoch * stepsPerEpoch + step}
 * @param images float32 NCHW, normalised
 * @param labels class indices
 * @param shape {@code [n, c, h, w]}
 */
public record Batch(
    int epoch, int step, long globalStep, float[] images, long[] labels, long[] shape) {

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /**
   * The images as float32 {@code [n, c, h, w]} in {@code manager}, in memory owned by PyTorch.
   *
   * <p>Why the copy: DJL's {@code manager.create(float[])} wraps a direct ByteBuffer with {@code
   * torch.from_blob}; the buffer lives only as long as the Java NDArray object is reachable.
   * Autograd saves the input for the backward pass (conv weight gradients need it), and once the
   * JIT considers the local variable dead the GC may free the buffer before {@code backward} runs:
   * gradients then read freed memory (wrong values, sometimes NaN).
   */
  public NDArray images(NDManager manager) {
    return owned(manager.create(images, new Shape(shape)));
  }

  /**
   * The labels as int64 {@code [n]} in {@code manager}, in memory owned by PyTorch (see {@link
   * #images}).
   */
  public NDArray labels(NDManager manager) {
    return owned(manager.create(labels, new Shape(labels.length)));
  }

  private static NDArray owned(NDArray wrapped) {
    NDArray copy = wrapped.duplicate();
    wrapped.close();
    return copy;
  }
}
