package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.data.Batch;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import ghn4j.testing.TinyData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The partial-gradient API: shards of the parts of a meta-batch, summed (also after a trip through
 * bytes) and applied, make the same update as one {@link MetaStep#run} over the whole meta-batch.
 */
class GradientShardTest {

  static Batch batch(long seed) {
    float[] x = new float[8 * 3 * 8 * 8];
    Random r = new Random(seed);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return new Batch(0, 0, 0, x, new long[] {0, 1, 2, 3, 3, 2, 1, 0}, new long[] {8, 3, 8, 8});
  }

  static Map<String, float[]> weights(Ghn ghn) {
    Map<String, float[]> w = new LinkedHashMap<>();
    ghn.parameters().forEach((k, v) -> w.put(k, v.toFloatArray()));
    return w;
  }

  /**
   * |a - b| ≤ atol + rtol·|b| for every element; the message names the tensor and the worst
   * element.
   */
  static void assertClose(
      Map<String, float[]> a, Map<String, float[]> b, double rtol, double atol, String what) {
    assertEquals(b.keySet(), a.keySet(), what);
    for (String k : a.keySet()) {
      float[] x = a.get(k);
      float[] y = b.get(k);
      assertEquals(y.length, x.length, what + " " + k);
      for (int i = 0; i < x.length; i++) {
        double err = Math.abs(x[i] - y[i]);
        if (err > atol + rtol * Math.abs(y[i])) {
          throw new AssertionError(what + ": " + k + "[" + i + "] " + x[i] + " vs " + y[i]);
        }
      }
    }
  }

  @Test
  void shardsSummedAndAppliedEqualOneStepOverTheWholeMetaBatch() {
    List<Graph> graphs = TinyData.metaBatch(4);
    Batch batch = batch(7);
    try (NDManager m = Devices.newManager();
        Ghn whole = Ghn.create(TinyData.ghn(true, true, true), m, 11);
        Ghn split = Ghn.create(TinyData.ghn(true, true, true), m, 11)) {
      MetaStep a = new MetaStep(whole, Adam.pytorch(whole.parameters(), m, 1e-5), m, 5, false);
      MetaStep b = new MetaStep(split, Adam.pytorch(split.parameters(), m, 1e-5), m, 5, false);
      for (int step = 0; step < 2; step++) {
        MetaStep.Outcome full = a.run(graphs, batch, 1e-3, step);
        Map<String, float[]> before = weights(split);
        GradientShard s0 = b.gradients(graphs.subList(0, 1), batch, step);
        GradientShard s1 = b.gradients(graphs.subList(1, 4), batch, step);
        assertEquals(before.keySet().stream().toList(), s0.names());
        assertClose(weights(split), before, 0, 0, "gradients() leaves the GHN unchanged");
        // a process boundary: bytes there and back are the same shard
        GradientShard s1Wire = GradientShard.fromBytes(s1.toBytes());
        assertEquals(s1, s1Wire);
        GradientShard total = GradientShard.sum(List.of(s0, s1Wire));
        assertEquals(4, total.nets());
        assertEquals(32, total.examples());
        MetaStep.Outcome parts = b.apply(total, 1e-3);
        assertTrue(full.applied() && parts.applied(), full + " / " + parts);
        assertEquals(full.loss(), parts.loss(), 1e-6 * Math.abs(full.loss()), "loss, step " + step);
        assertEquals(full.accuracy(), parts.accuracy(), 0, "accuracy, step " + step);
        assertEquals(
            full.gradNorm(), parts.gradNorm(), 1e-5 * full.gradNorm(), "grad norm, step " + step);
        assertClose(weights(split), weights(whole), 1e-4, 1e-6, "weights after step " + step);
        assertNotEquals(
            Arrays.toString(before.get("decoder.fc.0.weight")),
            Arrays.toString(weights(split).get("decoder.fc.0.weight")),
            "the update changed the weights");
      }
    }
  }

  @Test
  void sumIsElementwiseAndChecksTheParameters() {
    GradientShard a =
        new GradientShard(List.of("w", "b"), new float[][] {{1, 2}, {3}}, 1.5, 3, 8, 1);
    GradientShard b =
        new GradientShard(List.of("w", "b"), new float[][] {{10, 20}, {30}}, 2.5, 4, 8, 1);
    GradientShard s = GradientShard.sum(List.of(a, b));
    assertEquals(
        new GradientShard(List.of("w", "b"), new float[][] {{11, 22}, {33}}, 4, 7, 16, 2), s);
    assertEquals(a.plus(b), b.plus(a));
    assertEquals(s, s.plus(GradientShard.zero(List.of("w", "b"), new long[] {2, 1})));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                a.plus(
                    new GradientShard(List.of("w", "c"), new float[][] {{1, 2}, {3}}, 0, 0, 0, 0)));
    assertTrue(e.getMessage().contains("different GHNs"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                a.plus(
                    new GradientShard(
                        List.of("w", "b"), new float[][] {{1, 2, 3}, {3}}, 0, 0, 0, 0)));
    assertTrue(e.getMessage().contains("size of w"), e.getMessage());
  }

  @Test
  void badBytesAreNamed() {
    byte[] ok = new GradientShard(List.of("w"), new float[][] {{1, 2}}, 1, 1, 2, 1).toBytes();
    assertEquals(
        new GradientShard(List.of("w"), new float[][] {{1, 2}}, 1, 1, 2, 1),
        GradientShard.fromBytes(ok));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GradientShard.fromBytes(Arrays.copyOf(ok, ok.length - 3)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GradientShard.fromBytes(Arrays.copyOf(ok, ok.length + 1)));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    byte[] bad = ok.clone();
    bad[0] = 'x';
    e = assertThrows(IllegalArgumentException.class, () -> GradientShard.fromBytes(bad));
    assertTrue(e.getMessage().contains("not a gradient shard"), e.getMessage());
  }

  @Test
  void applyRejectsAnotherGhnsShard() {
    try (NDManager m = Devices.newManager();
        Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 1)) {
      MetaStep step = new MetaStep(ghn, Adam.pytorch(ghn.parameters(), m, 0), m, 5, false);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  step.apply(
                      new GradientShard(List.of("w"), new float[][] {{1}}, 0, 0, 8, 1), 1e-3));
      assertTrue(e.getMessage().contains("another GHN"), e.getMessage());
      NDArray w = ghn.parameters().values().iterator().next();
      assertEquals(w.size(), w.toFloatArray().length);
    }
  }
}
