package ghn4j.onnx;

/**
 * How an exported model computes BatchNorm. ONNX's {@code BatchNormalization} in inference form
 * normalises with stored running statistics; ppuda evaluates predicted parameters with the
 * statistics of the batch instead, which no standard inference op does, so that form is written out
 * as primitive ops.
 */
public enum BnForm {
  /**
   * Inference {@code BatchNormalization} with running mean and variance as initializers named
   * {@code <module>.running_mean} / {@code <module>.running_var} (from a {@link ghn4j.nn.BnState}:
   * recalibrated, or PyTorch's initial 0/1). What a deployed model should use: its outputs do not
   * depend on the batch. Every BatchNorm layer uses the given statistics, including those that keep
   * none in PyTorch (ppuda's {@code 'bn'}, all DeepNets-1M nets), which there normalise with the
   * batch: the exported model is the network of {@link ghn4j.nn.BnState#trackingAll}.
   */
  RUNNING_STATS,
  /**
   * Every BatchNorm normalises with the statistics of the current batch ({@code ReduceMean}, {@code
   * Sub}, {@code Mul}, {@code Sqrt}, biased variance: PyTorch's training-mode normalisation without
   * the buffer update), as ppuda evaluates predicted parameters. Outputs depend on the whole batch.
   */
  BATCH_STATS
}
