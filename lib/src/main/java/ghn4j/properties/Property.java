package ghn4j.properties;

/**
 * The four properties of a trained network the paper predicts, with the key ppuda's results file
 * uses for each and whether a higher value is better.
 */
public enum Property {
  /**
   * Clean accuracy (%) on held-out images (ppuda: {@code val_acc} on the 5,000 validation images).
   */
  ACCURACY("val_acc", true),
  /**
   * Accuracy (%) on the same images with Gaussian noise (ppuda: std 0.08 on [0, 1] pixels,
   * clipped).
   */
  NOISE_ACCURACY("val_acc_noise", true),
  /**
   * Inference time (ours: seconds per 1,000 images at batch 64 on one CPU thread; ppuda's file: a
   * GPU time whose unit the code does not state). Lower is better.
   */
  TIME("time", false),
  /**
   * Convergence time (ours: the fraction of the training budget after which the training accuracy
   * first reaches a fixed fraction of its final value; ppuda's file: values 0.16–2.0 whose
   * computation is not in the published code). Lower is better.
   */
  CONVERGENCE("converge_time", false);

  private final String key;
  private final boolean higherIsBetter;

  Property(String key, boolean higherIsBetter) {
    this.key = key;
    this.higherIsBetter = higherIsBetter;
  }

  /** The key in ppuda's {@code results_<dataset>.json} and in our tables. */
  public String key() {
    return key;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /**
   * ppuda rounds the regressor's predictions to integers for every property but convergence
   * ("rounding slightly improves results"). We do the same for the accuracies; our time is on
   * another scale (seconds per 1,000 images on a CPU, often below 2), where rounding would tie most
   * nets, so it is not rounded.
   */
  public boolean roundPredictions() {
    return this == ACCURACY || this == NOISE_ACCURACY;
  }
}
