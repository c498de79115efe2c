package ghn4j.testing;

import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.Presets;
import ghn4j.deepnets.SampledNet;
import ghn4j.ghn.GhnConfig;
import ghn4j.graph.Graph;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.TrainNets;
import ghn4j.zoo.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/** Tiny synthetic images, nets and GHN configs that keep the training tests fast. */
public final class TinyData {

  public static final List<String> CLASSES = List.of("a", "b", "c", "d");

  private TinyData() {}

  /**
   * {@code n} images 3×size×size whose class is visible in the pixels (class k brightens channel k
   * % 3 in one quadrant), so a net can learn them.
   */
  /**
   * {@code images} as CIFAR-10-shaped training data with ppuda's augmentation (the meta-training
   * configs of the tests keep {@code augment = true}).
   */
  public static Dataset cifar(ImageSet images) {
    return Dataset.cifar10(images, null, true);
  }

  public static ImageSet images(int n, int size, long seed) {
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
  public static NetArgs dartsArgs(int c, int cells) {
    return Presets.network(c, CLASSES.size(), Presets.DARTS, cells, false);
  }

  public static Graph darts(int c, int cells) {
    return NetworkBuilder.graph(dartsArgs(c, cells));
  }

  /** A small GHN-2-like config for 4 classes. */
  public static GhnConfig ghn(boolean ve, boolean ln, boolean weightNorm) {
    return GhnConfig.ghn2()
        .withMaxShape(16, 16, 3, 3)
        .withNumClasses(CLASSES.size())
        .withWeightNorm(weightNorm)
        .withVe(ve)
        .withLayernorm(ln)
        .withHid(8);
  }

  /**
   * {@code n} different tiny nets: DARTS nets of several widths and cell counts, every third one a
   * small conv net with classifier dropout (the DeepNets-1M builder makes no dropout nodes).
   */
  public static List<Graph> metaBatch(int n) {
    List<Graph> g = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      g.add(
          i % 3 == 1 ? convNetWithDropout(8 + 4 * i) : TinyData.darts(8 + 4 * (i % 3), 1 + i % 2));
    }
    return g;
  }

  /** conv 3→c, BN, ReLU, global pool, dropout 0.5, linear c→c, ReLU, dropout 0.5, linear c→4. */
  public static Graph convNetWithDropout(int c) {
    GraphBuilder b = new GraphBuilder();
    int x = b.conv("conv", 3, c, 3, 1, 1, 1, b.input());
    x = b.activation("relu", b.batchNorm("bn", c, x));
    x = b.flatten(b.globalAvgPool("pool", x));
    x = b.linear("fc1", c, c, b.dropout(0.5, x));
    x = b.linear("fc2", c, TinyData.CLASSES.size(), b.dropout(0.5, b.activation("relu", x)));
    return b.build();
  }

  public static TrainNets tinyNets() {
    List<SampledNet> nets = new ArrayList<>();
    nets.add(net(0, 1));
    nets.add(net(1, 2));
    return TrainNets.of(nets);
  }

  private static SampledNet net(int i, int cells) {
    var a = TinyData.dartsArgs(8, cells);
    return new SampledNet(i, a, NetworkBuilder.countParams(a), 0, OptionalInt.empty());
  }

  public static MetaTrainConfig tinyConfig(long steps, int checkpointEvery) {
    // widths C in {8}, fc_dim in {16}: tiny nets; 8 images 8x8 per step, meta-batch 2
    return MetaTrainConfig.defaults(TinyData.ghn(true, true, true))
        .withMetaBatch(2)
        .withBatchSize(8)
        .withBudget(0, steps, 0)
        .withSeed(7)
        .withNumNets(2)
        .withNets("test")
        .withTrainImages(0)
        .withWidths(8, 8, 16, 16)
        .withCheckpointEvery(checkpointEvery)
        .withPrefetch(2);
  }
}
