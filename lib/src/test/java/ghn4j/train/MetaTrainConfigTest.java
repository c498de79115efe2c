package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.ghn.GhnConfig;
import ghn4j.optim.LrSchedule;
import org.junit.jupiter.api.Test;

/** Named construction of {@link MetaTrainConfig}: defaults, {@code withX} copies, validation. */
final class MetaTrainConfigTest {

  @Test
  void defaultsAreTrainCommandsGhn2Recipe() {
    MetaTrainConfig d = MetaTrainConfig.defaults();
    assertEquals(MetaTrainConfig.defaults(GhnConfig.ghn2()), d);
    assertEquals(8, d.metaBatch());
    assertEquals(64, d.batchSize());
    assertEquals(300, d.epochs());
    assertEquals(0, d.steps());
    assertEquals(1111, d.seed());
    assertEquals(45_000, d.trainImages());
    assertEquals(1000, d.checkpointEvery());
    assertTrue(d.classifierDropout());
    assertEquals(LrSchedule.Kind.MULTI_STEP, d.lrSchedule());
    assertEquals(NetSampling.UNIFORM, d.netSampling());
  }

  @Test
  void withChangesOnlyTheNamedFields() {
    MetaTrainConfig d = MetaTrainConfig.defaults();
    MetaTrainConfig c = d.withMetaBatch(1).withCpuMinutes(5).withSeed(3).withWidths(8, 9, 10, 11);
    MetaTrainConfig expected =
        new MetaTrainConfig(
            d.ghn(),
            1,
            d.batchSize(),
            d.lr(),
            d.weightDecay(),
            d.gradClip(),
            d.gamma(),
            d.epochs(),
            d.steps(),
            d.minutes(),
            5,
            3,
            d.numNets(),
            d.nets(),
            d.trainImages(),
            d.augment(),
            8,
            9,
            10,
            11,
            d.checkpointEvery(),
            d.logEvery(),
            d.prefetch(),
            d.classifierDropout(),
            d.lrSchedule(),
            d.warmupSteps(),
            d.netSampling());
    assertEquals(expected, c);
    assertEquals(MetaTrainConfig.defaults(), d); // the original is unchanged
  }

  @Test
  void withValidatesLikeTheConstructor() {
    MetaTrainConfig d = MetaTrainConfig.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withMetaBatch(0));
    // removing the only budget one field at a time fails; withBudget changes them together
    assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
    MetaTrainConfig c = d.withBudget(0, 5, 0);
    assertEquals(5, c.steps());
    assertEquals(0, c.epochs());
  }
}
