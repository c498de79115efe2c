package ghn4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Ops;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.KernelRegistry;
import ghn4j.nn.Mode;
import ghn4j.nn.OpKernel;
import ghn4j.nn.ParamInit;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Zoo networks run through the executor with seeded random parameters. */
class ZooForwardTest {

  @Test
  void resnet18GivesLogitsAndBatchNormNormalisesWithBatchStatistics() {
    Graph g = ResNet.resnet18(10);
    Map<String, double[]> bnStats = new HashMap<>();
    // Instrument BatchNorm through the registry: record per-channel mean and variance of its
    // output.
    OpKernel bn = KernelRegistry.standard().kernelFor(new Ops.BatchNorm(1e-5, 0.1)).orElseThrow();
    KernelRegistry spy =
        KernelRegistry.standard()
            .with(
                Ops.BatchNorm.class,
                (node, in, p, mode) -> {
                  NDArray y = bn.apply(node, in, p, mode);
                  double[] v = y.toType(DataType.FLOAT64, false).toDoubleArray();
                  Shape s = y.getShape();
                  int n = (int) s.get(0), c = (int) s.get(1), hw = (int) (s.get(2) * s.get(3));
                  double[] stats = new double[2 * c];
                  for (int ch = 0; ch < c; ch++) {
                    double sum = 0, sq = 0;
                    for (int b = 0; b < n; b++) {
                      for (int k = 0; k < hw; k++) {
                        double x = v[(b * c + ch) * hw + k];
                        sum += x;
                        sq += x * x;
                      }
                    }
                    double mean = sum / (n * hw);
                    stats[ch] = mean;
                    stats[c + ch] = sq / (n * hw) - mean * mean;
                  }
                  bnStats.put(node.name(), stats);
                  return y;
                });
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g, 42, m, DataType.FLOAT32);
      double[] img = new Random(0).doubles(4 * 3 * 32 * 32, -2, 2).toArray();
      NDArray x = m.create(img, new Shape(4, 3, 32, 32)).toType(DataType.FLOAT32, false);
      try (NDManager step = m.newSubManager()) {
        x.attach(step);
        NDArray logits = new GraphExecutor(g, spy).forward(x, params, Mode.batchStats());
        assertEquals(new Shape(4, 10), logits.getShape());
        float[] l = logits.toFloatArray();
        for (float v : l) {
          assertTrue(Float.isFinite(v));
        }
        assertTrue(l[0] != l[10], "different images give different logits");
      }
      // BN weight 1, bias 0 (torchvision init): every channel has mean ≈ 0 and variance ≈ 1 over
      // the batch
      assertEquals(20, bnStats.size());
      for (Map.Entry<String, double[]> e : bnStats.entrySet()) {
        double[] s = e.getValue();
        int c = s.length / 2;
        for (int ch = 0; ch < c; ch++) {
          assertEquals(0, s[ch], 1e-4, e.getKey() + " channel " + ch + " mean");
          assertEquals(1, s[c + ch], 2e-3, e.getKey() + " channel " + ch + " variance");
        }
      }
    }
  }

  @Test
  void mobilenetV2Runs() {
    Graph g = MobileNetV2.mobilenetV2(10);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g, 1, m, DataType.FLOAT32);
      NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
      NDArray logits = new GraphExecutor(g).forward(x, params, Mode.batchStats());
      assertEquals(new Shape(2, 10), logits.getShape());
    }
  }
}
