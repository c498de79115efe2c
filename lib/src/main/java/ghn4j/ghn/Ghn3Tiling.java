package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fits a decoded tensor to a parameter's exact shape as ghn3's {@code _tile_params} does: slice
 * (4-D kernels and the single position a 1-/2-D target takes from a 4-D prediction are taken at the
 * <em>centre</em> of the predicted kernel, top-left in {@code is_ghn2} mode), repeat along output
 * then input channels when the target is larger, cut.
 *
 * <p>A 3-D target {@code [1, tokens, dim]} predicted as a 4-D {@code [1, dim', s, s]} (ViT's
 * positional embedding) is read as {@code s·s} tokens, and — as ghn3 does, since its GHNs were
 * trained on nets without a class token — a first token row drawn at random from N(0, 0.02²) is
 * prepended before tiling along {@code dim}. ghn3 draws it with {@code torch.normal}; here it comes
 * from the {@link SplittableRandom} passed in, so it is reproducible but not torch's values ({@link
 * #randomClassToken}).
 */
public final class Ghn3Tiling {

  /** Standard deviation of the random class-token row. */
  public static final double CLASS_TOKEN_STD = 0.02;

  private Ghn3Tiling() {}

  /**
   * Whether a target of shape {@code t} gets a random class-token row (ghn3's 4-D key for {@code
   * [1, a, b]}).
   */
  public static boolean randomClassToken(int[] t) {
    return t.length == 3 && t[0] == 1 && Math.min(t[1], t[2]) > 1;
  }

  static NDArray fit(
      NDArray w, int[] t, boolean ghn2, SplittableRandom rnd, String name, NDManager m) {
    long[] s = w.getShape().getShape();
    if (t.length == 1) {
      int a = (int) Math.min(t[0], s[0]);
      w =
          switch (s.length) {
            case 1 -> w.get(new NDIndex(":{}", a));
            case 2 -> w.get(new NDIndex(":{}, 0", a));
            default ->
                w.get(new NDIndex(":{}, 0, {}, {}", a, s[s.length - 2] / 2, s[s.length - 1] / 2));
          };
    } else if (t.length == 2) {
      int a = (int) Math.min(t[0], s[0]);
      int b = (int) Math.min(t[1], s[1]);
      w =
          s.length == 2
              ? w.get(new NDIndex(":{}, :{}", a, b))
              : w.get(
                  new NDIndex(":{}, :{}, {}, {}", a, b, s[s.length - 2] / 2, s[s.length - 1] / 2));
    } else if (t.length == 3) {
      if (s.length == 3) {
        w =
            w.get(
                new NDIndex(
                    ":{}, :{}, :{}",
                    Math.min(t[0], s[0]),
                    Math.min(t[1], s[1]),
                    Math.min(t[2], s[2])));
      } else {
        // positional encoding: [1, dim', s, s] -> [1, s·s, dim'], cut, then a random class-token
        // row in front
        w = w.reshape(s[0], s[1], -1).transpose(0, 2, 1);
        long[] r = w.getShape().getShape();
        w =
            w.get(
                new NDIndex(
                    ":{}, :{}, :{}",
                    Math.min(t[0], r[0]),
                    Math.min(t[1], r[1]),
                    Math.min(t[2], r[2])));
        int width = (int) w.getShape().get(2);
        float[] token = new float[width];
        for (int i = 0; i < width; i++) {
          token[i] = (float) (gaussian(rnd) * CLASS_TOKEN_STD);
        }
        w = NDArrays.concat(new NDList(TorchOwned.create(m, token, new Shape(1, 1, width)), w), 1);
      }
    } else {
      if (s.length > 2) {
        int s2 = (int) Math.min(t[2], s[2]);
        int s3 = (int) Math.min(t[3], s[3]);
        int a = (int) Math.min(t[0], s[0]);
        int b = (int) Math.min(t[1], s[1]);
        if (ghn2) {
          w = w.get(new NDIndex(":{}, :{}, :{}, :{}", a, b, s2, s3));
        } else {
          long o2 = s[2] / 2;
          long o3 = s[3] / 2;
          w =
              w.get(
                  new NDIndex(
                      ":{}, :{}, {}:{}, {}:{}",
                      a,
                      b,
                      o2 - s2 / 2,
                      o2 + (s2 + 1) / 2,
                      o3 - s3 / 2,
                      o3 + (s3 + 1) / 2));
        }
      } else {
        w =
            w.get(new NDIndex(":{}, :{}", Math.min(t[0], s[0]), Math.min(t[1], s[1])))
                .expandDims(2)
                .expandDims(3);
      }
    }
    s = w.getShape().getShape();
    if (s.length != t.length) {
      throw new IllegalStateException(
          name
              + ": decoded tensor "
              + Arrays.toString(s)
              + " cannot be fitted to "
              + Arrays.toString(t));
    }
    // tile out-channels, then in-channels (a 3-D target with as many tokens: its last axis)
    if (t[0] > s[0]) {
      long[] reps = ones(s.length);
      reps[0] = (t[0] + s[0] - 1) / s[0];
      w = w.tile(reps);
    }
    s = w.getShape().getShape();
    if (t.length > 1) {
      if (t[1] > s[1]) {
        if (t.length == 3) {
          throw new IllegalStateException(
              name
                  + ": the GHN predicts "
                  + s[1]
                  + " rows along axis 1, target "
                  + Arrays.toString(t)
                  + " needs "
                  + t[1]
                  + " (ghn3 cannot tile this either)");
        }
        long[] reps = ones(s.length);
        reps[1] = (t[1] + s[1] - 1) / s[1];
        w = w.tile(reps);
      } else if (t.length == 3 && t[2] > s[2]) {
        w = w.tile(new long[] {1, 1, (t[2] + s[2] - 1) / s[2]});
      }
    }
    s = w.getShape().getShape();
    // cut (4-D: the centred t2×t3 window; the slice above already made the kernel at most t2×t3)
    return ParamTiling.cut(w, s, t, name, "output");
  }

  private static long[] ones(int n) {
    long[] r = new long[n];
    Arrays.fill(r, 1);
    return r;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
