package ghn4j.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * A picture of convolution filters, as the first-layer filters of trained CNNs are usually shown:
 * the first {@code rows × cols} filters of a weight {@code [out, in, kh, kw]} in a grid, each
 * filter enlarged {@code scale} times, as RGB when it has three input channels (else its first
 * input channel in grey), each filter stretched on its own to the full range [min, max] → [0, 255].
 * Filters are separated by a 1-pixel white border.
 */
public final class FilterGrid {

  private FilterGrid() {}

  /**
   * The grid of {@code weight}'s filters (fewer cells stay white when it has fewer than rows × cols
   * filters).
   */
  public static BufferedImage of(NDArray weight, int rows, int cols, int scale) {
    long[] s = weight.getShape().getShape();
    if (s.length != 4) {
      throw new IllegalArgumentException(
          "expected a convolution weight [out, in, kh, kw], got shape " + weight.getShape());
    }
    float[] v = weight.toType(DataType.FLOAT32, false).toFloatArray();
    return of(v, (int) s[0], (int) s[1], (int) s[2], (int) s[3], rows, cols, scale);
  }

  /** The same from a row-major float array of shape {@code [out, in, kh, kw]}. */
  public static BufferedImage of(
      float[] w, int out, int in, int kh, int kw, int rows, int cols, int scale) {
    if (rows < 1 || cols < 1 || scale < 1) {
      throw new IllegalArgumentException(
          "rows, cols and scale must be positive, got " + rows + ", " + cols + ", " + scale);
    }
    if ((long) out * in * kh * kw != w.length) {
      throw new IllegalArgumentException(
          "array of "
              + w.length
              + " values does not have shape ["
              + out
              + ", "
              + in
              + ", "
              + kh
              + ", "
              + kw
              + "]");
    }
    int cellW = kw * scale + 1;
    int cellH = kh * scale + 1;
    BufferedImage img =
        new BufferedImage(cols * cellW + 1, rows * cellH + 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.dispose();
    boolean rgb = in == 3;
    int per = in * kh * kw;
    int plane = kh * kw;
    for (int f = 0; f < Math.min(out, rows * cols); f++) {
      int base = f * per;
      int shown = rgb ? 3 * plane : plane;
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < shown; k++) {
        min = Math.min(min, w[base + k]);
        max = Math.max(max, w[base + k]);
      }
      float range = max > min ? max - min : 1f;
      int x0 = (f % cols) * cellW + 1;
      int y0 = (f / cols) * cellH + 1;
      for (int i = 0; i < kh; i++) {
        for (int j = 0; j < kw; j++) {
          int p = i * kw + j;
          int r = level(w[base + p], min, range);
          int gr = rgb ? level(w[base + plane + p], min, range) : r;
          int b = rgb ? level(w[base + 2 * plane + p], min, range) : r;
          int colour = (r << 16) | (gr << 8) | b;
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              img.setRGB(x0 + j * scale + dx, y0 + i * scale + dy, colour);
            }
          }
        }
      }
    }
    return img;
  }

  private static int level(float x, float min, float range) {
    return Math.max(0, Math.min(255, Math.round((x - min) / range * 255f)));
  }
}
