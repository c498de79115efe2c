package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ghn4j.data.ImageSet;
import ghn4j.testing.TinyData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test for DJL's from_blob scalars: a GC between forward and backward must not change
 * the gradients.
 */
class GcBetweenForwardAndBackwardTest {
  @TempDir Path tmp;

  @Test
  void gradientsDoNotDependOnGarbageCollection() throws Exception {
    ImageSet images = TinyData.images(16, 8, 5);
    List<List<Double>> runs = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      List<Double> norms = new ArrayList<>();
      try (MetaTrainer t =
          MetaTrainer.start(
              TinyData.tinyConfig(3, 0),
              TinyData.cifar(images),
              TinyData.tinyNets(),
              tmp.resolve("r" + k))) {
        t.update().collectGarbageBeforeBackward(k == 1);
        for (int i = 0; i < 3; i++) {
          var r = t.trainStep();
          assertEquals(1, r.attempts(), "no skipped meta-batch");
          norms.add(r.gradNorm());
        }
      }
      runs.add(norms);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(runs.get(0).get(i), runs.get(1).get(i), 1e-6, "grad norm of step " + i);
    }
  }
}
