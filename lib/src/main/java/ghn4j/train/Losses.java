package ghn4j.train;

import ai.djl.ndarray.NDArray;

/** Losses on logits. */
public final class Losses {

  private Losses() {}

  /**
   * Mean cross-entropy {@code -log softmax(logits)[label]} over the rows, as {@code
   * nn.CrossEntropyLoss()}. The label's log-probability is gathered (not multiplied by a one-hot
   * mask, which turns {@code -inf · 0} into NaN).
   *
   * @param logits {@code [n, classes]}
   * @param labels int64 {@code [n, 1]}
   */
  public static NDArray crossEntropy(NDArray logits, NDArray labels) {
    return logits.logSoftmax(1).gather(labels, 1).neg().mean();
  }
}
