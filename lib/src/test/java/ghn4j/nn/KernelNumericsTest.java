package ghn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kernel against values worked out by hand (float64), through the executor on one-op graphs.
 */
class KernelNumericsTest {

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Runs input → op (with params) and returns the result as doubles. */
  private static double[] run(
      Op op, Primitive prim, NDArray x, Map<String, NDArray> params, Mode mode) {
    List<ParamSpec> specs =
        params.entrySet().stream()
            .map(
                e ->
                    new ParamSpec(
                        e.getKey(), toInts(e.getValue().getShape()), !e.getKey().endsWith("bias")))
            .sorted((a, b) -> a.isWeight() == b.isWeight() ? 0 : a.isWeight() ? -1 : 1)
            .toList();
    Node in = new Node("input", Primitive.INPUT, new Ops.Input(), null, 0, List.of(), new int[0]);
    Node node =
        new Node(
            specs.isEmpty() ? "op" : specs.get(0).name(), prim, op, null, 0, specs, new int[] {0});
    Graph g = Graph.of(List.of(in, node), 1);
    try (NDArray out = new GraphExecutor(g).forward(x, params, mode)) {
      return out.toType(DataType.FLOAT64, false).toDoubleArray();
    }
  }

  private static double[] run(Op op, NDArray x) {
    return run(op, Primitive.SUM, x, Map.of(), Mode.batchStats());
  }

  private static int[] toInts(Shape s) {
    int[] r = new int[s.dimension()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (int) s.get(i);
    }
    return r;
  }

  private static NDArray img(double[] v, long... shape) {
    return manager.create(v, new Shape(shape));
  }

