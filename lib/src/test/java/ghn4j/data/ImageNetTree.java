package ghn4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny ImageNet-style ImageFolder for tests: 3 classes named like ImageNet's synsets, 4 training
 * and 2 validation images per class of different sizes (JPEG as ImageNet's {@code .JPEG}, and PNG),
 * one of them grey.
 */
public final class ImageNetTree {

  /** The class folders, in sorted order. */
  public static final List<String> CLASSES = List.of("n01440764", "n01443537", "n01484850");

  // (width, height) of the training images k = 0..3 and validation images k = 0..1
  private static final int[][] TRAIN_SIZES = {{300, 200}, {180, 260}, {97, 131}, {256, 256}};
  private static final int[][] VAL_SIZES = {{146, 73}, {120, 200}};

  private ImageNetTree() {}

  /** Writes the tree under {@code root}: train/&lt;class&gt;/*, val/&lt;class&gt;/*. */
  public static void write(Path root) throws IOException {
    for (int c = 0; c < CLASSES.size(); c++) {
      for (int k = 0; k < TRAIN_SIZES.length; k++) {
        int w = TRAIN_SIZES[k][0];
        int h = TRAIN_SIZES[k][1];
        BufferedImage img =
            c == 1 && k == 2
                ? grey(h, w, 10 * c + k)
                : TestData.toImage(pattern(h, w, 10 * c + k), h, w);
        boolean png = k == 3;
        String name = String.format("img_%d.%s", k, png ? "png" : "JPEG");
        write(
            root.resolve("train").resolve(CLASSES.get(c)).resolve(name),
            TestData.encode(img, png ? "png" : "jpeg"));
      }
      for (int k = 0; k < VAL_SIZES.length; k++) {
        int w = VAL_SIZES[k][0];
        int h = VAL_SIZES[k][1];
        // the first validation image is a lossless PNG, so tests can check which pixels the centre
        // crop keeps
        boolean png = k == 0;
        write(
            root.resolve("val")
                .resolve(CLASSES.get(c))
                .resolve(String.format("val_%d.%s", k, png ? "png" : "JPEG")),
            TestData.encode(
                TestData.toImage(pattern(h, w, 100 + 10 * c + k), h, w), png ? "png" : "jpeg"));
      }
    }
  }

  /**
   * The CHW pixels of a pattern image: smooth enough for JPEG, different for every {@code seed}.
   */
  public static byte[] pattern(int h, int w, int seed) {
    byte[] out = new byte[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[(c * h + y) * w + x] =
              (byte) ((x * 3 + y * 5 + c * 101 + seed * 29 + ((x / 8 + y / 8) % 2) * 60) % 256);
        }
      }
    }
    return out;
  }

  /** The PNG validation image of class {@code c} (146 wide, 73 high) as CHW pixels. */
  public static byte[] valPng(int c) {
    return pattern(VAL_SIZES[0][1], VAL_SIZES[0][0], 100 + 10 * c);
  }

  /** The path of the grey training image (class 1, image 2), relative to the root. */
  public static String greyImage() {
    return "train/" + CLASSES.get(1) + "/img_2.JPEG";
  }

  private static BufferedImage grey(int h, int w, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 2 + y + seed * 7) % 256);
      }
    }
    return img;
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }
}
