package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.data.ImageSet;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.TrainingWidth;
import ghn4j.optim.LrSchedule;
import ghn4j.testing.TinyData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe study's trainer knobs (issue #19): the LR schedule's shape and warm-up, and capped net
 * sampling. At their defaults the trainer must behave exactly as before (ppuda's multi-step
 * schedule, uniform draws).
 */
class RecipeKnobsTest {

  @TempDir Path tmp;

  @Test
  void cosineGoesFromTheBaseToZeroAndWarmUpIsLinear() {
    assertEquals(2e-3, LrSchedule.cosineAt(2e-3, 0), 1e-15);
    assertEquals(1e-3, LrSchedule.cosineAt(2e-3, 0.5), 1e-15);
    assertEquals(0, LrSchedule.cosineAt(2e-3, 1), 1e-15);
    assertEquals(0, LrSchedule.cosineAt(2e-3, 1.7), 1e-15, "past the end: clamped");
    assertEquals(2e-3 * (1 + Math.cos(Math.PI / 4)) / 2, LrSchedule.cosineAt(2e-3, 0.25), 1e-15);
    assertEquals(0.25, LrSchedule.warmupFactor(0, 4));
    assertEquals(1.0, LrSchedule.warmupFactor(3, 4));
    assertEquals(1.0, LrSchedule.warmupFactor(10, 4));
    assertEquals(1.0, LrSchedule.warmupFactor(0, 0));
    assertEquals(LrSchedule.Kind.COSINE, LrSchedule.Kind.parse("cosine"));
    var e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.Kind.parse("linear"));
    assertTrue(
        e.getMessage().contains("linear") && e.getMessage().contains("multistep"), e.getMessage());
  }

  private static List<Double> lrs(MetaTrainConfig c, Path dir) throws IOException {
    ImageSet images = TinyData.images(16, 8, 5);
    List<Double> out = new ArrayList<>();
    try (MetaTrainer t = MetaTrainer.start(c, TinyData.cifar(images), TinyData.tinyNets(), dir)) {
      t.run(s -> out.add(s.lr()));
    }
    return out;
  }

  @Test
  void stepBudgetCosineWithWarmUpFollowsTheFormula() throws IOException {
    MetaTrainConfig c =
        TinyData.tinyConfig(6, 0).withRecipe(LrSchedule.Kind.COSINE, 2, NetSampling.UNIFORM);
    List<Double> got = lrs(c, tmp.resolve("cos"));
    assertEquals(6, got.size());
    for (int k = 0; k < 6; k++) {
      double want = (k < 2 ? (k + 1) / 2.0 : 1) * 1e-3 * (1 + Math.cos(Math.PI * k / 6)) / 2;
      assertEquals(want, got.get(k), 1e-15, "step " + k);
    }
    // the default is ppuda's multi-step: milestones at 4 and 5 of 6 steps
    assertEquals(
        List.of(1e-3, 1e-3, 1e-3, 1e-3, 1e-4, 1e-5).toString(),
        lrs(TinyData.tinyConfig(6, 0), tmp.resolve("ms")).stream()
            .map(x -> (double) Math.round(x * 1e7) / 1e7)
            .toList()
            .toString());
  }

  @Test
  void warmUpMultipliesTheMultiStepSchedule() throws IOException {
    MetaTrainConfig c =
        TinyData.tinyConfig(6, 0).withRecipe(LrSchedule.Kind.MULTI_STEP, 3, NetSampling.UNIFORM);
    List<Double> got = lrs(c, tmp.resolve("w"));
    double[] want = {1e-3 / 3, 2e-3 / 3, 1e-3, 1e-3, 1e-4, 1e-5};
    for (int k = 0; k < 6; k++) {
      assertEquals(want[k], got.get(k), 1e-15, "step " + k);
    }
  }

  @Test
  void timeBudgetCosineFollowsTheUsedFraction() throws IOException {
    ImageSet images = TinyData.images(16, 8, 5);
    double[] now = {100};
    MetaTrainConfig c =
        TinyData.tinyConfig(1, 0)
            .withBudget(0, 0, 0, 1)
            .withRecipe(LrSchedule.Kind.COSINE, 0, NetSampling.UNIFORM);
    List<Double> got = new ArrayList<>();
    // 1 CPU minute, each step costs 15 s: progress 0, 1/4, 1/2, 3/4 at the four steps
    try (MetaTrainer t =
        MetaTrainer.start(c, TinyData.cifar(images), TinyData.tinyNets(), tmp.resolve("t"))
            .measuringCpuWith(() -> now[0])) {
      t.run(
          s -> {
            got.add(s.lr());
            now[0] += 15;
          });
    }
    assertEquals(4, got.size());
    for (int k = 0; k < 4; k++) {
      assertEquals(LrSchedule.cosineAt(1e-3, k / 4.0), got.get(k), 1e-15, "step " + k);
    }
  }

  private static TrainNets mixedNets() {
    List<SampledNet> nets = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      NetArgs a = TinyData.dartsArgs(8, 1 + i % 3); // 1, 2 or 3 cells: growing parameter counts
      nets.add(new SampledNet(i, a, NetworkBuilder.countParams(a), 0, OptionalInt.empty()));
    }
    return TrainNets.of(nets);
  }

  private static List<Integer> cells(List<NetArgs> batch) {
    return batch.stream().map(NetArgs::nCells).toList();
  }

  @Test
  void uniformSamplingDrawsExactlyTheSameNetsAsBefore() {
    TrainNets nets = mixedNets();
    TrainingWidth w = new TrainingWidth(8, 8, 16, 16);
    for (long step = 0; step < 20; step++) {
      assertEquals(
          nets.metaBatch(7, step, 0, 4, w, 10, false),
          nets.metaBatch(7, step, 0, 4, w, 10, false, NetSampling.UNIFORM));
      // a cap with fraction 0 never applies: also the uniform draw
      assertEquals(
          nets.metaBatch(7, step, 0, 4, w, 10, false),
          nets.metaBatch(7, step, 0, 4, w, 10, false, new NetSampling(1, 0)));
    }
  }

  @Test
  void aCapKeepsDrawnNetsUnderItAndAFractionMixes() {
    TrainNets nets = mixedNets();
    long small = nets.net(0).numParams(); // the 1-cell nets
    assertTrue(
        nets.net(1).numParams() > small && nets.net(2).numParams() > nets.net(1).numParams());
    TrainingWidth w = new TrainingWidth(8, 8, 16, 16);
    NetSampling all = new NetSampling(small, 1);
    List<Integer> uniformCells = new ArrayList<>();
    int capped = 0;
    int halfBig = 0;
    for (long step = 0; step < 200; step++) {
      for (int c : cells(nets.metaBatch(7, step, 0, 2, w, 10, false, all))) {
        assertEquals(1, c, "step " + step + ": every net respects the cap");
        capped++;
      }
      uniformCells.addAll(cells(nets.metaBatch(7, step, 0, 2, w, 10, false)));
      halfBig +=
          (int)
              cells(nets.metaBatch(7, step, 0, 2, w, 10, false, new NetSampling(small, 0.5)))
                  .stream()
                  .filter(c -> c > 1)
                  .count();
    }
    assertEquals(400, capped);
    long uniformBig = uniformCells.stream().filter(c -> c > 1).count(); // about 2/3 of 400
    assertTrue(uniformBig > 230 && uniformBig < 300, "uniform: " + uniformBig);
    // half the slots capped: about 1/2 · 2/3 of 400 big nets
    assertTrue(halfBig > 100 && halfBig < 170, "fraction 0.5: " + halfBig);
    assertNotEquals(0, halfBig);
  }

  @Test
  void anImpossibleCapTakesTheSmallestDrawnNet() {
    TrainNets nets = mixedNets();
    TrainingWidth w = new TrainingWidth(8, 8, 16, 16);
    for (long step = 0; step < 10; step++) {
      assertEquals(
          List.of(1, 1), cells(nets.metaBatch(3, step, 0, 2, w, 10, false, new NetSampling(1, 1))));
    }
  }

  @Test
  void configKeepsTheKnobsAndReadsOldConfigsWithTheDefaults() {
    MetaTrainConfig c =
        TinyData.tinyConfig(5, 0)
            .withRecipe(LrSchedule.Kind.COSINE, 7, new NetSampling(400_000, 0.75));
    assertEquals(c, MetaTrainConfig.fromJson(c.toJson()));
    assertEquals("cosine", c.toJson().get("lr_schedule").asText());
    var old = c.toJson();
    old.remove("lr_schedule");
    old.remove("warmup_steps");
    old.remove("net_sampling");
    MetaTrainConfig o = MetaTrainConfig.fromJson(old);
    assertEquals(LrSchedule.Kind.MULTI_STEP, o.lrSchedule());
    assertEquals(0, o.warmupSteps());
    assertEquals(NetSampling.UNIFORM, o.netSampling());
    assertEquals(TinyData.tinyConfig(5, 0), o);
    assertThrows(IllegalArgumentException.class, () -> new NetSampling(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new NetSampling(10, 1.5));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TinyData.tinyConfig(5, 0).withRecipe(LrSchedule.Kind.COSINE, -1, NetSampling.UNIFORM));
  }
}
