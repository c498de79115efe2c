package ghn4j.data;

/**
 * What is done to an image on its way into a batch: ppuda's CIFAR-10 training transform is
 * {@code RandomCrop(32, padding=4)} (zero padding) then {@code RandomHorizontalFlip()} then
 * {@code ToTensor + Normalize}; its test transform is only the normalisation.
 *
 * @param padding zero padding on each side before a random crop back to the original size (0: no crop)
 * @param hflip whether to flip horizontally with probability 1/2
 * @param normalization the per-channel standardisation
 */
public record Augmentation(int padding, boolean hflip, Normalization normalization) {

  public Augmentation {
    if (padding < 0) {
      throw new IllegalArgumentException("padding must be >= 0, got " + padding);
    }
    java.util.Objects.requireNonNull(normalization, "normalization");
  }

  /** ppuda's CIFAR-10 training transform: crop 32 with padding 4, horizontal flip, CIFAR-10 normalisation. */
  public static Augmentation cifarTrain() {
    return new Augmentation(4, true, Normalization.cifar10());
  }

  /** ppuda's CIFAR-10 test transform: normalisation only. */
  public static Augmentation cifarTest() {
    return new Augmentation(0, false, Normalization.cifar10());
  }

  /** Whether any random operation is involved. */
  public boolean random() {
    return padding > 0 || hflip;
  }
}
