package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ghn4j.graph.Graph;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Predicted tensors are attached to autograd: gradients reach every GHN weight and match finite
 * differences.
 */
class GhnGradientTest {

  @Test
  void gradientsReachTheGhnAndMatchFiniteDifferences() {
    Graph g = ReferenceGraphJson.read(Fixtures.dir().resolve("graphs/bnfree-001.json"));
    try (NDManager m = NDManager.newBaseManager()) {
      Ghn ghn = Ghn.load(Fixtures.dir().resolve("ghn/ghn2-random.safetensors"), m);
      Map<String, NDArray> probes = new java.util.HashMap<>();
      Random rnd = new Random(3);
      double loss;
      try (NDManager step = m.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        Predictions p = ghn.predict(List.of(g), step);
        NDArray total = objective(p, probes, rnd, m, step);
        loss = total.getFloat();
        gc.backward(total);
      }
      for (Map.Entry<String, NDArray> e : ghn.parameters().entrySet()) {
        NDArray grad = e.getValue().getGradient();
        float norm = grad.abs().sum().getFloat();
        assertTrue(Float.isFinite(norm), e.getKey());
        assertTrue(norm > 0, "no gradient reached " + e.getKey());
      }
      // directional derivative along a random direction of two weights, central differences
      for (String name :
          new String[] {"gnn.gru.weight_hh", "gnn.mlp_ve.fc.0.weight", "embed.weight"}) {
        NDArray w = ghn.parameters().get(name);
        float[] d = new float[(int) w.size()];
        for (int i = 0; i < d.length; i++) {
          d[i] = (float) rnd.nextGaussian();
        }
        NDArray dir = m.create(d, w.getShape());
        dir = dir.div(dir.norm()); // a unit step keeps ReLUs from flipping
        double analytic = w.getGradient().mul(dir).sum().getFloat();
        float eps = 1e-2f;
        NDArray orig = w.duplicate();
        w.set(orig.add(dir.mul(eps)).toFloatArray());
        double plus = evaluate(ghn, g, probes, m);
        w.set(orig.sub(dir.mul(eps)).toFloatArray());
        double minus = evaluate(ghn, g, probes, m);
        w.set(orig.toFloatArray());
        double numeric = (plus - minus) / (2 * eps);
        System.out.printf("[gradient] %s analytic %.6g numeric %.6g%n", name, analytic, numeric);
        // float32 rounding of the loss (a few ulps) divided by 2·eps bounds the noise of the
        // central difference
        double noise = 4 * Math.ulp((float) loss) / eps;
        assertEquals(
            analytic, numeric, 0.1 * Math.abs(analytic) + noise, name + " (loss " + loss + ")");
      }
    }
  }

  /** Σ over predicted tensors of ⟨tensor, fixed random probe⟩. */
  private static NDArray objective(
      Predictions p, Map<String, NDArray> probes, Random rnd, NDManager keep, NDManager m) {
    NDArray total = null;
    for (Map.Entry<String, NDArray> e : p.params(0).entrySet()) {
      NDArray probe =
          probes.computeIfAbsent(
              e.getKey(),
              k -> keep.randomNormal(e.getValue().getShape()).div(Math.sqrt(e.getValue().size())));
      NDArray term = e.getValue().mul(probe).sum();
      total = total == null ? term : total.add(term);
    }
    total = total.add(p.embeddings(0).mul(p.embeddings(0)).sum().mul(0.01f));
    return total;
  }

  private static double evaluate(Ghn ghn, Graph g, Map<String, NDArray> probes, NDManager m) {
    try (NDManager step = m.newSubManager()) {
      return objective(ghn.predict(List.of(g), step), probes, null, m, step).getFloat();
    }
  }
}
