package ghn4j.testing;

import ghn4j.data.Cifar10;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A CIFAR-10-shaped cache for command tests that run {@code ./ghn4j} in a child process: the ten
 * CIFAR-10 class folders with a few random 32×32 PNGs each, prepared with {@link Cifar10#prepare}
 * into {@code <dataDir>/cifar10/}.
 */
public final class TinyCifar {

  private static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private TinyCifar() {}

  /**
   * Writes the source folder under {@code work} and prepares the cache in {@code work/data};
   * returns that dir.
   */
  public static Path prepare(Path work, int perTrain, int perTest) throws IOException {
    Path src = work.resolve("cifar-src");
    Random r = new Random(42);
    for (String split : List.of("train", "test")) {
      for (String c : CLASSES) {
        Path dir = Files.createDirectories(src.resolve(split).resolve(c));
        for (int k = 0; k < (split.equals("train") ? perTrain : perTest); k++) {
          BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
              img.setRGB(x, y, r.nextInt(1 << 24));
            }
          }
          ImageIO.write(img, "png", dir.resolve(String.format("%04d.png", k)).toFile());
        }
      }
    }
    Path data = work.resolve("data");
    Cifar10.prepare(src.toString(), data);
    return data;
  }
}
