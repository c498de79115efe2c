package ghn4j.spark;

import ai.djl.ndarray.NDManager;
import ghn4j.data.Cifar10;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnConfig;
import ghn4j.nn.Devices;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small CIFAR-10 cache (random images) and a GHN-2 checkpoint with random weights, for the Spark
 * tests.
 */
final class SparkTestData {

  static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  static {
    // the core commands' WorkerOptions read PyTorch's thread count before anything has loaded the
    // engine in a fresh
    // JVM (UnsatisfiedLinkError), and these tests run core commands in-process: load it first
    ai.djl.engine.Engine.getInstance();
  }

  private SparkTestData() {}

  /**
   * Prepares {@code <dir>/data/cifar10} with {@code perTest} test images per class; returns the
   * data dir.
   */
  static Path cifar(Path dir, int perTrain, int perTest) throws IOException {
    Path folder = dir.resolve("folder");
    Random rnd = new Random(7);
    for (int c = 0; c < CLASSES.size(); c++) {
      for (int k = 0; k < perTrain + perTest; k++) {
        String split = k < perTrain ? "train" : "test";
        Path p =
            folder.resolve(split).resolve(CLASSES.get(c)).resolve(String.format("%04d.png", k));
        Files.createDirectories(p.getParent());
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            // a class-dependent tint on noise, so that nets do not all score the same
            img.setRGB(
                x,
                y,
                ((rnd.nextInt(128) + 12 * c) << 16) | (rnd.nextInt(256) << 8) | rnd.nextInt(256));
          }
        }
        ImageIO.write(img, "png", p.toFile());
      }
    }
    Path data = dir.resolve("data");
    Cifar10.prepare(folder.toString(), data);
    return data;
  }

  /** A GHN-2 (CIFAR-10) with random weights of {@code seed}. */
  static Path ghn(Path dir, long seed) throws IOException {
    Path ckpt = dir.resolve("ghn.safetensors");
    try (NDManager m = Devices.newManager()) {
      Ghn.create(GhnConfig.ghn2(), m, seed).save(ckpt);
    }
    return ckpt;
  }

  /**
   * The repository's meta-trained GHN-2 (data/checkpoints): its predictions score differently net
   * by net.
   */
  static Path trainedGhn() {
    Path p =
        Path.of(System.getProperty("ghn4j.root", ".."))
            .resolve("data/checkpoints/ghn2-cifar10-cpu2h.safetensors");
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + ": missing (the repository ships it)");
    }
    return p;
  }
}
