package ghn4j.train;

import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.Presets;
import ghn4j.ghn.GhnConfig;
import ghn4j.graph.Graph;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny synthetic images, nets and GHN configs that keep the training tests fast. */
final class TinyData {

  static final List<String> CLASSES = List.of("a", "b", "c", "d");

  private TinyData() {}

  /**
   * {@code n} images 3×size×size whose class is visible in the pixels (class k brightens channel k
   * % 3 in one quadrant), so a net can learn them.
   */
  /**
   * {@code images} as CIFAR-10-shaped training data with ppuda's augmentation (the meta-training
   * configs of the tests keep {@code augment = true}).
   */
  static Dataset cifar(ImageSet images) {
    return Dataset.cifar10(images, null, true);
  }

  static ImageSet images(int n, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int per = 3 * size * size;
    byte[] px = new byte[n * per];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % CLASSES.size();
      labels[i] = c;
      for (int ch = 0; ch < 3; ch++) {
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            int v = r.nextInt(100);
            boolean q =
                (c < 2 ? y < size / 2 : y >= size / 2)
                    && (c % 2 == 0 ? x < size / 2 : x >= size / 2);
            if (q && ch == c % 3) {
              v += 150;
            }
            px[i * per + ch * size * size + y * size + x] = (byte) v;
          }
        }
      }
    }
    return ImageSet.of(px, labels, CLASSES, 3, size, size);
  }

  /** A small DARTS-cell net: C channels, {@code cells} cells, 4 classes. */
  static NetArgs dartsArgs(int c, int cells) {
    return Presets.network(c, CLASSES.size(), Presets.DARTS, cells, false);
  }

  static Graph darts(int c, int cells) {
    return NetworkBuilder.graph(dartsArgs(c, cells));
  }

  /** A small GHN-2-like config for 4 classes. */
  static GhnConfig ghn(boolean ve, boolean ln, boolean weightNorm) {
    return GhnConfig.ghn2()
        .withMaxShape(16, 16, 3, 3)
        .withNumClasses(CLASSES.size())
        .withWeightNorm(weightNorm)
        .withVe(ve)
        .withLayernorm(ln)
        .withHid(8);
  }
}
