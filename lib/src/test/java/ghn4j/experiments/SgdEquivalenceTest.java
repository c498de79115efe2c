package ghn4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ghn4j.data.ImageSet;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.Ghn;
import ghn4j.testing.TinyData;
import ghn4j.train.SgdConfig;
import ghn4j.train.SgdTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SGD steps against predicted parameters on tiny learnable images (a DARTS net with C = 8, 4
 * classes).
 */
class SgdEquivalenceTest {

  private static SgdConfig recipe() {
    return new SgdConfig(
        SgdConfig.Optimizer.SGD,
        0.05,
        0.9,
        0,
        SgdConfig.Schedule.COSINE,
        50,
        8,
        5,
        false,
        3,
        20,
        1);
  }

  @Test
  void curveStepsAndTheMatchFollowTheBudgetAndTheTarget() {
    ImageSet train = TinyData.images(40, 8, 1);
    ImageSet test = TinyData.images(20, 8, 2);
    NamedGraph net = new NamedGraph("darts-c8", TinyData.darts(8, 1));
    try (NDManager m = NDManager.newBaseManager();
        Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 5)) {
      SgdEquivalence.Result r = SgdEquivalence.of(ghn, net, train, test, recipe(), 3, 12);
      assertEquals(net.numParams(), r.params());
      List<SgdTrainer.StepAccuracy> c = r.sgd();
      assertEquals(0, c.get(0).step());
      for (int i = 1; i < c.size(); i++) {
        assertEquals(3L * i, c.get(i).step(), "evaluated every 3 steps: " + c);
      }
      assertTrue(c.get(c.size() - 1).step() <= 12, "budget of 12 steps: " + c);
      if (r.matchStep() >= 0) {
        // the curve stops at the first evaluation that reaches the predicted parameters' accuracy
        assertEquals(r.matchStep(), c.get(c.size() - 1).step());
        assertTrue(c.get(c.size() - 1).accuracy() >= r.predictedAccuracy());
        for (int i = 0; i < c.size() - 1; i++) {
          assertTrue(c.get(i).accuracy() < r.predictedAccuracy(), c.toString());
        }
      } else {
        assertEquals(12, c.get(c.size() - 1).step(), "no match: the whole budget is used: " + c);
        c.forEach(p -> assertTrue(p.accuracy() < r.predictedAccuracy(), c.toString()));
      }
    }
  }

  @Test
  void sgdLearnsTheTinyTaskWithinTheBudget() {
    // with an unreachable target the curve runs to the budget, and SGD does learn the pixel-visible
    // classes
    ImageSet train = TinyData.images(40, 8, 1);
    ImageSet test = TinyData.images(20, 8, 2);
    try (SgdTrainer t = SgdTrainer.fromInit(TinyData.darts(8, 1), recipe())) {
      List<SgdTrainer.StepAccuracy> c = t.stepCurve(train, test, 10, 40, 101);
      assertEquals(
          List.of(0L, 10L, 20L, 30L, 40L), c.stream().map(SgdTrainer.StepAccuracy::step).toList());
      assertTrue(
          c.get(4).accuracy() > c.get(0).accuracy() + 20,
          "accuracy should rise by 20 points: " + c);
    }
  }
}
