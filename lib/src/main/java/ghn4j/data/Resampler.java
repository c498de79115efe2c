package ghn4j.data;

/**
 * Bilinear resizing of uint8 CHW images computed as Pillow's {@code Image.resize(size, BILINEAR)},
 * which is what torchvision's {@code Resize}, {@code CenterCrop} and {@code RandomResizedCrop} run
 * on the PIL images of ppuda's ImageNet loader: a triangle filter widened by the scale factor when
 * shrinking (so shrinking averages, i.e. antialiases), weights in 22-bit fixed point, a horizontal
 * pass rounded to uint8, then a vertical pass. Same input pixels give the same output bytes as
 * Pillow (checked against torchvision in {@code ResamplerTest}).
 */
final class Resampler {

  /**
   * A rectangle of an image in pixels: rows {@code [top, top + height)}, columns {@code [left, left
   * + width)}.
   */
  record Box(int top, int left, int height, int width) {
    Box {
      if (top < 0 || left < 0 || height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "bad box: top " + top + ", left " + left + ", " + height + "x" + width);
      }
    }

    /** Whether the box lies inside an image of {@code h} rows and {@code w} columns. */
    boolean within(int h, int w) {
      return top + height <= h && left + width <= w;
    }
  }

  // Pillow's PRECISION_BITS for 8-bit images: 32 - 8 - 2.
  private static final int BITS = 22;

  private Resampler() {}

  /**
   * Crops {@code region} out of {@code src} (CHW, {@code channels × height × width}), resizes the
   * crop to {@code outH × outW} and returns the part {@code window} of the result (CHW, {@code
   * channels × window.height × window.width}). Only the window's pixels are computed; they equal
   * the same pixels of the full resize (each output pixel depends only on its own filter), so
   * resize-then-crop costs only the crop.
   */
  static byte[] resize(
      byte[] src, int channels, int height, int width, Box region, int outH, int outW, Box window) {
    if (!region.within(height, width)) {
      throw new IllegalArgumentException(
          "region " + region + " outside the " + height + "x" + width + " image");
    }
    if (!window.within(outH, outW)) {
      throw new IllegalArgumentException(
          "window " + window + " outside the " + outH + "x" + outW + " output");
    }
    Axis cols = Axis.of(region.width(), outW);
    Axis rows = Axis.of(region.height(), outH);
    // Source rows (relative to the region) the window's output rows read.
    int r0 = rows.start[window.top()];
    int last = window.top() + window.height() - 1;
    int r1 = rows.start[last] + rows.count[last];
    int tw = window.width();
    int th = r1 - r0;
    byte[] tmp = new byte[channels * th * tw];
    for (int c = 0; c < channels; c++) {
      int plane = c * height * width;
      for (int r = 0; r < th; r++) {
        int srcRow = plane + (region.top() + r0 + r) * width + region.left();
        int dstRow = (c * th + r) * tw;
        for (int x = 0; x < tw; x++) {
          int ox = window.left() + x;
          int s = cols.start[ox];
          int n = cols.count[ox];
          int k = ox * cols.ksize;
          int acc = 1 << (BITS - 1);
          for (int j = 0; j < n; j++) {
            acc += (src[srcRow + s + j] & 0xFF) * cols.weights[k + j];
          }
          tmp[dstRow + x] = clip8(acc);
        }
      }
    }
    int wh = window.height();
    byte[] out = new byte[channels * wh * tw];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < wh; y++) {
        int oy = window.top() + y;
        int s = rows.start[oy] - r0;
        int n = rows.count[oy];
        int k = oy * rows.ksize;
        int dstRow = (c * wh + y) * tw;
        for (int x = 0; x < tw; x++) {
          int acc = 1 << (BITS - 1);
          for (int j = 0; j < n; j++) {
            acc += (tmp[(c * th + s + j) * tw + x] & 0xFF) * rows.weights[k + j];
          }
          out[dstRow + x] = clip8(acc);
        }
      }
    }
    return out;
  }

  /** The whole of {@code src} resized to {@code outH × outW}. */
  static byte[] resize(byte[] src, int channels, int height, int width, int outH, int outW) {
    return resize(
        src,
        channels,
        height,
        width,
        new Box(0, 0, height, width),
        outH,
        outW,
        new Box(0, 0, outH, outW));
  }

  private static byte clip8(int acc) {
    if (acc >= 1 << BITS << 8) {
      return (byte) 255;
    }
    if (acc <= 0) {
      return 0;
    }
    return (byte) (acc >> BITS);
  }

  /**
   * The filter of one axis, as Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc}:
   * output pixel i reads {@code count[i]} inputs from {@code start[i]} with fixed-point weights
   * {@code weights[i * ksize + j]}.
   */
  private record Axis(int[] start, int[] count, int[] weights, int ksize) {

    static Axis of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale; // the bilinear (triangle) filter has support 1
      int ksize = (int) Math.ceil(support) * 2 + 1;
      int[] start = new int[outSize];
      int[] count = new int[outSize];
      int[] weights = new int[outSize * ksize];
      double ss =
          1.0 / filterScale; // Pillow multiplies by the reciprocal; kept for identical rounding
      double[] k = new double[ksize];
      for (int i = 0; i < outSize; i++) {
        double center = (i + 0.5) * scale;
        // (int) truncates toward zero as C's cast does
        int xmin = Math.max(0, (int) (center - support + 0.5));
        int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
        double sum = 0;
        for (int x = 0; x < xmax; x++) {
          double d = Math.abs((x + xmin - center + 0.5) * ss);
          k[x] = d < 1.0 ? 1.0 - d : 0.0;
          sum += k[x];
        }
        for (int x = 0; x < xmax; x++) {
          double v = sum != 0.0 ? k[x] / sum : k[x];
          weights[i * ksize + x] = (int) (v < 0 ? -0.5 + v * (1 << BITS) : 0.5 + v * (1 << BITS));
        }
        start[i] = xmin;
        count[i] = xmax;
      }
      return new Axis(start, count, weights, ksize);
    }
  }
}
