package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * The convolutional decoder (ppuda's {@code ConvDecoder}): node embedding → {@code decoder.fc}
 * (Linear to {@code 4·hid·h·w}, ReLU) → a {@code [4·hid, h, w]} map → 1×1 conv to {@code 8·hid}
 * (ReLU) → 1×1 conv to {@code max_out·max_in} channels, read as a {@code [max_out, max_in, h, w]}
 * tensor. For a smaller target group it computes only what is needed, as ppuda does: the fc rows of
 * the top-left {@code h×w} positions, and the last conv's output channels of the first {@code out}
 * filters and an evenly strided subset of input channels. The classifier weight goes on through
 * {@code decoder.class_layer_predictor} (ReLU, 1×1 conv mapping the {@code max_out} axis to the
 * number of classes). The 1×1 convolutions are computed as linear layers over channels-last maps.
 */
final class ConvDecoder {

  private ConvDecoder() {}

  /**
   * Decodes {@code x} ({@code [n, hid]}) for a group whose key is {@code ms} ({@code [out, in, h,
   * w]}): returns {@code [n, out', in', h', w']}, or {@code [n, classes, in']} when {@code
   * classPred}.
   */
  static NDArray forward(
      GhnWeights w, GhnConfig c, NDArray x, int[] ms, boolean classPred, NDManager m) {
    long n = x.getShape().get(0);
    int[] out = c.maxShape();
    int h0 = 4 * c.hid();
    int h1 = 8 * c.hid();
    int oh = Math.min(out[2], ms[2]);
    int ow = Math.min(out[3], ms[3]);
    NDArray fcW = w.get("decoder.fc.0.weight");
    NDArray fcB = w.get("decoder.fc.0.bias");
    NDArray y;
    if (ms[2] + ms[3] < out[2] + out[3]) {
      long[] rows = new long[h0 * oh * ow];
      int k = 0;
      for (int ch = 0; ch < h0; ch++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            rows[k++] = ((long) ch * out[2] + i) * out[3] + j;
          }
        }
      }
      NDArray idx = TorchOwned.create(m, rows);
      y =
          Linear.linear(x, fcW.get(m, new NDIndex("{}", idx)), fcB.get(m, new NDIndex("{}", idx)))
              .head();
      y = Activation.relu(y).reshape(n, h0, oh, ow);
    } else {
      y = Activation.relu(Linear.linear(x, fcW, fcB).head()).reshape(n, h0, out[2], out[3]);
      y = y.get(new NDIndex(":, :, :{}, :{}", oh, ow));
    }
    NDArray yl = y.transpose(0, 2, 3, 1); // [n, oh, ow, h0]
    NDArray conv0W = detachedView(w.get("decoder.conv.0.weight").reshape(h1, h0), m);
    yl = Activation.relu(Linear.linear(yl, conv0W, w.get("decoder.conv.0.bias")).head());
    NDArray conv2W =
        detachedView(w.get("decoder.conv.2.weight").reshape((long) out[0] * out[1], h1), m);
    NDArray conv2B = w.get("decoder.conv.2.bias");
    NDArray z;
    if (ms[1] <= out[1] / 2 || (ms[0] < out[0] && !classPred)) {
      // ppuda's "multiple of 4" rounding of a multiple of 3 (never more than the decoder has)
      int nIn = Math.min(out[1], ms[1] < out[1] && ms[1] % 3 == 0 ? ms[1] / 3 * 4 : ms[1]);
      int nOut = classPred ? out[0] : Math.min(out[0], ms[0]);
      long[] rows = outputChannels(nOut, nIn, out[1]);
      NDArray idx = TorchOwned.create(m, rows);
      z =
          Linear.linear(
                  yl, conv2W.get(m, new NDIndex("{}", idx)), conv2B.get(m, new NDIndex("{}", idx)))
              .head();
      z = z.reshape(n, oh, ow, nOut, nIn).transpose(0, 3, 4, 1, 2);
      int keepIn = Math.min(out[1], ms[1]);
      if (keepIn < nIn) {
        z = z.get(new NDIndex(":, :, :{}", keepIn));
      }
      if (Math.min(ms[2], ms[3]) > Math.min(out[2], out[3])) {
        z = z.tile(new long[] {1, 1, 1, 2, 2});
      }
    } else {
      z = Linear.linear(yl, conv2W, conv2B).head();
      z = z.reshape(n, oh, ow, out[0], out[1]).transpose(0, 3, 4, 1, 2);
    }
    if (!classPred) {
      return z;
    }
    // [n, out, in, h, w] -> column 0 of w -> relu -> 1x1 conv over the out axis -> [n, classes, in,
    // h] -> h = 0
    NDArray first = Activation.relu(z.get(new NDIndex(":, :, :, :, 0"))).transpose(0, 2, 3, 1);
    NDArray clsW = w.get("decoder.class_layer_predictor.1.weight");
    NDArray clsW2 = detachedView(clsW.reshape(clsW.getShape().get(0), clsW.getShape().get(1)), m);
    NDArray cls = Linear.linear(first, clsW2, w.get("decoder.class_layer_predictor.1.bias")).head();
    return cls.transpose(0, 3, 1, 2).get(new NDIndex(":, :, :, 0"));
  }

  /**
   * The output channels of the last conv that hold the first {@code nIn} input channels of each of
   * the first {@code nOut} filters, in the {@code [out][in]} layout of {@code max_out·maxIn}
   * channels (all {@code nOut·maxIn} when {@code nIn >= maxIn}).
   *
   * <p>ppuda selects them by reshaping the first {@code nOut·maxIn} channels into rows of {@code
   * nIn} and keeping every {@code (maxIn / nIn)}-th row. That is this selection whenever {@code
   * nIn} divides {@code maxIn} (row {@code k·maxIn/nIn} starts at channel {@code k·maxIn}), and
   * ppuda raises in every other case, because the rows then do not come out as {@code nOut}
   * filters: with {@code max_shape} 64 (hid 32) the keys its parameter grouping makes never get
   * there, with 128 (hid 64, ppuda's {@code shape_multiplier} 2) they do — a layer of 42 input
   * channels is keyed 56 and 56 does not divide 128. Here the selection is defined for every {@code
   * nIn} (docs/differences.md).
   */
  static long[] outputChannels(int nOut, int nIn, int maxIn) {
    int keep = Math.min(nIn, maxIn);
    long[] out = new long[nOut * keep];
    int k = 0;
    for (int o = 0; o < nOut; o++) {
      for (int j = 0; j < keep; j++) {
        out[k++] = (long) o * maxIn + j;
      }
    }
    return out;
  }

  /**
   * Moves a view of a GHN weight into the call's manager, so it is freed with the call's other
   * arrays.
   */
  static NDArray detachedView(NDArray view, NDManager m) {
    view.attach(m);
    return view;
  }
}