  @Test
  void convWithPaddingAndStride() {
    NDArray x = img(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
    NDArray w = manager.ones(new Shape(1, 1, 3, 3), DataType.FLOAT64);
    // stride 1, padding 1: each output sums the 3×3 neighbourhood; corner 1+2+4+5 = 12, centre 45
    double[] y =
        run(Ops.Conv.of(1, 1, 1, 1), Primitive.CONV, x, Map.of("w.weight", w), Mode.batchStats());
    assertArrayEquals(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, y, 1e-12);
    // stride 2 keeps positions (0,0), (0,2), (2,0), (2,2)
    y = run(Ops.Conv.of(2, 1, 1, 1), Primitive.CONV, x, Map.of("w.weight", w), Mode.batchStats());
    assertArrayEquals(new double[] {12, 16, 24, 28}, y, 1e-12);
  }

  @Test
  void depthwiseConvKeepsChannelsApart() {
    // two channels, groups 2, 1×1 weights 2 and -1
    NDArray x = img(new double[] {1, 2, 3, 4}, 1, 2, 1, 2);
    NDArray w = img(new double[] {2, -1}, 2, 1, 1, 1);
    double[] y =
        run(
            Ops.Conv.of(1, 0, 1, 2),
            Primitive.SEP_CONV,
            x,
            Map.of("w.weight", w),
            Mode.batchStats());
    assertArrayEquals(new double[] {2, 4, -3, -4}, y, 1e-12);
  }

  @Test
  void batchNormBatchStatisticsAndRunningStatistics() {
    // one channel, values 1, 2, 3, 4: mean 2.5, biased variance 1.25, unbiased 5/3
    NDArray x = img(new double[] {1, 2, 3, 4}, 2, 1, 1, 2);
    NDArray gamma = img(new double[] {2}, 1);
    NDArray beta = img(new double[] {0.5}, 1);
    Map<String, NDArray> p = Map.of("bn.weight", gamma, "bn.bias", beta);
    Ops.BatchNorm op = new Ops.BatchNorm(1e-5, 0.1);
    double s = Math.sqrt(1.25 + 1e-5);
    double[] expected = {
      2 * -1.5 / s + 0.5, 2 * -0.5 / s + 0.5, 2 * 0.5 / s + 0.5, 2 * 1.5 / s + 0.5
    };
    assertArrayEquals(expected, run(op, Primitive.BN, x, p, Mode.batchStats()), 1e-12);

    Node bnNode =
        new Node(
            "bn.weight",
            Primitive.BN,
            op,
            new int[] {1},
            0,
            List.of(
                new ParamSpec("bn.weight", new int[] {1}, true),
                new ParamSpec("bn.bias", new int[] {1}, false)),
            new int[] {0});
    Graph g =
        Graph.of(
            List.of(
                new Node("input", Primitive.INPUT, new Ops.Input(), null, 0, List.of(), new int[0]),
                bnNode),
            1);
    BnState state = BnState.initial(g, manager, DataType.FLOAT64);
    assertArrayEquals(expected, run(op, Primitive.BN, x, p, Mode.train(state)), 1e-12);
    // PyTorch: running = 0.9 · running + 0.1 · batch, with the unbiased variance. DJL hands the
    // momentum over as a
    // float (1f - 0.9f = 0.10000002), hence the 1e-7 tolerance.
    assertEquals(0.25, state.runningMean("bn.weight").toDoubleArray()[0], 1e-7);
    assertEquals(0.9 + 0.1 * 5.0 / 3.0, state.runningVar("bn.weight").toDoubleArray()[0], 1e-7);
    double v = 0.9 + 0.1 * 5.0 / 3.0;
    double[] eval = run(op, Primitive.BN, x, p, Mode.eval(state));
    assertEquals(2 * (1 - 0.25) / Math.sqrt(v + 1e-5) + 0.5, eval[0], 1e-6);
    assertEquals(
        0.25,
        state.runningMean("bn.weight").toDoubleArray()[0],
        1e-7,
        "eval leaves the state alone");
  }

  @Test
  void layerNormOverLastAxis() {
    NDArray x = img(new double[] {1, 2, 3}, 1, 1, 3);
    Map<String, NDArray> p =
        Map.of(
            "ln.weight",
            manager.ones(new Shape(3), DataType.FLOAT64),
            "ln.bias",
            manager.zeros(new Shape(3), DataType.FLOAT64));
    double s = Math.sqrt(2.0 / 3.0 + 1e-5);
    assertArrayEquals(
        new double[] {-1 / s, 0, 1 / s},
        run(new Ops.LayerNorm(1e-5), Primitive.LN, x, p, Mode.batchStats()),
        1e-12);
  }

  @Test
  void maxPoolPadsWithMinusInfinity() {
    // all values negative: zero padding would win; -inf padding does not
    NDArray x = img(new double[] {-1, -2, -3, -4}, 1, 1, 2, 2);
    assertArrayEquals(new double[] {-1, -1, -1, -1}, run(new Ops.MaxPool(3, 1, 1), x), 0);
  }

  @Test
  void avgPoolCountIncludePad() {
    NDArray x = img(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
    // every 3×3 window (padding 1) covers the 4 real values: mean 10/4 without padding, 10/9 with
    assertArrayEquals(
        new double[] {2.5, 2.5, 2.5, 2.5}, run(new Ops.AvgPool(3, 1, 1, false), x), 1e-12);
    double t = 10.0 / 9.0;
    assertArrayEquals(new double[] {t, t, t, t}, run(new Ops.AvgPool(3, 1, 1, true), x), 1e-12);
  }

  @Test
  void globalAndAdaptiveAveragePooling() {
    NDArray x = img(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
    assertArrayEquals(new double[] {2.5, 25}, run(new Ops.GlobalAvgPool(), x), 1e-12);
    // 2 → 3 (adaptive): bins [0,1), [0,2), [1,2) per axis
    NDArray y = img(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
    assertArrayEquals(
        new double[] {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4},
        run(new Ops.AdaptiveAvgPool(3, 3), y),
        1e-12);
    // 4 → 7 as VGG does on 32×32 inputs, against the definition
    double[] v = new Random(1).doubles(16).toArray();
    double[] got = run(new Ops.AdaptiveAvgPool(7, 7), img(v, 1, 1, 4, 4));
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 7; j++) {
        int r0 = i * 4 / 7, r1 = (int) Math.ceil((i + 1) * 4 / 7.0);
        int c0 = j * 4 / 7, c1 = (int) Math.ceil((j + 1) * 4 / 7.0);
        double s = 0;
        for (int r = r0; r < r1; r++) {
          for (int c = c0; c < c1; c++) {
            s += v[r * 4 + c];
          }
        }
        assertEquals(s / ((r1 - r0) * (c1 - c0)), got[i * 7 + j], 1e-12);
      }
    }
  }

  @Test
  void activations() {
    NDArray x = img(new double[] {-4, -1, 0, 1, 4, 7}, 6);
    // exact GELU: x·Φ(x); Φ(1) = 0.8413447460685429 (tanh approximation would give 0.84119...)
    double[] gelu = run(new Ops.Activation("gelu"), x);
    assertEquals(0.8413447460685429, gelu[3], 1e-12);
    assertEquals(-1 * (1 - 0.8413447460685429), gelu[1], 1e-12);
    // hardswish: x · relu6(x + 3) / 6
    assertArrayEquals(
        new double[] {0, -1 * 2 / 6.0, 0, 4 / 6.0, 4, 7},
        run(new Ops.Activation("hardswish"), x),
        1e-12);
    assertArrayEquals(new double[] {0, 0, 0, 1, 4, 6}, run(new Ops.Activation("relu6"), x), 0);
    assertArrayEquals(new double[] {0, 0, 0, 1, 4, 7}, run(new Ops.Activation("relu"), x), 0);
  }

  @Test
  void linearAndBias() {
    NDArray x = img(new double[] {1, 2, 3}, 1, 3);
    NDArray w = img(new double[] {1, 0, -1, 2, 2, 2}, 2, 3);
    assertArrayEquals(
        new double[] {-2, 12},
        run(new Ops.Linear(), Primitive.CONV, x, Map.of("fc.weight", w), Mode.batchStats()),
        1e-12);
    NDArray b = img(new double[] {10, 20}, 2);
    NDArray image = img(new double[] {1, 1, 1, 1}, 1, 2, 1, 2);
    assertArrayEquals(
        new double[] {11, 11, 21, 21},
        run(new Ops.Bias(), Primitive.BIAS, image, Map.of("c.bias", b), Mode.batchStats()),
        1e-12);
  }

  @Test
  void attentionMatchesTheDefinition() {
    int n = 2, len = 3, heads = 2, d = 2, inner = heads * d;
    double[] v = new Random(7).doubles((long) n * len * 3 * inner, -1, 1).toArray();
    double[] got = run(new Ops.Attention(heads), img(v, n, len, 3 * inner));
    for (int b = 0; b < n; b++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < len; i++) {
          double[] logits = new double[len];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < len; j++) {
            for (int k = 0; k < d; k++) {
              // q = chunk 0, k = chunk 1 of the last axis; head h holds columns h·d .. h·d + d - 1
              logits[j] +=
                  at(v, b, i, 0 * inner + h * d + k, len, inner)
                      * at(v, b, j, inner + h * d + k, len, inner);
            }
            logits[j] /= Math.sqrt(d);
            max = Math.max(max, logits[j]);
          }
          double z = 0;
          for (int j = 0; j < len; j++) {
            logits[j] = Math.exp(logits[j] - max);
            z += logits[j];
          }
          for (int k = 0; k < d; k++) {
            double o = 0;
            for (int j = 0; j < len; j++) {
              o += logits[j] / z * at(v, b, j, 2 * inner + h * d + k, len, inner);
            }
            assertEquals(o, got[(b * len + i) * inner + h * d + k], 1e-12);
          }
        }
      }
    }
  }

  private static double at(double[] v, int b, int i, int c, int len, int inner) {
    return v[(b * len + i) * 3 * inner + c];
  }

  @Test
  void tokensAndImagesRoundTrip() {
    double[] v = new Random(3).doubles(2 * 3 * 2 * 2).toArray();
    NDArray x = img(v, 2, 3, 2, 2);
    double[] tokens = run(new Ops.ToTokens(), x);
    // token (b, l, c) = x[b, c, l / 2, l % 2]
    assertEquals(v[(1 * 3 + 2) * 4 + 3], tokens[(1 * 4 + 3) * 3 + 2], 0);
    double[] back = run(new Ops.ToImage(), img(tokens, 2, 4, 3));
    assertArrayEquals(v, back, 0);
  }

  @Test
  void subsampleAndScale() {
    double[] v = new double[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i;
    }
    assertArrayEquals(
        new double[] {5, 7, 13, 15}, run(new Ops.Subsample(2, 1), img(v, 1, 1, 4, 4)), 0);
    assertArrayEquals(
        new double[] {0, 0.5}, run(new Ops.Scale(0.5), img(new double[] {0, 1}, 2)), 0);
  }
}
