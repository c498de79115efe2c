package ghn4j.data;

import ghn4j.data.Resampler.Box;

/**
 * A resize-then-centre-crop applied while decoding, torchvision's {@code Resize(resize)} + {@code
 * CenterCrop(crop)}: the image is scaled (aspect ratio kept, Pillow bilinear) so that its shorter
 * side is {@code resize} pixels, then its central {@code crop × crop} square is kept. Every decoded
 * image then has the same size, so a folder of images of any size becomes an {@link ImageSet}.
 * ppuda's ImageNet test transform is {@code ResizeCrop(256, 224)}.
 *
 * @param resize the shorter side after resizing
 * @param crop the side of the square kept ({@code <= resize})
 */
public record ResizeCrop(int resize, int crop) {

  public ResizeCrop {
    if (crop <= 0 || crop > resize) {
      throw new IllegalArgumentException(
          "need 0 < crop <= resize, got resize " + resize + ", crop " + crop);
    }
  }

  /**
   * ppuda's ImageNet test transform for {@code size} 224: resize 256, centre crop 224. Other sizes
   * keep the ratio (resize {@code size * 256 / 224}, e.g. 73 for 64); ppuda never goes below
   * 256/224 (docs/differences.md).
   */
  public static ResizeCrop imagenetTest(int size) {
    return new ResizeCrop(storageSide(size), size);
  }

  /**
   * How training images are stored for a {@link RandomResizedCrop} of {@code size}: the central
   * square of the image resized to shorter side {@code size * 256 / 224} (256 for 224). ppuda crops
   * from the whole original image instead (docs/differences.md).
   */
  public static ResizeCrop imagenetTrainStorage(int size) {
    int s = storageSide(size);
    return new ResizeCrop(s, s);
  }

  private static int storageSide(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("image size must be > 0, got " + size);
    }
    return size * 256 / 224;
  }

  /**
   * The {@code (height, width)} of an {@code h × w} image after the resize (torchvision: the longer
   * side truncated).
   */
  int[] resized(int h, int w) {
    if (h <= w) {
      return new int[] {resize, (int) ((double) resize * w / h)};
    }
    return new int[] {(int) ((double) resize * h / w), resize};
  }

  /**
   * The crop inside a resized {@code h × w} image; offsets round half to even as Python's {@code
   * round}.
   */
  Box cropBox(int h, int w) {
    return new Box(
        (int) Math.rint((h - crop) / 2.0), (int) Math.rint((w - crop) / 2.0), crop, crop);
  }

  /**
   * The transformed CHW pixels ({@code channels × crop × crop}) of a CHW image of {@code h × w}.
   */
  byte[] apply(byte[] chw, int channels, int h, int w) {
    int[] r = resized(h, w);
    return Resampler.resize(
        chw, channels, h, w, new Box(0, 0, h, w), r[0], r[1], cropBox(r[0], r[1]));
  }
}
