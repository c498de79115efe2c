package ghn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SgdMomentum} and {@link AdamW} follow PyTorch's update rules (values computed by hand).
 */
class SgdOptimizersTest {

  @Test
  void sgdMomentumWithL2AndAdamWWithDecoupledDecay() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray p = m.create(new float[] {1f, -2f});
      Map<String, NDArray> params = Map.of("w", p);
      SgdMomentum sgd = new SgdMomentum(params, m, 0.9, 0.1);
      // step 1: d = g + 0.1 p = [0.6, -0.7]; b = d; p = p - 0.5 b = [0.7, -1.65]
      sgd.step(params, Map.of("w", m.create(new float[] {0.5f, -0.5f})), 0.5);
      assertArrayEquals(new float[] {0.7f, -1.65f}, p.toFloatArray(), 1e-6f);
      // step 2: d = [0.5+0.07, -0.5-0.165] = [0.57, -0.665]; b = 0.9 [0.6, -0.7] + d = [1.11,
      // -1.295]
      sgd.step(params, Map.of("w", m.create(new float[] {0.5f, -0.5f})), 0.5);
      assertArrayEquals(new float[] {0.7f - 0.555f, -1.65f + 0.6475f}, p.toFloatArray(), 1e-6f);

      NDArray q = m.create(new float[] {1f, -2f});
      Map<String, NDArray> qp = Map.of("w", q);
      AdamW adamw = new AdamW(qp, m, 0.1);
      // step 1: q ← q (1 - 0.01·0.1); then the bias-corrected Adam step is lr · sign(g) (up to ε)
      adamw.step(qp, Map.of("w", m.create(new float[] {3f, -0.25f})), 0.01);
      assertArrayEquals(
          new float[] {1f * 0.999f - 0.01f, -2f * 0.999f + 0.01f}, q.toFloatArray(), 1e-6f);
    }
  }
}
