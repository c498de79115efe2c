package ghn4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One prepared batch as plain Java arrays (made on a loader thread, where no NDArray should be created), turned into
 * NDArrays by the consumer in its own (per-step) manager.
 *
 * @param epoch the epoch it belongs to
 * @param step its position within the epoch
 * @param globalStep {@code epoch * stepsPerEpoch + step}
 * @param images float32 NCHW, normalised
 * @param labels class indices
 * @param shape {@code [n, c, h, w]}
 */
public record Batch(int epoch, int step, long globalStep, float[] images, long[] labels, long[] shape) {

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** The images as float32 {@code [n, c, h, w]} in {@code manager}. */
  public NDArray images(NDManager manager) {
    return manager.create(images, new Shape(shape));
  }

  /** The labels as int64 {@code [n]} in {@code manager}. */
  public NDArray labels(NDManager manager) {
    return manager.create(labels, new Shape(labels.length));
  }
}
