package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ghn4j.data.Augmentation;
import ghn4j.data.BatchLoader;
import ghn4j.data.ImageSet;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GnnInput;
import ghn4j.ghn.Hypernet;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import ghn4j.testing.TinyData;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A GNN of one's own with weights of its own ({@link Hypernet#parameters()}) plugged into a GHN:
 * the view's parameters list them (and not the unused gated GNN), and a meta-training step updates
 * them.
 */
class PluggedHypernetTrainingTest {

  /** relu(x W) + x: one dense layer, no message passing; enough to see its weight trained. */
  private static final class Dense implements Hypernet {
    final NDArray w;

    Dense(NDManager m, int hid) {
      w = m.randomNormal(0, 0.1f, new Shape(hid, hid), ai.djl.ndarray.types.DataType.FLOAT32);
      w.setRequiresGradient(true);
    }

    @Override
    public NDArray propagate(GnnInput in, NDManager manager) {
      return in.features().matMul(w).getNDArrayInternal().relu().add(in.features());
    }

    @Override
    public Map<String, NDArray> parameters() {
      return Map.of("w", w);
    }
  }

  @Test
  void aMetaStepTrainsTheHypernetsOwnWeights() {
    try (NDManager m = Devices.newManager()) {
      Ghn base = Ghn.create(TinyData.ghn(true, true, true), m, 3);
      Dense dense = new Dense(m, base.config().hid());
      Ghn ghn = base.withHypernet(dense);
      Map<String, NDArray> params = ghn.parameters();
      assertTrue(params.containsKey("hypernet.w"), params.keySet().toString());
      assertTrue(
          params.keySet().stream().noneMatch(k -> k.startsWith("gnn.")),
          params.keySet().toString());
      assertEquals(
          base.parameters().size()
              - base.parameters().keySet().stream().filter(k -> k.startsWith("gnn.")).count()
              + 1,
          params.size());
      float[] before = dense.w.toFloatArray();
      ImageSet images = TinyData.images(8, 8, 5);
      BatchLoader loader = new BatchLoader(images, 8, Augmentation.cifarTest(), true, true, 1);
      MetaStep step = new MetaStep(ghn, Adam.pytorch(params, m, 1e-5), m, 5, false);
      MetaStep.Outcome out = step.run(List.of(TinyData.darts(8, 1)), loader.batch(0), 1e-2, 0);
      assertTrue(out.applied(), String.valueOf(out.failure()));
      assertFalse(
          Arrays.equals(before, dense.w.toFloatArray()), "the hypernet's own weight was updated");
    }
  }
}
