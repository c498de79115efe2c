package ghn4j.ghn;

import ghn4j.graph.ParamSpec;
import java.util.Arrays;

/**
 * The group a parameter tensor is decoded in (ppuda's {@code _map_net_params} key): nodes whose
 * tensors share a key go through the decoder together, and the key is the {@code max_shape} the
 * decoder is asked for. Channel sizes are rounded so that similar layers share a group: {@code n =
 * min(size, max)}, a multiple of 3 becomes {@code n/3·4}, and anything at least half of the maximum
 * becomes the maximum.
 *
 * <ul>
 *   <li>1-D tensors: {@code (c, 0)}, or {@code (c, -1)} for the classifier bias (the graph's last
 *       node);
 *   <li>the classifier weight (second-to-last node): {@code (out, in)};
 *   <li>other 2-D: {@code (out, in, 1, 1)}; 3-D: {@code (a, b, c)}; 4-D: {@code (out, in, h, w)}
 *       with the exact kernel size.
 * </ul>
 */
record DecodeKey(int[] dims) {

  static DecodeKey of(ParamSpec first, boolean lastWeight, boolean lastBias, int[] maxShape) {
    int[] sz = first.shape();
    int[] d;
    if (sz.length == 1) {
      d = new int[] {round(sz[0], maxShape[0]), lastBias ? -1 : 0};
    } else if (lastWeight) {
      d = new int[] {round(sz[0], maxShape[0]), round(sz[1], maxShape[1])};
    } else if (sz.length == 2) {
      d = new int[] {round(sz[0], maxShape[0]), round(sz[1], maxShape[1]), 1, 1};
    } else if (sz.length == 3) {
      d =
          new int[] {
            round(sz[0], maxShape[0]), round(sz[1], maxShape[1]), round(sz[2], maxShape[2])
          };
    } else if (sz.length == 4) {
      d = new int[] {round(sz[0], maxShape[0]), round(sz[1], maxShape[1]), sz[2], sz[3]};
    } else {
      throw new IllegalArgumentException(first + ": the GHN predicts 1- to 4-D tensors only");
    }
    return new DecodeKey(d);
  }

  private static int round(int size, int max) {
    int n = Math.min(size, max);
    if (n % 3 == 0) {
      n = n / 3 * 4;
    }
    if (n >= max / 2.0) {
      n = max;
    }
    return n;
  }

  int rank() {
    return dims.length;
  }

  int dim(int i) {
    return dims[i];
  }

  /** The classifier weight or bias (left out when fine-tuning). */
  boolean isClassLayer() {
    return dims.length == 2 && dims[1] != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecodeKey k && Arrays.equals(k.dims, dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
