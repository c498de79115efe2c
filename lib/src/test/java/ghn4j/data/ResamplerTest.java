package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ghn4j.data.Resampler.Box;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Resizing and cropping against torchvision 0.14 / Pillow 9.4 on the same pixels (fixtures written
 * by {@code src/test/resources/ghn4j/data/torchvision_transforms.py}), and the centre crop's
 * position on a known pattern.
 */
class ResamplerTest {

  private static final int H = 23;
  private static final int W = 37;

  /** The fixture script's pattern(h, w) as CHW bytes. */
  static byte[] pattern(int h, int w) {
    byte[] out = new byte[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[(c * h + y) * w + x] = (byte) ((x * 7 + y * 13 + c * 101 + ((x * y) % 17) * 5) % 256);
        }
      }
    }
    return out;
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = ResamplerTest.class.getResourceAsStream("/ghn4j/data/" + name)) {
      if (in == null) {
        throw new IOException("test resource /ghn4j/data/" + name + " missing");
      }
      return in.readAllBytes();
    }
  }

  @Test
  void shrinkThenCentreCropMatchesTorchvision() throws IOException {
    ResizeCrop t = new ResizeCrop(20, 15);
    assertArrayEquals(new int[] {20, 32}, t.resized(H, W)); // 20 * 37 / 23 = 32.17, truncated
    // (20-15)/2 = 2.5 and (32-15)/2 = 8.5: Python's round gives 2 and 8 (half to even), not 3 and 9
    assertEquals(new Box(2, 8, 15, 15), t.cropBox(20, 32));
    assertArrayEquals(fixture("resize20_crop15.chw"), t.apply(pattern(H, W), 3, H, W));
  }

  @Test
  void enlargeThenCentreCropMatchesTorchvision() throws IOException {
    assertArrayEquals(
        fixture("resize41_crop41.chw"), new ResizeCrop(41, 41).apply(pattern(H, W), 3, H, W));
  }

  @Test
  void resizedCropOfABoxMatchesTorchvision() throws IOException {
    RandomResizedCrop small = RandomResizedCrop.imagenet(12);
    RandomResizedCrop large = RandomResizedCrop.imagenet(31);
    Box box = new Box(3, 5, 15, 20);
    assertArrayEquals(fixture("box3_5_15x20_to12.chw"), small.apply(pattern(H, W), 3, H, W, box));
    assertArrayEquals(fixture("box3_5_15x20_to31.chw"), large.apply(pattern(H, W), 3, H, W, box));
  }

  @Test
  void centreCropWithoutResizeTakesTheMiddlePixels() {
    // shorter side already 40: the resize is the identity, the crop is rows 10..29, columns 20..39
    // of 40x60
    int h = 40;
    int w = 60;
    byte[] src = pattern(h, w);
    byte[] out = new ResizeCrop(40, 20).apply(src, 3, h, w);
    assertEquals(3 * 20 * 20, out.length);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 20; y++) {
        for (int x = 0; x < 20; x++) {
          assertEquals(
              src[(c * h + y + 10) * w + x + 20],
              out[(c * 20 + y) * 20 + x],
              "c" + c + " y" + y + " x" + x);
        }
      }
    }
  }

  @Test
  void windowEqualsTheSameRegionOfTheFullResize() {
    byte[] src = pattern(H, W);
    Box region = new Box(2, 4, 19, 30);
    byte[] full = Resampler.resize(src, 3, H, W, region, 17, 26, new Box(0, 0, 17, 26));
    byte[] part = Resampler.resize(src, 3, H, W, region, 17, 26, new Box(5, 7, 9, 11));
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 9; y++) {
        for (int x = 0; x < 11; x++) {
          assertEquals(full[(c * 17 + y + 5) * 26 + x + 7], part[(c * 9 + y) * 11 + x]);
        }
      }
    }
  }

  @Test
  void boxesOutsideTheImageAreRejected() {
    byte[] src = pattern(H, W);
    assertThrows(
        IllegalArgumentException.class,
        () -> Resampler.resize(src, 3, H, W, new Box(10, 0, 14, W), 5, 5, new Box(0, 0, 5, 5)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Resampler.resize(src, 3, H, W, new Box(0, 0, H, W), 5, 5, new Box(1, 1, 5, 5)));
    assertThrows(IllegalArgumentException.class, () -> new ResizeCrop(10, 11));
  }
}
