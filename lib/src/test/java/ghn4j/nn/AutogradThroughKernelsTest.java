package ghn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ghn4j.graph.Graph;
import ghn4j.graph.Ops;
import ghn4j.graph.Primitive;
import ghn4j.zoo.GraphBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients pass through kernels that may return (a copy of) their input: a one-input concat (DJL's
 * {@code NDArrays.concat} returned a clone without autograd history, which zeroed every
 * meta-training gradient behind a cell with a single concat input) and dropout, whose mode switch
 * is checked too.
 */
class AutogradThroughKernelsTest {

  /** input → conv → [concat of one] → global average pool. */
  private static Graph convPool(boolean withConcat) {
    GraphBuilder b = new GraphBuilder();
    int x = b.conv("c", 3, 4, 3, 1, 1, 1, b.input());
    if (withConcat) {
      x = b.add("concat", Primitive.CONCAT, new Ops.Concat(1), null, List.of(), x);
    }
    b.globalAvgPool("glob_avg", x);
    return b.build();
  }

  private static float[] convGrad(Graph g, NDManager m) {
    double[] wv = new double[4 * 3 * 3 * 3];
    for (int i = 0; i < wv.length; i++) {
      wv[i] = Math.sin(0.7 * i);
    }
    double[] xv = new double[2 * 3 * 8 * 8];
    for (int i = 0; i < xv.length; i++) {
      xv[i] = Math.cos(0.3 * i);
    }
    NDArray w =
        Tensors.fromDoubles(m, wv, new Shape(4, 3, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
    NDArray input =
        Tensors.fromDoubles(m, xv, new Shape(2, 3, 8, 8), ai.djl.ndarray.types.DataType.FLOAT32);
    w.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray y = new GraphExecutor(g).forward(input, Map.of("c.weight", w), Mode.batchStats());
      gc.backward(y.square().sum());
    }
    return w.getGradient().toFloatArray();
  }

  @Test
  void singleInputConcatKeepsTheGradient() {
    try (NDManager m = Devices.newManager()) {
      float[] plain = convGrad(convPool(false), m);
      float[] viaConcat = convGrad(convPool(true), m);
      double norm = 0;
      for (float v : viaConcat) {
        norm += v * v;
      }
      assertTrue(norm > 0, "no gradient behind a one-input concat");
      assertArrayEquals(plain, viaConcat, 1e-6f);
    }
  }

  @Test
  void dropoutFollowsTheModeSwitch() {
    try (NDManager m = Devices.newManager()) {
      GraphBuilder b = new GraphBuilder();
      int x = b.dropout(0.5, b.input());
      b.globalAvgPool("glob_avg", x);
      Graph g = b.build();
      NDArray ones = m.ones(new Shape(1, 1, 64, 64));
      GraphExecutor ex = new GraphExecutor(g);
      assertEquals(1.0, ex.forward(ones, Map.of(), Mode.batchStats()).getFloat(), 0);
      assertEquals(
          1.0, ex.forward(ones, Map.of(), Mode.batchStats().withDropout(false)).getFloat(), 0);
      m.getEngine().setRandomSeed(1);
      // half the 4096 cells dropped, the others scaled by 2: the mean stays near 1 but is not
      // exactly 1
      double mean = ex.forward(ones, Map.of(), Mode.batchStats().withDropout(true)).getFloat();
      assertTrue(Math.abs(mean - 1) < 0.1 && mean != 1.0, "mean " + mean);
    }
  }
}
