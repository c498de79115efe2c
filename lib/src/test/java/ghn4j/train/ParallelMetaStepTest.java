package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ghn4j.data.Batch;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import ghn4j.testing.TinyData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A meta-batch split over worker threads makes the update the sequential step makes: same loss and
 * accuracy, grad norm and every GHN weight after each step within float tolerance; and two parallel
 * runs agree bit for bit (the sum does not depend on thread timing).
 */
class ParallelMetaStepTest {

  private record Run(List<MetaStep.Outcome> outcomes, Map<String, float[]> weights) {}

  private static Run run(int workers, boolean dropout, List<Graph> graphs) {
    try (NDManager m = Devices.newManager();
        Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 5);
        MetaStep step =
            new MetaStep(ghn, Adam.pytorch(ghn.parameters(), m, 1e-5), m, 5, dropout)
                .withWorkers(workers, 1)) {
      List<MetaStep.Outcome> out = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        Batch batch = GradientShardTest.batch(100 + k);
        out.add(step.run(graphs, batch, 1e-3, 40 + k));
      }
      return new Run(out, GradientShardTest.weights(ghn));
    }
  }

  private static void assertSame(Run seq, Run par, String what) {
    for (int k = 0; k < seq.outcomes().size(); k++) {
      MetaStep.Outcome a = seq.outcomes().get(k);
      MetaStep.Outcome b = par.outcomes().get(k);
      assertTrue(a.applied() && b.applied(), what + " step " + k + ": " + a + " / " + b);
      assertEquals(a.loss(), b.loss(), 1e-6 * Math.abs(a.loss()), what + " loss, step " + k);
      assertEquals(a.accuracy(), b.accuracy(), 0, what + " accuracy, step " + k);
      assertEquals(a.gradNorm(), b.gradNorm(), 1e-5 * a.gradNorm(), what + " grad norm, step " + k);
    }
    assertAdamClose(par.weights(), seq.weights(), 1e-3, seq.outcomes().size(), what + " weights");
  }

  /**
   * Weights after {@code steps} Adam steps at {@code lr} that began equal and saw gradients equal
   * up to float rounding: at least 99.9 % of the elements within 1e-6 + 1e-5·|b| (the
   * training-trace check's element tolerance), and every element within 2·lr·steps. Why not all
   * elements tight: Adam divides by √v, so where a gradient element is near zero a rounding-sized
   * change in it moves the update by up to lr (the first step is lr·sign(g)).
   */
  static void assertAdamClose(
      Map<String, float[]> a, Map<String, float[]> b, double lr, int steps, String what) {
    long total = 0;
    long within = 0;
    double worst = 0;
    for (String k : b.keySet()) {
      float[] x = a.get(k);
      float[] y = b.get(k);
      assertEquals(y.length, x.length, what + " " + k);
      for (int i = 0; i < x.length; i++) {
        double d = Math.abs(x[i] - y[i]);
        total++;
        if (d <= 1e-6 + 1e-5 * Math.abs(y[i])) {
          within++;
        }
        worst = Math.max(worst, d);
        if (d > 2 * lr * steps) {
          throw new AssertionError(what + ": " + k + "[" + i + "] " + x[i] + " vs " + y[i]);
        }
      }
    }
    System.out.printf(
        "%s: %d/%d elements within 1e-6 + 1e-5|b|, worst |Δ| %.2e%n", what, within, total, worst);
    assertTrue(
        within >= 0.999 * total,
        what + ": only " + within + "/" + total + " elements within tolerance");
  }

  @Test
  void workersSumTheSequentialGradient() {
    List<Graph> graphs = TinyData.metaBatch(5);
    try (NDManager m = Devices.newManager();
        Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 5);
        MetaStep seq = new MetaStep(ghn, Adam.pytorch(ghn.parameters(), m, 1e-5), m, 5, true);
        MetaStep par =
            new MetaStep(ghn, Adam.pytorch(ghn.parameters(), m, 1e-5), m, 5, true)
                .withWorkers(3, 1)) {
      Batch batch = GradientShardTest.batch(3);
      GradientShard a = seq.gradients(graphs, batch, 9);
      GradientShard b = par.gradients(graphs, batch, 9);
      assertEquals(a.nets(), b.nets());
      assertEquals(a.correct(), b.correct());
      assertEquals(a.lossSum(), b.lossSum(), 1e-6 * Math.abs(a.lossSum()));
      double worst = 0;
      for (int t = 0; t < a.names().size(); t++) {
        float[] x = a.gradient(t);
        float[] y = b.gradient(t);
        double scale = 0;
        for (float v : x) {
          scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
          double rel = Math.abs(x[i] - y[i]) / Math.max(scale, 1e-30);
          worst = Math.max(worst, rel);
          assertTrue(
              rel <= 1e-5,
              a.names().get(t)
                  + "["
                  + i
                  + "]: "
                  + x[i]
                  + " vs "
                  + y[i]
                  + " (tensor max "
                  + scale
                  + ")");
        }
      }
      System.out.printf(
          "parallel vs sequential gradient: worst |Δ| / max|g| of a tensor %.2e%n", worst);
    }
  }

  @Test
  void workersMakeTheSequentialUpdate() {
    List<Graph> graphs = TinyData.metaBatch(5);
    for (boolean dropout : new boolean[] {false, true}) {
      Run seq = run(1, dropout, graphs);
      assertSame(seq, run(2, dropout, graphs), "2 workers, dropout " + dropout);
      assertSame(seq, run(3, dropout, graphs), "3 workers, dropout " + dropout);
    }
  }

  @Test
  void parallelStepsDoNotDependOnThreadTiming() {
    List<Graph> graphs = TinyData.metaBatch(4);
    Run a = run(2, true, graphs);
    Run b = run(2, true, graphs);
    for (int k = 0; k < a.outcomes().size(); k++) {
      assertEquals(a.outcomes().get(k), b.outcomes().get(k), "step " + k);
    }
    for (String k : a.weights().keySet()) {
      assertTrue(
          java.util.Arrays.equals(a.weights().get(k), b.weights().get(k)),
          "two parallel runs: " + k);
    }
  }

  @Test
  void dropoutMasksDependOnTheSeed() {
    List<Graph> graphs = TinyData.metaBatch(2);
    Run on = run(1, true, graphs);
    Run off = run(1, false, graphs);
    assertTrue(
        on.outcomes().get(0).loss() != off.outcomes().get(0).loss(), "dropout changes the loss");
  }
}
