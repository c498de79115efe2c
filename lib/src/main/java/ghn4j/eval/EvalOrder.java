package ghn4j.eval;

import ghn4j.data.ImageSet;

/**
 * The order in which test (and calibration) images are fed to a network: a fixed shuffle, so that
 * every batch mixes the classes.
 *
 * <p>Why it matters: with BatchNorm in batch-statistics mode (ppuda's protocol for predicted
 * parameters, {@link Evaluator}) and in BatchNorm calibration ({@link BnCalibration}) the
 * statistics of a batch enter every image's output. ppuda evaluates the official CIFAR-10 test set
 * in its stored order, which is random with respect to the class. ghn4j's image sets are often
 * sorted by class — an ImageFolder copy (such as the shared {@code cifar10-jpg.tar.gz}) lists class
 * after class, and {@link ImageSet#stratified} keeps that order — so "in order" would feed batches
 * of one or two classes, and normalising such a batch removes most of what tells its class apart:
 * ghn4j's released GHN-2 scored 12.2 % on 2,000 class-sorted test images and 17.4 % on 500, where
 * each batch of 64 still held two classes. A fixed shuffle restores ppuda's situation (batches that
 * are a random draw of the classes) whatever order the images are stored in; on the official test
 * set it is as random as ppuda's order, though not the same batches (docs/differences.md). With
 * running statistics the order does not change any output.
 */
public final class EvalOrder {

  /** The seed of the shuffle; fixed, so that an evaluation is repeatable. */
  public static final long SEED = 0x6768_6e34_6aL; // "ghn4j"

  private EvalOrder() {}

  /** {@code images} in evaluation order: a view sharing their pixels, shuffled by {@link #SEED}. */
  public static ImageSet of(ImageSet images) {
    return images.shuffled(SEED);
  }
}
