package ghn4j.data;

import java.util.List;
import java.util.Objects;

/**
 * The data a training or evaluation run consumes: training and test images with the transforms that
 * belong to them. CIFAR-10 ({@link #cifar10}) brings ppuda's CIFAR-10 transforms and 32×32 network
 * stems; an ImageNet-style folder ({@link ImageNetFolder}) brings the ImageNet transforms and asks
 * networks for their ImageNet stems.
 *
 * @param name for logs and run configs
 * @param train training images, or null when not loaded
 * @param test test images (already resized/cropped to the network's input size), or null when not
 *     loaded
 * @param trainAugmentation the training transform with its normalisation
 * @param normalization the per-channel standardisation of the test images
 * @param largeInput whether networks take ImageNet-sized inputs (torchvision's 7×7 stride-2 stem
 *     and max-pool, DeepNets-1M's ImageNet stem) rather than ppuda's 32×32 adaptations
 */
public record Dataset(
    String name,
    ImageSet train,
    ImageSet test,
    Augmentation trainAugmentation,
    Normalization normalization,
    boolean largeInput) {

  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(trainAugmentation, "trainAugmentation");
    Objects.requireNonNull(normalization, "normalization");
    if (train == null && test == null) {
      throw new IllegalArgumentException(name + ": neither training nor test images");
    }
    if (train != null && test != null && !train.classes().equals(test.classes())) {
      throw new IllegalArgumentException(
          name
              + ": training classes "
              + train.classes()
              + " differ from test classes "
              + test.classes());
    }
  }

  /**
   * CIFAR-10 with ppuda's transforms: crop with padding 4 + flip when {@code augment}, CIFAR-10
   * statistics.
   */
  public static Dataset cifar10(ImageSet train, ImageSet test, boolean augment) {
    return new Dataset(
        "CIFAR-10",
        train,
        test,
        augment ? Augmentation.cifarTrain() : Augmentation.cifarTest(),
        Normalization.cifar10(),
        false);
  }

  /** The class names (label i is classes().get(i)). */
  public List<String> classes() {
    return (train != null ? train : test).classes();
  }

  /** The number of classes: the size of a network's classifier for this data. */
  public int numClasses() {
    return classes().size();
  }
}
