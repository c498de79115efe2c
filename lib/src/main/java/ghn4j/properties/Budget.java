package ghn4j.properties;

import ghn4j.train.SgdConfig;
import java.util.Locale;

/**
 * How much training a ground-truth net gets: the paper trains every net on all of CIFAR-10 for 50
 * epochs at its published width; a CPU cannot, so we build nets narrow, train them briefly on an
 * n-shot subset and evaluate on a fixed test subset. Everything else is ppuda's {@code
 * train_net.py} recipe ({@link SgdConfig#defaults()}: SGD lr 0.025, momentum 0.9, wd 3e-4, batch
 * 96, cosine, clip 5, crop + flip). Properties measured under different budgets are not comparable,
 * so each record carries {@link #tag()}.
 *
 * @param width C of every net (the nets' own C is replaced; the published nets are 2.5–35 M
 *     parameters wide)
 * @param epochs SGD epochs over the training subset
 * @param trainPerClass training images per class (stratified, drawn with {@code seed})
 * @param testPerClass test images per class (a fixed stratified subset of the 10,000)
 * @param noiseStd std of the Gaussian noise added to [0, 1] pixels (ppuda's CIFAR-10 value 0.08),
 *     then clipped
 * @param batchSize images per SGD step (ppuda: 96; smaller here so that a short run takes more
 *     steps)
 * @param convergeFraction convergence = first epoch whose training accuracy reaches this fraction
 *     of the final one
 * @param seed initialisation, data order, augmentation and the training subset
 */
public record Budget(
    int width,
    int epochs,
    int trainPerClass,
    int testPerClass,
    int batchSize,
    double noiseStd,
    double convergeFraction,
    long seed) {

  public Budget {
    if (width <= 0 || epochs <= 0 || trainPerClass <= 0 || testPerClass <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException(
          "width, epochs, images per class and batch size must be > 0");
    }
    if (!(convergeFraction > 0 && convergeFraction <= 1)) {
      throw new IllegalArgumentException(
          "convergeFraction must be in (0, 1], got " + convergeFraction);
    }
  }

  /**
   * The budget the notebook and the commands default to: C = 8, 3 epochs over 250 training images
   * in batches of 32, 200 test images — about 30-40 single-core seconds per net here (see
   * docs/differences.md).
   */
  public static Budget cpuDefault() {
    return new Budget(8, 3, 25, 20, 32, 0.08, 0.9, 0);
  }

  /** The SGD recipe: ppuda's defaults with this budget's epochs, batch size and seed. */
  public SgdConfig sgd() {
    SgdConfig d = SgdConfig.defaults();
    return new SgdConfig(
        d.optimizer(),
        d.lr(),
        d.momentum(),
        d.weightDecay(),
        d.schedule(),
        epochs,
        batchSize,
        d.gradClip(),
        d.augment(),
        seed,
        d.evalBatchSize(),
        d.prefetch());
  }

  /** A short identifier of the budget, stored with every record and used in cache file names. */
  public String tag() {
    return String.format(
        Locale.ROOT,
        "c%d-e%d-tr%d-te%d-b%d-n%s-f%s-s%d",
        width,
        epochs,
        trainPerClass,
        testPerClass,
        batchSize,
        noiseStd,
        convergeFraction,
        seed);
  }
}
