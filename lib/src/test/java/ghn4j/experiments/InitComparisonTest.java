package ghn4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import ghn4j.data.ImageSet;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.Ghn;
import ghn4j.testing.TinyData;
import ghn4j.train.SgdConfig;
import ghn4j.train.SgdTrainer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitComparisonTest {

  private static SgdTrainer.EpochResult epoch(int e, double acc) {
    return new SgdTrainer.EpochResult(e, 1, 50, acc, 0.1, 1, 0);
  }

  @Test
  void summarizeGivesMeanStdAndRangeOverSeedsPerNetAndInit() {
    List<InitComparison.Run> runs =
        List.of(
            new InitComparison.Run(
                "n", InitComparison.HE, 0, 10, List.of(epoch(0, 5), epoch(1, 20)), 1),
            new InitComparison.Run(
                "n", InitComparison.GHN, 0, 30, List.of(epoch(0, 40), epoch(1, 50)), 1),
            new InitComparison.Run(
                "n", InitComparison.HE, 1, 12, List.of(epoch(0, 6), epoch(1, 30)), 1),
            new InitComparison.Run(
                "n", InitComparison.GHN, 1, 34, List.of(epoch(0, 41), epoch(1, 50)), 1));
    List<InitComparison.Summary> s = InitComparison.summarize(runs);
    assertEquals(2, s.size());
    assertEquals(InitComparison.HE, s.get(0).init());
    assertEquals(2, s.get(0).seeds());
    assertEquals(11, s.get(0).meanStart(), 1e-12);
    assertEquals(25, s.get(0).meanFinal(), 1e-12);
    assertEquals(5, s.get(0).stdFinal(), 1e-12);
    assertEquals(20, s.get(0).minFinal(), 1e-12);
    assertEquals(30, s.get(0).maxFinal(), 1e-12);
    assertEquals(32, s.get(1).meanStart(), 1e-12);
    assertEquals(0, s.get(1).stdFinal(), 1e-12);
  }

  @Test
  void compareTrainsBothStartsPerSeedOnTheSameSubset() throws IOException {
    ImageSet train = TinyData.images(40, 8, 1);
    ImageSet test = TinyData.images(12, 8, 2);
    SgdConfig cfg =
        new SgdConfig(
            SgdConfig.Optimizer.SGD,
            0.05,
            0.9,
            1e-4,
            SgdConfig.Schedule.COSINE,
            1,
            8,
            5,
            false,
            99,
            20,
            2);
    NamedGraph net = new NamedGraph("tiny", TinyData.darts(8, 1));
    try (NDManager m = NDManager.newBaseManager()) {
      Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 3);
      List<InitComparison.Run> runs =
          InitComparison.compare(net, ghn, true, cfg, List.of(0L, 1L), train, 5, test, null);
      assertEquals(4, runs.size());
      assertEquals(
          List.of(InitComparison.HE, InitComparison.GHN, InitComparison.HE, InitComparison.GHN),
          runs.stream().map(InitComparison.Run::init).toList());
      assertEquals(List.of(0L, 0L, 1L, 1L), runs.stream().map(InitComparison.Run::seed).toList());
      for (InitComparison.Run r : runs) {
        assertEquals(1, r.epochs().size());
      }
      // the starts differ (predicted vs He parameters) ...
      assertNotEquals(
          runs.get(0).epochs().get(0).trainLoss(), runs.get(1).epochs().get(0).trainLoss());
      // ... and a seed's He run is reproducible
      List<InitComparison.Run> again =
          InitComparison.compare(net, ghn, true, cfg, List.of(0L), train, 5, test, null);
      assertEquals(
          runs.get(0).epochs().get(0).trainLoss(), again.get(0).epochs().get(0).trainLoss(), 1e-9);
      assertEquals(runs.get(1).finalAccuracy(), again.get(1).finalAccuracy(), 1e-9);
    }
  }
}
