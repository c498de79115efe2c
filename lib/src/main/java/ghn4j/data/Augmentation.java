package ghn4j.data;

/**
 * What is done to an image on its way into a batch: ppuda's CIFAR-10 training transform is {@code
 * RandomCrop(32, padding=4)} (zero padding) then {@code RandomHorizontalFlip()} then {@code
 * ToTensor + Normalize}; its test transform is only the normalisation. Its ImageNet training
 * transform is {@code RandomResizedCrop(size)} then the flip (and a colour jitter we leave out,
 * docs/differences.md); the ImageNet test transform's resize and centre crop happen when decoding
 * ({@link ResizeCrop}), so here it is only the normalisation.
 *
 * @param padding zero padding on each side before a random crop back to the original size (0: no
 *     crop)
 * @param hflip whether to flip horizontally with probability 1/2
 * @param normalization the per-channel standardisation
 * @param resizedCrop a random resized crop (the batch then has its output size), or null for none;
 *     not combined with padding
 */
public record Augmentation(
    int padding, boolean hflip, Normalization normalization, RandomResizedCrop resizedCrop) {

  public Augmentation {
    if (padding < 0) {
      throw new IllegalArgumentException("padding must be >= 0, got " + padding);
    }
    if (padding > 0 && resizedCrop != null) {
      throw new IllegalArgumentException("a padded crop and a random resized crop do not combine");
    }
    java.util.Objects.requireNonNull(normalization, "normalization");
  }

  /** Without a random resized crop. */
  public Augmentation(int padding, boolean hflip, Normalization normalization) {
    this(padding, hflip, normalization, null);
  }

  /**
   * ppuda's CIFAR-10 training transform: crop 32 with padding 4, horizontal flip, CIFAR-10
   * normalisation.
   */
  public static Augmentation cifarTrain() {
    return new Augmentation(4, true, Normalization.cifar10());
  }

  /** ppuda's CIFAR-10 test transform: normalisation only. */
  public static Augmentation cifarTest() {
    return new Augmentation(0, false, Normalization.cifar10());
  }

  /**
   * ppuda's ImageNet training transform without colour jitter: random resized crop to {@code size},
   * flip.
   */
  public static Augmentation imagenetTrain(int size) {
    return new Augmentation(0, true, Normalization.imagenet(), RandomResizedCrop.imagenet(size));
  }

  /**
   * The ImageNet test transform once the images are resized and centre-cropped: normalisation only.
   */
  public static Augmentation imagenetTest() {
    return new Augmentation(0, false, Normalization.imagenet());
  }

  /** Whether any random operation is involved. */
  public boolean random() {
    return padding > 0 || hflip || resizedCrop != null;
  }
}
