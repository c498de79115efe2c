package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd on the calling thread: records operations (PyTorch's grad mode is per thread) and
 * back-propagates a scalar into the leaves' accumulated gradients.
 *
 * <p>Why not DJL's {@code GradientCollector}: in DJL 0.36 it is one per process (a static flag; a
 * second one, on any thread, throws "A PtGradientCollector is already collecting"), so parallel
 * workers ({@link MetaStep} with workers) cannot each hold one. This class does what it does for
 * one thread: grad mode on, {@code backward} with a seed of ones, grad mode restored on close.
 */
final class Backprop implements AutoCloseable {

  private final boolean previous;

  Backprop() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
  }

  /**
   * Back-propagates the scalar {@code loss}: adds ∂loss/∂leaf to every leaf that requires a
   * gradient.
   */
  void backward(NDArray loss) {
    try (NDArray seed = loss.onesLike()) {
      JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
