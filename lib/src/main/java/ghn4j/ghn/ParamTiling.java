package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;

/**
 * Fits a decoded tensor to the exact shape of the target parameter (ppuda's {@code _tile_params}): first slice (a
 * predicted 4-D tensor gives a 2-D weight its {@code [:, :, 0, 0]}, a 1-D tensor its {@code [:, 0, 0, 0]}, a 4-D
 * weight the top-left {@code h×w} of the kernel), then repeat along the output and input channel axes when the target
 * is larger than the prediction, then cut to the target shape.
 */
final class ParamTiling {

  private ParamTiling() {}

  static NDArray fit(NDArray w, int[] t, String name) {
    long[] s = w.getShape().getShape();
    // 1. reduce to the target's rank, slicing channel/kernel axes to at most the target size
    if (t.length < s.length || t.length == 4) {
      StringBuilder idx = new StringBuilder();
      boolean changes = t.length < s.length;
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
      if (changes) {
        w = w.get(new NDIndex(idx.toString()));
      }
    }
    s = w.getShape().getShape();
    if (s.length != t.length) {
      throw new IllegalStateException(
          name + ": decoded tensor " + Arrays.toString(s) + " cannot be fitted to " + Arrays.toString(t));
    }
    // 2. tile output channels, 3. tile input channels
    for (int axis = 0; axis < Math.min(2, t.length); axis++) {
      if (t[axis] > s[axis]) {
        long[] reps = new long[t.length];
        Arrays.fill(reps, 1);
        reps[axis] = (t[axis] + s[axis] - 1) / s[axis];
        w = w.tile(reps);
        s = w.getShape().getShape();
      }
    }
    // 4. cut to the target shape
    boolean cut = false;
    StringBuilder idx = new StringBuilder();
    for (int i = 0; i < t.length; i++) {
      if (s[i] < t[i]) {
        throw new IllegalStateException(
            name + ": the GHN predicts at most " + Arrays.toString(s) + ", target is " + Arrays.toString(t)
                + " (kernel larger than the decoder's max_shape)");
      }
      cut |= s[i] > t[i];
      idx.append(i > 0 ? "," : "").append(":").append(t[i]);
    }
    return cut ? w.get(new NDIndex(idx.toString())) : w;
  }
}
