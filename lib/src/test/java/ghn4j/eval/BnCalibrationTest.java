package ghn4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.data.BatchLoader;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.graph.Graph;
import ghn4j.graph.Ops;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.KernelRegistry;
import ghn4j.nn.Mode;
import ghn4j.nn.OpKernel;
import ghn4j.nn.ParamInit;
import ghn4j.testing.TinyData;
import ghn4j.zoo.ResNet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm recalibration: the running statistics are the plain average over the calibration
 * batches of each layer's batch mean and unbiased batch variance (checked against statistics
 * computed in Java from the layers' recorded inputs), and after calibrating on a batch,
 * evaluation-mode logits on that batch come close to batch-statistics logits (within 1 % of the
 * largest logit; with PyTorch's initial 0/1 they are far off).
 */
class BnCalibrationTest {

  @Test
  void runningStatisticsAreTheAverageOfTheBatchStatistics() {
    Graph g = ResNet.resnet18(4);
    ImageSet images = TinyData.images(24, 16, 1);
    try (NDManager m = Devices.newManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g, 3, m, DataType.FLOAT32);
      BnState s = BnCalibration.calibrate(g, params, images, 8, Normalization.cifar10(), m);
      // the same batches through a spy that records every BatchNorm input's per-channel mean and
      // unbiased variance
      Map<String, double[][]> sums = new HashMap<>();
      OpKernel bn = KernelRegistry.standard().kernelFor(new Ops.BatchNorm(1e-5, 0.1)).orElseThrow();
      KernelRegistry spy =
          KernelRegistry.standard()
              .with(
                  Ops.BatchNorm.class,
                  (node, in, p, mode) -> {
                    double[] v = in.get(0).toType(DataType.FLOAT64, false).toDoubleArray();
                    Shape sh = in.get(0).getShape();
                    int n = (int) sh.get(0);
                    int c = (int) sh.get(1);
                    int hw = (int) (sh.size() / n / c);
                    double[][] acc = sums.computeIfAbsent(node.name(), k -> new double[2][c]);
                    for (int ch = 0; ch < c; ch++) {
                      double sum = 0;
                      for (int b = 0; b < n; b++) {
                        for (int k = 0; k < hw; k++) {
                          sum += v[(b * c + ch) * hw + k];
                        }
                      }
                      double mean = sum / (n * hw);
                      double sq = 0;
                      for (int b = 0; b < n; b++) {
                        for (int k = 0; k < hw; k++) {
                          double d = v[(b * c + ch) * hw + k] - mean;
                          sq += d * d;
                        }
                      }
                      acc[0][ch] += mean;
                      acc[1][ch] += sq / (n * hw - 1);
                    }
                    return bn.apply(node, in, p, mode);
                  });
      GraphExecutor exec = new GraphExecutor(g, spy);
      // the batches calibrate forms: the images in EvalOrder
      BatchLoader loader = BatchLoader.forTesting(EvalOrder.of(images), 8, Normalization.cifar10());
      for (int step = 0; step < 3; step++) {
        try (NDManager sm = m.newSubManager()) {
          exec.forward(loader.batch(0, step).images(sm), params, Mode.batchStats());
        }
      }
      assertEquals(s.names(), sums.keySet());
      double worst = 0;
      for (String name : s.names()) {
        float[] mean = s.runningMean(name).toFloatArray();
        float[] var = s.runningVar(name).toFloatArray();
        double[][] acc = sums.get(name);
        for (int ch = 0; ch < mean.length; ch++) {
          worst =
              Math.max(
                  worst, Math.abs(mean[ch] - acc[0][ch] / 3) / (1e-3 + Math.abs(acc[0][ch] / 3)));
          worst =
              Math.max(
                  worst, Math.abs(var[ch] - acc[1][ch] / 3) / (1e-3 + Math.abs(acc[1][ch] / 3)));
        }
      }
      assertTrue(
          worst < 1e-4, "running statistics differ from the batch averages: relative " + worst);
    }
  }

  @Test
  void afterCalibrationEvalLogitsMatchBatchStatisticsLogits() {
    // a tracking net (ResNet-18) and a DeepNets-style net whose 'bn' layers keep no statistics (run
    // as trackingAll)
    for (Graph g : new Graph[] {ResNet.resnet18(4), TinyData.darts(8, 3)}) {
      ImageSet images = TinyData.images(32, 32, 2);
      try (NDManager m = Devices.newManager()) {
        Map<String, NDArray> params = ParamInit.torchvision(g, 5, m, DataType.FLOAT32);
        Graph tracking = BnState.trackingAll(g);
        NDArray x =
            BatchLoader.forTesting(images, 32, Normalization.cifar10()).batch(0, 0).images(m);
        GraphExecutor exec = new GraphExecutor(tracking);
        float[] batch = exec.forward(x, params, Mode.batchStats()).toFloatArray();
        float[] initial =
            exec.forward(x, params, Mode.eval(BnState.initial(g, m, DataType.FLOAT32)))
                .toFloatArray();
        BnState s = BnCalibration.calibrate(g, params, images, 32, Normalization.cifar10(), m);
        float[] calibrated = exec.forward(x, params, Mode.eval(s)).toFloatArray();
        double scale = 0;
        double dCal = 0;
        double dInit = 0;
        for (int i = 0; i < batch.length; i++) {
          scale = Math.max(scale, Math.abs(batch[i]));
          dCal = Math.max(dCal, Math.abs(calibrated[i] - batch[i]));
          dInit = Math.max(dInit, Math.abs(initial[i] - batch[i]));
        }
        System.out.printf(
            "%d nodes: max |eval − batch-stats| logits %.3g calibrated, %.3g with 0/1 (logits up to "
                + "%.3g)%n",
            g.size(), dCal, dInit, scale);
        assertTrue(
            dCal <= 0.01 * scale,
            "calibrated eval logits differ by " + dCal + " (scale " + scale + ")");
        assertTrue(
            dInit > 10 * dCal,
            "with PyTorch's initial statistics the difference should be much larger: " + dInit);
      }
    }
  }
}
