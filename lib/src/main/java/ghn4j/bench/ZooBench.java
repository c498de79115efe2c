package ghn4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.nn.ParamInit;
import ghn4j.zoo.ResNet;
import java.util.Arrays;
import java.util.Map;

/**
 * Speed check (not a test): median time to build the ResNet-50 graph (target ≤ 10 ms) and to run
 * ResNet-18 forward on a batch of 64 32×32 images with batch-statistics BatchNorm. Run by {@code
 * ./ghn4j bench graphs}.
 */
public final class ZooBench {

  private ZooBench() {}

  /**
   * Prints the ResNet-50 graph construction time ({@code buildRuns} runs) and ResNet-18 forward
   * time.
   */
  public static void run(int buildRuns, int forwardRuns) {
    double[] build = new double[buildRuns];
    Graph g50 = null;
    for (int i = 0; i < buildRuns; i++) {
      long t = System.nanoTime();
      g50 = ResNet.resnet50(10);
      build[i] = (System.nanoTime() - t) / 1e6;
    }
    System.out.printf(
        "ResNet-50 graph construction: median %.3f ms, min %.3f ms over %d runs (%d nodes, %,d params)%n",
        Timing.median(build),
        Arrays.stream(build).min().orElse(0),
        buildRuns,
        g50.size(),
        g50.numParams());

    Graph g18 = ResNet.resnet18(10);
    GraphExecutor exec = new GraphExecutor(g18);
    try (NDManager m = Devices.newManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g18, 0, m, DataType.FLOAT32);
      double[] fwd = new double[forwardRuns];
      for (int i = -1; i < forwardRuns; i++) { // one warm-up pass
        try (NDManager step = m.newSubManager()) {
          NDArray x = step.randomNormal(new Shape(64, 3, 32, 32));
          long t = System.nanoTime();
          NDArray out = exec.forward(x, params, Mode.batchStats());
          out.toFloatArray(); // wait for the result
          if (i >= 0) {
            fwd[i] = (System.nanoTime() - t) / 1e6;
          }
        }
      }
      System.out.printf(
          "ResNet-18 forward, batch 64×3×32×32, float32: median %.1f ms, min %.1f ms over %d runs%n",
          Timing.median(fwd), Arrays.stream(fwd).min().orElse(0), forwardRuns);
    }
  }
}
