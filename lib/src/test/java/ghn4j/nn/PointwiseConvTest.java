package ghn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Padding-free 1×1 convolutions run as a matrix product over channels, after taking every s-th
 * pixel for stride s (ResNet downsampling): values and gradients worked out by hand, and the small
 * maps on which oneDNN's 1×1 convolution crashed the JVM.
 */
class PointwiseConvTest {

  private static Graph oneConv(int cin, int cout, int stride) {
    Node in = new Node("input", Primitive.INPUT, new Ops.Input(), null, 0, List.of(), new int[0]);
    Node conv =
        new Node(
            "c.weight",
            Primitive.CONV,
            Ops.Conv.of(stride, 0, 1, 1),
            null,
            0,
            List.of(new ParamSpec("c.weight", new int[] {cout, cin, 1, 1}, true)),
            new int[] {0});
    return Graph.of(List.of(in, conv), 1);
  }

  @Test
  void valuesAndGradientsAreThoseOfAStridedPointwiseConv() {
    int n = 2, cin = 3, cout = 4, hw = 5, s = 2, out = 3; // 5x5 -> 3x3 (positions 0, 2, 4)
    Random r = new Random(1);
    double[] xv = new double[n * cin * hw * hw];
    double[] wv = new double[cout * cin];
    for (int i = 0; i < xv.length; i++) {
      xv[i] = r.nextGaussian();
    }
    for (int i = 0; i < wv.length; i++) {
      wv[i] = r.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Tensors.fromDoubles(m, xv, new Shape(n, cin, hw, hw), DataType.FLOAT64);
      NDArray w = Tensors.fromDoubles(m, wv, new Shape(cout, cin, 1, 1), DataType.FLOAT64);
      x.setRequiresGradient(true);
      w.setRequiresGradient(true);
      double[] y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray yy =
            new GraphExecutor(oneConv(cin, cout, s))
                .forward(x, Map.of("c.weight", w), Mode.batchStats());
        assertEquals(new Shape(n, cout, out, out), yy.getShape());
        y = yy.toType(DataType.FLOAT64, false).toDoubleArray();
        gc.backward(yy.sum());
      }
      double[] gx = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
      double[] gw = w.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
      double[] yRef = new double[y.length];
      double[] gxRef = new double[xv.length];
      double[] gwRef = new double[wv.length];
      for (int b = 0; b < n; b++) {
        for (int o = 0; o < cout; o++) {
          for (int i = 0; i < out; i++) {
            for (int j = 0; j < out; j++) {
              double acc = 0;
              for (int c = 0; c < cin; c++) {
                int xi = ((b * cin + c) * hw + i * s) * hw + j * s;
                acc += wv[o * cin + c] * xv[xi];
                gxRef[xi] += wv[o * cin + c]; // d sum(y) / dx
                gwRef[o * cin + c] += xv[xi];
              }
              yRef[((b * cout + o) * out + i) * out + j] = acc;
            }
          }
        }
      }
      assertArrayEquals(yRef, y, 1e-9);
      assertArrayEquals(gxRef, gx, 1e-9);
      assertArrayEquals(gwRef, gw, 1e-9);
    }
  }

  @Test
  void resNetDownsamplingOnSmallMapsTrains() {
    // ResNet-50 on 32x32 images: layer3 downsample 512->1024 on 4x4 -> 2x2, layer4 1024->2048 on
    // 2x2 -> 1x1. The
    // direct strided float32 backward SIGFPE'd in oneDNN here (AVX2 and AVX-512), killing the JVM.
    int[][] cases = {{512, 1024, 4}, {1024, 2048, 2}};
    for (int[] c : cases) {
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray x = m.randomNormal(new Shape(20, c[0], c[2], c[2]));
        NDArray w = m.randomNormal(0, 0.01f, new Shape(c[1], c[0], 1, 1), DataType.FLOAT32);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y =
              new GraphExecutor(oneConv(c[0], c[1], 2))
                  .forward(x, Map.of("c.weight", w), Mode.batchStats());
          assertEquals(new Shape(20, c[1], c[2] / 2, c[2] / 2), y.getShape());
          gc.backward(y.sum());
        }
        float[] gx = x.getGradient().toFloatArray();
        // only the pixels the stride reads get a gradient
        assertEquals(0f, gx[1], 0f);
        assertFalse(gx[0] == 0f);
        assertTrue(Float.isFinite(w.getGradient().sum().getFloat()));
      }
    }
  }
}
