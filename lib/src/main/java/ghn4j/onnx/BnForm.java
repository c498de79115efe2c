package ghn4j.onnx;

/**
 * How an exported model computes BatchNorm. ONNX's {@code BatchNormalization} in inference form normalises with stored
 * running statistics; ppuda evaluates predicted parameters with the statistics of the batch instead, which no
 * standard inference op does, so that form is written out as primitive ops.
 */
public enum BnForm {
  /**
   * Inference {@code BatchNormalization} with running mean and variance as initializers named
   * {@code <module>.running_mean} / {@code <module>.running_var} (from a {@link ghn4j.nn.BnState}: recalibrated, or
   * PyTorch's initial 0/1). What a deployed model should use. Layers without running statistics (ppuda's
   * {@code 'bn'}) still use batch statistics, as in PyTorch.
   */
  RUNNING_STATS,
  /**
   * Every BatchNorm normalises with the statistics of the current batch ({@code ReduceMean}, {@code Sub}, {@code Mul},
   * {@code Sqrt}, biased variance: PyTorch's training-mode normalisation without the buffer update), as ppuda evaluates
   * predicted parameters. Outputs depend on the whole batch.
   */
  BATCH_STATS
}
