package ghn4j.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** An optimizer over named parameter arrays whose state is plain NDArrays ({@link SgdMomentum}, {@link AdamW}). */
public interface ParamOptimizer {

  /**
   * Updates every parameter in place with learning rate {@code lr}; {@code grads} by the same names (already clipped).
   * Must run outside any {@code GradientCollector}.
   */
  void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr);
}
