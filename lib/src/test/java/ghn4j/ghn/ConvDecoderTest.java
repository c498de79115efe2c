package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.testing.TinyData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvDecoderTest {

  /**
   * ppuda's selection: the first {@code nOut·maxIn} channels as rows of {@code nIn}, every {@code
   * maxIn / nIn}-th row; null where ppuda's reshape would raise (the rows are not {@code nOut}
   * filters).
   */
  private static long[] ppudaRows(int nOut, int nIn, int maxIn) {
    int total = nOut * maxIn;
    if (nIn >= maxIn) {
      long[] all = new long[total];
      for (int i = 0; i < total; i++) {
        all[i] = i;
      }
      return all;
    }
    if (total % nIn != 0) {
      return null;
    }
    int step = maxIn / nIn;
    List<Long> rows = new ArrayList<>();
    for (int r = 0; r < total / nIn; r += step) {
      for (int j = 0; j < nIn; j++) {
        rows.add((long) r * nIn + j);
      }
    }
    if (rows.size() != nOut * nIn) {
      return null;
    }
    return rows.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void outputChannelsAreppudasWhereppudaWorks() {
    int same = 0;
    int ppudaRaises = 0;
    for (int maxIn : new int[] {16, 64, 96, 128}) {
      for (int nOut = 1; nOut <= maxIn; nOut++) {
        for (int nIn = 1; nIn <= maxIn; nIn++) {
          long[] ours = ConvDecoder.outputChannels(nOut, nIn, maxIn);
          assertEquals((long) nOut * Math.min(nIn, maxIn), ours.length);
          long[] theirs = ppudaRows(nOut, nIn, maxIn);
          if (theirs == null) {
            ppudaRaises++;
          } else {
            assertArrayEquals(theirs, ours, nOut + " filters, " + nIn + " of " + maxIn);
            same++;
          }
        }
      }
    }
    assertTrue(same > 1000 && ppudaRaises > 1000, same + " same, " + ppudaRaises + " raise");
    // the case of a GHN-2 with hid 64 (max_shape 128): 56 input channels of 128 filters
    long[] r = ConvDecoder.outputChannels(128, 56, 128);
    assertEquals(128 * 56, r.length);
    assertEquals(0, r[0]);
    assertEquals(55, r[55]);
    assertEquals(128, r[56]);
    assertEquals(127 * 128 + 55, r[r.length - 1]);
  }

  /**
   * GHN-2 at node width 64 ({@code max_shape} 128, ppuda's {@code shape_multiplier} 2) on a net of
   * 42 channels: ppuda keys those layers 56 and its decoder cannot split 128 × 128 channels into
   * rows of 56 (it raised here too, on the first step of a width-64 meta-training run).
   */
  @Test
  void ghn2OfWidth64PredictsLayersOf42Channels() {
    GhnConfig c = GhnConfig.ghn2().withMaxShape(128, 128, 11, 11).withNumClasses(4).withHid(64);
    Graph g = TinyData.darts(42, 1);
    try (NDManager m = Devices.newManager()) {
      Predictions p = Ghn.create(c, m, 1).predict(List.of(g), m);
      Map<String, NDArray> params = p.params(0);
      assertTrue(params.size() > 10, "predicted " + params.size() + " tensors");
      boolean has42 = false;
      for (var e : params.entrySet()) {
        float[] v = e.getValue().toFloatArray();
        for (float f : v) {
          assertTrue(Float.isFinite(f), e.getKey() + " has a non-finite value");
        }
        long[] s = e.getValue().getShape().getShape();
        has42 |= s.length == 4 && s[1] == 42;
      }
      assertTrue(has42, "the net has convolutions of 42 input channels");
    }
  }
}
