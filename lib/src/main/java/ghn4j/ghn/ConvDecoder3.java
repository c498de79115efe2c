package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * GHN-3's convolutional decoder (ghn3's {@code ConvDecoder3}): node embedding → {@code decoder.fc}
 * (Linear to {@code 4·hid·S·S}, ReLU) → a {@code [4·hid, S, S]} map, of which the <em>centred</em>
 * {@code h×w} window is kept (rows {@code max(0, S/2 − ⌊h/2⌋) .. S/2 + ⌈h/2⌉}; GHN-2 and ghn3's
 * {@code is_ghn2} mode keep the top-left one) → {@code decoder.conv} (Linear 4·hid → 8·hid, ReLU,
 * Linear → {@code max_out·max_in}, applied per position) → a {@code [max_out, max_in, h, w]} tensor
 * cut to the group's in-channels, bilinearly resized when the kernel exceeds {@code S}. The
 * classifier weight goes on through {@code decoder.class_layer_predictor} (ReLU, Linear {@code
 * max_out → classes}) applied to the centre of the kernel. Unlike GHN-2's decoder the full output
 * channel set is used (no strided selection); only the rows actually kept are computed (the same
 * numbers).
 */
final class ConvDecoder3 {

  private ConvDecoder3() {}

  /**
   * Decodes {@code x} ({@code [n, hid]}) for a group whose key is {@code ms}: returns {@code [n,
   * out', in', h, w]}, or {@code [n, classes, in']} when {@code classPred}.
   */
  static NDArray forward(
      GhnWeights w, Ghn3Config c, NDArray x, int[] ms, boolean classPred, NDManager m) {
    long n = x.getShape().get(0);
    int[] out = c.maxShape();
    int h0 = 4 * c.hid();
    int[] rows = window(out[2], ms[2], c.isGhn2());
    int[] cols = window(out[3], ms[3], c.isGhn2());
    int oh = rows[1] - rows[0];
    int ow = cols[1] - cols[0];
    long[] fcRows = new long[h0 * oh * ow];
    int k = 0;
    for (int ch = 0; ch < h0; ch++) {
      for (int i = rows[0]; i < rows[1]; i++) {
        for (int j = cols[0]; j < cols[1]; j++) {
          fcRows[k++] = ((long) ch * out[2] + i) * out[3] + j;
        }
      }
    }
    NDArray idx = TorchOwned.create(m, fcRows);
    NDArray y =
        Linear.linear(
                x,
                w.get("decoder.fc.0.weight").get(m, new NDIndex("{}", idx)),
                w.get("decoder.fc.0.bias").get(m, new NDIndex("{}", idx)))
            .head();
    y = Activation.relu(y).reshape(n, h0, oh, ow).transpose(0, 2, 3, 1); // [n, oh, ow, h0]
    y =
        Activation.relu(
            Linear.linear(y, w.get("decoder.conv.0.weight"), w.get("decoder.conv.0.bias")).head());
    int nOut = classPred ? out[0] : Math.min(out[0], ms[0]);
    int nIn = Math.min(out[1], ms[1]);
    long[] convRows = new long[nOut * nIn];
    k = 0;
    for (int o = 0; o < nOut; o++) {
      for (int i = 0; i < nIn; i++) {
        convRows[k++] = (long) o * out[1] + i;
      }
    }
    NDArray cidx = TorchOwned.create(m, convRows);
    NDArray z =
        Linear.linear(
                y,
                w.get("decoder.conv.2.weight").get(m, new NDIndex("{}", cidx)),
                w.get("decoder.conv.2.bias").get(m, new NDIndex("{}", cidx)))
            .head(); // [n, oh, ow, nOut·nIn]
    z = z.reshape(n, oh, ow, nOut, nIn).transpose(0, 3, 4, 1, 2); // [n, nOut, nIn, oh, ow]
    int th = Math.min(oh, ms[2]);
    int tw = Math.min(ow, ms[3]);
    if (th < oh || tw < ow) {
      z = z.get(new NDIndex(":, :, :, :{}, :{}", th, tw));
    }
    if (Math.min(ms[2], ms[3]) > Math.min(oh, ow)) {
      // ghn3: F.interpolate(x[0], max_shape[2:], mode='bilinear') (ghn3 allows one net per group
      // here; we resize each)
      z = bilinear(z, ms[2], ms[3], m);
    }
    if (!classPred) {
      return z;
    }
    int kh = (int) (z.getShape().get(4) / 2);
    if (z.getShape().get(3) != z.getShape().get(4)) {
      throw new IllegalStateException(
          "class layer: decoded kernel " + z.getShape() + " is not square");
    }
    NDArray centre =
        Activation.relu(
            z.get(new NDIndex(":, :, :, {}, {}", kh, kh)).transpose(0, 2, 1)); // [n, in, S0]
    NDArray cls =
        Linear.linear(
                centre,
                w.get("decoder.class_layer_predictor.1.weight"),
                w.get("decoder.class_layer_predictor.1.bias"))
            .head(); // [n, in, classes]
    return cls.transpose(0, 2, 1);
  }

  /**
   * The kept window {@code [start, end)} of an axis of length {@code size} for a kernel dimension
   * {@code k}.
   */
  static int[] window(int size, int k, boolean topLeft) {
    if (topLeft) {
      return new int[] {0, Math.min(size, k)};
    }
    int offset = size / 2;
    int start = Math.max(0, offset - k / 2);
    int end = Math.min(size, offset + (k + 1) / 2);
    return new int[] {start, end};
  }

  /**
   * PyTorch's bilinear resize ({@code align_corners=False}) of the last two axes to {@code h×w}.
   */
  static NDArray bilinear(NDArray z, int h, int w, NDManager m) {
    long[] s = z.getShape().getShape();
    int ih = (int) s[s.length - 2];
    int iw = (int) s[s.length - 1];
    NDArray rh = TorchOwned.create(m, weights(ih, h), new Shape(h, ih));
    NDArray rw = TorchOwned.create(m, weights(iw, w), new Shape(w, iw));
    return rh.matMul(z).matMul(rw.transpose());
  }

  private static float[] weights(int in, int out) {
    float[] r = new float[out * in];
    float scale = (float) in / out;
    for (int o = 0; o < out; o++) {
      float src = Math.max((o + 0.5f) * scale - 0.5f, 0f);
      int i0 = Math.min((int) src, in - 1);
      int i1 = Math.min(i0 + 1, in - 1);
      float l1 = src - i0;
      r[o * in + i0] += 1 - l1;
      r[o * in + i1] += l1;
    }
    return r;
  }
}
