package ghn4j.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * An optimizer over named parameter arrays whose state is plain NDArrays ({@link Adam} for
 * meta-training, {@link SgdMomentum} and {@link AdamW} for SGD training), so that a checkpoint
 * holds it bit-exactly.
 */
public interface ParamOptimizer {

  /**
   * Updates every parameter in place with learning rate {@code lr}; {@code grads} by the same names
   * (already clipped). Must run outside any {@code GradientCollector}.
   */
  void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr);

  /** The state as named tensors for a checkpoint (live arrays, do not close). */
  Map<String, NDArray> checkpointState();

  /** Updates taken so far (Adam's bias-correction count; SGD keeps none and returns 0). */
  long steps();

  /**
   * Restores {@link #checkpointState()} and {@link #steps()}; the error names a missing or
   * misshapen tensor.
   */
  void load(Map<String, NDArray> tensors, long steps);
}
