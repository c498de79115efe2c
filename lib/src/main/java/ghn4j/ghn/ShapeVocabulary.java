package ghn4j.ghn;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The shape vocabularies of the GHN's shape encoder (ppuda's {@code ShapeEncoder}): channel sizes
 * 1, 3, the number of classes, multiples of 8 below 64, of 16 below 4096 and of 32 up to 8192;
 * kernel sizes 1, 3, …, 11 plus 14 and 16. A size outside the vocabulary maps to the nearest known
 * size (the smaller one on a tie), 4–7 channels map to 8 and a 2×2 kernel maps to 3×3; sizes beyond
 * the largest entry (or zero) map to the largest entry. The index one past the vocabulary is the
 * "no shape" row used for parameter-free nodes.
 */
final class ShapeVocabulary {

  private final int[] channels;
  private final int[] spatial;

  private ShapeVocabulary(int[] channels, int[] spatial) {
    this.channels = channels;
    this.spatial = spatial;
  }

  static ShapeVocabulary of(GhnConfig config) {
    return of(config.numClasses(), config.maxShape(3));
  }

  /**
   * The vocabularies for a GHN predicting {@code numClasses}-way classifiers with kernels up to
   * {@code maxKernel}.
   */
  static ShapeVocabulary of(int numClasses, int maxKernel) {
    TreeSet<Integer> ch = new TreeSet<>();
    ch.add(1);
    ch.add(3);
    ch.add(numClasses);
    for (int c = 8; c < 64; c += 8) {
      ch.add(c);
    }
    for (int c = 64; c < 4096; c += 16) {
      ch.add(c);
    }
    for (int c = 4096; c <= 8192; c += 32) {
      ch.add(c);
    }
    TreeSet<Integer> sp = new TreeSet<>();
    for (int k = 1; k < Math.max(12, maxKernel); k += 2) {
      sp.add(k);
    }
    sp.add(14);
    sp.add(16);
    return new ShapeVocabulary(
        ch.stream().mapToInt(Integer::intValue).toArray(),
        sp.stream().mapToInt(Integer::intValue).toArray());
  }

  int channelCount() {
    return channels.length;
  }

  int spatialCount() {
    return spatial.length;
  }

  /** Row of the channel embedding for a channel size. */
  int channelIndex(int c) {
    if (c >= 4 && c < 8) {
      return Arrays.binarySearch(channels, 8);
    }
    return nearest(channels, c);
  }

  /** Row of the spatial embedding for a kernel (or pooling) size. */
  int spatialIndex(int k) {
    if (k == 2) {
      return Arrays.binarySearch(spatial, 3);
    }
    return nearest(spatial, k);
  }

  private static int nearest(int[] vocab, int v) {
    int exact = Arrays.binarySearch(vocab, v);
    if (exact >= 0) {
      return exact;
    }
    if (v < 1 || v >= vocab[vocab.length - 1]) {
      return vocab.length - 1;
    }
    int best = 0;
    for (int i = 1; i < vocab.length; i++) {
      if (Math.abs(vocab[i] - v) < Math.abs(vocab[best] - v)) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The four embedding rows {@code [out, in, h, w]} for a node's shape (ppuda's {@code
   * tensor_shape_to_4d}: a 1-D shape {@code (c)} reads as {@code (c,1,1,1)}, 2-D as {@code
   * (o,i,1,1)}, a ViT-style {@code (1, tokens, dim)} as {@code (1, dim, ⌊√tokens⌋, ⌊√tokens⌋)},
   * other 3-D as {@code (a,b,c,1)}); {@code null} gives the "no shape" rows.
   */
  int[] encode(int[] shape) {
    if (shape == null) {
      return new int[] {channels.length, channels.length, spatial.length, spatial.length};
    }
    int[] s = to4d(shape);
    return new int[] {
      channelIndex(s[0]), channelIndex(s[1]), spatialIndex(s[2]), spatialIndex(s[3])
    };
  }

  static int[] to4d(int[] sz) {
    return switch (sz.length) {
      case 1 -> new int[] {sz[0], 1, 1, 1};
      case 2 -> new int[] {sz[0], sz[1], 1, 1};
      case 3 -> {
        if (sz[0] == 1 && Math.min(sz[1], sz[2]) > 1) {
          int s = (int) Math.floor(Math.sqrt(sz[1]));
          yield new int[] {1, sz[2], s, s};
        }
        yield new int[] {sz[0], sz[1], sz[2], 1};
      }
      case 4 -> sz.clone();
      default ->
          throw new IllegalArgumentException(
              "the shape encoder takes 1- to 4-D shapes, got " + Arrays.toString(sz));
    };
  }
}
