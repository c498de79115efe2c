package ghn4j.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.io.SafeTensors;
import ghn4j.nn.BnState;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.nn.ParamInit;
import ghn4j.nn.Tensors;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tests the explanation of the resnet18 KNOWN-DIFF logits (docs/differences.md, "Reference logits with tracked BN"):
 * the fixture logits were computed with BatchNorm running statistics after exactly ONE momentum-0.1 update, by a
 * training-mode forward of the freshly initialised net on a {@code randn(1, 3, 32, 32)} input (the forward ppuda's
 * {@code Graph(net)} traces), then evaluation-mode BN with the predicted parameters.
 *
 * <p>The draw ppuda made (its initial weights and input) cannot be replayed, so the test is statistical. For a few
 * draws of our own (torchvision's init, Java RNG) we compute the logits with one and with two updates; each set of
 * draws is a cloud. A point of a cloud is as far from the other points as they are from each other, so for the
 * hypothesis "k updates" the ratio (mean distance fixture–draw) / (mean distance draw–draw) should be about 1. We
 * require it below 2 for one update and above 2 for two updates, for every GHN, and the fixture to be far from the
 * logits of untouched buffers (0/1, a single deterministic point). Distances are relative L2 over the 16 × 10
 * logits; the fixture tolerance is not involved. The threshold 2 was fixed before looking at the ratios.
 */
class TrackedBnLogitsTest {

  private static final int DRAWS = 4;
  /** A cloud member's distance ratio is about 1; above this it is not one of the draws. */
  private static final double RATIO = 2;

  @Test
  void fixtureLogitsMatchOneRunningStatisticsUpdate() {
    Path fx = Fixtures.dir();
    Graph g = ZooArchitectures.build("resnet18", 10).orElseThrow();
    GraphExecutor ex = new GraphExecutor(g);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray input = SafeTensors.read(fx.resolve("inputs.safetensors"), m).get("input");
      // running statistics after one and after two training-mode forwards, per draw
      List<BnState> once = new ArrayList<>();
      List<BnState> twice = new ArrayList<>();
      for (int d = 0; d < DRAWS; d++) {
        Random rnd = new Random(17 + d);
        Map<String, NDArray> init = ParamInit.torchvision(g, 100 + d, m, DataType.FLOAT32);
        // ppuda's adjust_net keeps the 3×3 centre of torchvision's 7×7 conv1 init: a 7×7 filter's std
        init.put("conv1.weight", init.get("conv1.weight").mul(Math.sqrt(9.0 / 49.0)));
        BnState one = BnState.initial(g, m, DataType.FLOAT32);
        ex.forward(randn(rnd, m), init, Mode.train(one));
        once.add(one);
        BnState two = BnState.initial(g, m, DataType.FLOAT32);
        ex.forward(randn(rnd, m), init, Mode.train(two));
        ex.forward(randn(rnd, m), init, Mode.train(two));
        twice.add(two);
      }
      for (String ghnName : List.of("ghn1-random", "ghn2-random", "mlp-random")) {
        float[] ref = SafeTensors.read(fx.resolve("logits/" + ghnName + "/resnet18.safetensors"), m).get("logits")
            .toFloatArray();
        try (NDManager sub = m.newSubManager(); Ghn ghn = Ghn.load(fx.resolve("ghn/" + ghnName + ".safetensors"), sub)) {
          Map<String, NDArray> params = ghn.predict(List.of(g), sub).params(0);
          float[] none = ex.forward(input, params, Mode.eval(BnState.initial(g, sub, DataType.FLOAT32)))
              .toFloatArray();
          List<float[]> one = new ArrayList<>();
          List<float[]> two = new ArrayList<>();
          for (int d = 0; d < DRAWS; d++) {
            one.add(ex.forward(input, params, Mode.eval(once.get(d))).toFloatArray());
            two.add(ex.forward(input, params, Mode.eval(twice.get(d))).toFloatArray());
          }
          double r1 = ratio(one, ref);
          double r2 = ratio(two, ref);
          double d0 = relL2(none, ref);
          System.out.printf("[tracked BN] %s × resnet18: relative L2 fixture to untouched buffers %.4f; distance "
              + "ratio to one-update draws %.2f, to two-update draws %.2f (within-cloud spread %.4f, %.4f)%n",
              ghnName, d0, r1, r2, spread(one), spread(two));
          assertTrue(r1 < RATIO, ghnName + ": the fixture is not like a one-update draw, ratio " + r1);
          assertTrue(r2 > RATIO, ghnName + ": the fixture is like a two-update draw too, ratio " + r2);
          assertTrue(d0 > RATIO * spread(one), ghnName + ": untouched buffers are as close as a one-update draw");
        }
      }
    }
  }

  private static NDArray randn(Random rnd, NDManager m) {
    double[] v = new double[3 * 32 * 32];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextGaussian();
    }
    return Tensors.fromDoubles(m, v, new Shape(1, 3, 32, 32), DataType.FLOAT32);
  }

  /** Mean distance fixture–draw over mean distance draw–draw. */
  private static double ratio(List<float[]> draws, float[] ref) {
    double toRef = 0;
    for (float[] d : draws) {
      toRef += relL2(d, ref);
    }
    return toRef / draws.size() / spread(draws);
  }

  /** Mean pairwise distance of the draws. */
  private static double spread(List<float[]> draws) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < draws.size(); i++) {
      for (int j = i + 1; j < draws.size(); j++) {
        sum += relL2(draws.get(i), draws.get(j));
        n++;
      }
    }
    return sum / n;
  }

  private static double relL2(float[] a, float[] ref) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - ref[i]) * (double) (a[i] - ref[i]);
      den += ref[i] * (double) ref[i];
    }
    return Math.sqrt(num / den);
  }
}
