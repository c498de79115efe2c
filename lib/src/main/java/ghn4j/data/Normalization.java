package ghn4j.data;

/**
 * Per-channel standardisation {@code (x/255 - mean) / std} applied to uint8 pixels, as
 * torchvision's {@code ToTensor + Normalize}. Kept separate from {@link ImageSet} so that training
 * and evaluation use exactly ppuda's constants (ppuda/vision/transforms.py) for each dataset
 * family.
 *
 * @param mean per-channel mean in [0, 1]
 * @param std per-channel standard deviation
 */
public record Normalization(float[] mean, float[] std) {

  public Normalization {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std must have the same, non-zero length");
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** CIFAR-10 statistics exactly as ppuda's {@code transforms_cifar} (32×32 images). */
  public static Normalization cifar10() {
    return new Normalization(
        new float[] {0.49139968f, 0.48215827f, 0.44653124f},
        new float[] {0.24703233f, 0.24348505f, 0.26158768f});
  }

  /** ImageNet statistics (ppuda's {@code transforms_imagenet}). */
  public static Normalization imagenet() {
    return new Normalization(
        new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
  }

  /** No standardisation: pixels scaled to [0, 1] only. */
  public static Normalization none(int channels) {
    float[] m = new float[channels];
    float[] s = new float[channels];
    java.util.Arrays.fill(s, 1f);
    return new Normalization(m, s);
  }

  /**
   * A 256-entry lookup table per channel: {@code lut[c*256 + v]} is the normalised value of pixel
   * {@code v}.
   */
  float[] lut(int channels) {
    float[] lut = new float[channels * 256];
    for (int c = 0; c < channels; c++) {
      float m = mean[Math.min(c, mean.length - 1)];
      float s = std[Math.min(c, std.length - 1)];
      for (int v = 0; v < 256; v++) {
        // same float32 order as torchvision: (v / 255 - mean) / std
        lut[c * 256 + v] = ((float) v / 255f - m) / s;
      }
    }
    return lut;
  }
}
