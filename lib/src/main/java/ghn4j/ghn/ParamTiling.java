package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;

/**
 * Fits a decoded tensor to the exact shape of the target parameter (ppuda's {@code _tile_params}):
 * first slice (a predicted 4-D tensor gives a 2-D weight its {@code [:, :, 0, 0]}, a 1-D tensor its
 * {@code [:, 0, 0, 0]}, a 4-D weight the top-left {@code h×w} of the kernel), then repeat along the
 * output and input channel axes when the target is larger than the prediction, then cut to the
 * target shape.
 */
final class ParamTiling {

  private ParamTiling() {}

  /** All three steps. */
  static NDArray fit(NDArray w, int[] t, String name) {
    return tileAndCut(slice(w, "", 0, t, name), t, name);
  }

  /**
   * Step 1: the decoded tensor reduced to the target's rank and sliced to at most the target size.
   * The first {@code lead} axes of {@code w} are indexed by {@code leadIndex} (e.g. {@code "3,"} or
   * {@code "3,1,"}: the node's row in its group, and the slot of a 1-D pair), all in one indexing
   * op.
   */
  static NDArray slice(NDArray w, String leadIndex, int lead, int[] t, String name) {
    long[] full = w.getShape().getShape();
    long[] s = Arrays.copyOfRange(full, lead, full.length);
    StringBuilder idx = new StringBuilder(leadIndex);
    boolean changes = lead > 0;
    if (t.length < s.length || t.length == 4) {
      changes |= t.length < s.length;
      for (int i = 0; i < s.length; i++) {
        if (i > 0) {
          idx.append(',');
        }
        if (i < t.length) {
          long keep = Math.min(t[i], s[i]);
          changes |= keep < s[i];
          idx.append(":").append(keep);
        } else {
          idx.append('0');
        }
      }
    } else if (lead > 0) {
      idx.setLength(idx.length() - 1); // only the lead axes are indexed
    }
    if (changes) {
      w = w.get(new NDIndex(idx.toString()));
    }
    if (w.getShape().dimension() != t.length) {
      throw new IllegalStateException(
          name + ": decoded tensor " + w.getShape() + " cannot be fitted to " + Arrays.toString(t));
    }
    return w;
  }

  /** Steps 2–3: repeat along output then input channels, cut to {@code t}. */
  static NDArray tileAndCut(NDArray w, int[] t, String name) {
    long[] s = w.getShape().getShape();
    if (s.length != t.length) {
      throw new IllegalStateException(
          name
              + ": decoded tensor "
              + Arrays.toString(s)
              + " cannot be fitted to "
              + Arrays.toString(t));
    }
    // 2. tile output channels, 3. tile input channels: w viewed as [1, out, 1, rest] and expanded
    // to
    // [r_out, out, r_in, rest] has the element order of torch's repeat((r_out, r_in, 1, 1)) and
    // copies in long runs
    long r0 = t[0] > s[0] ? (t[0] + s[0] - 1) / s[0] : 1;
    long r1 = t.length > 1 && t[1] > s[1] ? (t[1] + s[1] - 1) / s[1] : 1;
    if (r0 > 1 || r1 > 1) {
      long rest = 1;
      for (int i = 1; i < s.length; i++) {
        rest *= s[i];
      }
      long[] tiled = s.clone();
      tiled[0] *= r0;
      if (s.length > 1) {
        tiled[1] *= r1;
      }
      long inner = s.length > 1 ? rest / s[1] : 1;
      long row = s.length > 1 ? s[1] * inner : 1;
      w =
          w.reshape(1, s[0], 1, row)
              .broadcast(r0, s[0], r1, row)
              .reshape(new ai.djl.ndarray.types.Shape(tiled));
      s = tiled;
    }
    // 4. cut to the target shape
    return cut(w, s, t, name, "max_shape");
  }

  /**
   * {@code w} (shape {@code s}) cut to its first {@code t[i]} entries per axis; throws naming the
   * parameter when an axis is shorter than the target (the GHN's {@code limit} is too small).
   */
  static NDArray cut(NDArray w, long[] s, int[] t, String name, String limit) {
    boolean cut = false;
    StringBuilder idx = new StringBuilder();
    for (int i = 0; i < t.length; i++) {
      if (s[i] < t[i]) {
        throw new IllegalStateException(
            name
                + ": the GHN predicts at most "
                + Arrays.toString(s)
                + ", target is "
                + Arrays.toString(t)
                + " (kernel larger than the decoder's "
                + limit
                + ")");
      }
      cut |= s[i] > t[i];
      idx.append(i > 0 ? "," : "").append(":").append(t[i]);
    }
    return cut ? w.get(new NDIndex(idx.toString())) : w;
  }
}
