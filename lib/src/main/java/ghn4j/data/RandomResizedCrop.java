package ghn4j.data;

import ghn4j.data.Resampler.Box;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop}, the crop of ppuda's ImageNet training transform: a box
 * covering a random fraction {@code [minScale, maxScale]} of the image's area with a random aspect
 * ratio (log-uniform in {@code [minRatio, maxRatio]}), resized to {@code size × size}. The draw
 * follows torchvision's {@code get_params} (10 tries, then a centre crop) with a Java generator
 * instead of torch's.
 *
 * @param size output side in pixels
 * @param minScale smallest area fraction (0.08)
 * @param maxScale largest area fraction (1)
 * @param minRatio smallest width/height ratio (3/4)
 * @param maxRatio largest width/height ratio (4/3)
 */
public record RandomResizedCrop(
    int size, double minScale, double maxScale, double minRatio, double maxRatio) {

  public RandomResizedCrop {
    if (size <= 0
        || !(0 < minScale && minScale <= maxScale && maxScale <= 1)
        || !(0 < minRatio && minRatio <= maxRatio)) {
      throw new IllegalArgumentException(
          "bad RandomResizedCrop(size "
              + size
              + ", scale ["
              + minScale
              + ", "
              + maxScale
              + "], ratio ["
              + minRatio
              + ", "
              + maxRatio
              + "])");
    }
  }

  /** torchvision's defaults: scale (0.08, 1), ratio (3/4, 4/3). */
  public static RandomResizedCrop imagenet(int size) {
    return new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
  }

  /** The box to crop from an {@code h × w} image. */
  Box draw(int h, int w, SplittableRandom rng) {
    double area = (double) h * w;
    double logMin = Math.log(minRatio);
    double logMax = Math.log(maxRatio);
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * uniform(rng, minScale, maxScale);
      double aspect = Math.exp(uniform(rng, logMin, logMax));
      // Python's int(round(x)): half to even
      int cw = (int) Math.rint(Math.sqrt(target * aspect));
      int ch = (int) Math.rint(Math.sqrt(target / aspect));
      if (0 < cw && cw <= w && 0 < ch && ch <= h) {
        int top = rng.nextInt(h - ch + 1);
        int left = rng.nextInt(w - cw + 1);
        return new Box(top, left, ch, cw);
      }
    }
    // fallback: the largest centred box within the ratio range
    double inRatio = (double) w / h;
    int cw = w;
    int ch = h;
    if (inRatio < minRatio) {
      ch = (int) Math.rint(w / minRatio);
    } else if (inRatio > maxRatio) {
      cw = (int) Math.rint(h * maxRatio);
    }
    return new Box((h - ch) / 2, (w - cw) / 2, ch, cw);
  }

  /**
   * The crop of {@code box} from a CHW image of {@code h × w}, resized to {@code size × size}
   * (CHW).
   */
  byte[] apply(byte[] chw, int channels, int h, int w, Box box) {
    return Resampler.resize(chw, channels, h, w, box, size, size, new Box(0, 0, size, size));
  }

  private static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
