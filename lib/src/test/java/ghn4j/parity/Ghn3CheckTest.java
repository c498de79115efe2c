package ghn4j.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.nn.Devices;
import ghn4j.parity.PredictionCheck.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The class-token check ({@link Ghn3Check}) on synthetic tensors: it passes when only the random
 * row differs (a different draw), and fails when a deterministic value is wrong or the random row
 * has the wrong scale.
 */
class Ghn3CheckTest {

  private static final int TOKENS = 50;
  private static final int DIM = 96;
  private static final int WIDTH = 32;

  @Test
  void passesForAnotherDrawAndFailsForWrongValues() {
    try (NDManager m = Devices.newManager()) {
      float[] reference = tensor(new SplittableRandom(1), 1.0);
      ObjectNode digest = digest(reference);
      assertTrue(
          check(m, tensor(new SplittableRandom(2), 1.0), digest).ok(),
          "another random draw passes");

      float[] wrongSample = tensor(new SplittableRandom(2), 1.0);
      wrongSample[4 * 37] +=
          0.01f; // index 148 = sample 4 (stride 37), in a deterministic row (row 0 is 0..95)
      assertFalse(check(m, wrongSample, digest).ok(), "a wrong deterministic sample fails");

      float[] scaledRow = tensor(new SplittableRandom(1), 30.0);
      assertFalse(
          check(m, tensor(new SplittableRandom(2), 1.0), digest(scaledRow)).ok(),
          "a random row 30x too wide fails");

      float[] shifted = tensor(new SplittableRandom(2), 1.0);
      for (int i = DIM; i < shifted.length; i++) {
        shifted[i] += 0.005f; // every deterministic value a little off: the sums move
      }
      assertFalse(check(m, shifted, digest).ok(), "a shifted deterministic part fails");
    }
  }

  private static PredictionCheck.Report check(NDManager m, float[] ours, ObjectNode digest) {
    NDArray a = m.create(ours, new Shape(1, TOKENS, DIM));
    return Ghn3Check.classTokenDigest("pos", a, digest, WIDTH, Tolerance.PREDICTIONS);
  }

  /**
   * Deterministic rows 1.. (a smooth pattern), row 0 = WIDTH draws of N(0, (0.02·scale)²) tiled
   * along DIM.
   */
  private static float[] tensor(SplittableRandom rnd, double scale) {
    float[] v = new float[TOKENS * DIM];
    double[] z = new double[WIDTH];
    for (int j = 0; j < WIDTH; j++) {
      z[j] = rnd.nextGaussian() * 0.02 * scale;
    }
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) z[i % WIDTH];
    }
    for (int i = DIM; i < v.length; i++) {
      v[i] = (float) (0.05 * Math.sin(i * 0.37));
    }
    return v;
  }

  private static ObjectNode digest(float[] v) {
    ObjectNode d = new ObjectMapper().createObjectNode();
    d.putArray("shape").add(1).add(TOKENS).add(DIM);
    d.put("numel", v.length);
    double sum = 0;
    double abs = 0;
    double sq = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      sum += x;
      abs += Math.abs(x);
      sq += (double) x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    d.put("sum", sum).put("abs_sum", abs).put("sum_sq", sq).put("min", min).put("max", max);
    d.put("sample_stride", 37);
    var s = d.putArray("samples");
    for (int i = 0; i < v.length; i += 37) {
      s.add(v[i]);
    }
    return d;
  }
}
