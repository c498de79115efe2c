package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.data.ImageSet;
import ghn4j.testing.TinyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU-time budget of {@link MetaTrainer}: stop, LR milestones, persistence over sessions, the
 * real clock.
 */
class CpuBudgetTest {

  @TempDir Path tmp;

  private static MetaTrainConfig cpuConfig(double cpuMinutes, int checkpointEvery) {
    return TinyData.tinyConfig(1, checkpointEvery).withBudget(0, 0, 0, cpuMinutes);
  }

  /** A CPU clock the test advances by hand: each step "costs" 10 s. */
  private static final class FakeClock {
    final AtomicReference<Double> now = new AtomicReference<>(500.0);

    double read() {
      return now.get();
    }

    void advance(double s) {
      now.set(now.get() + s);
    }
  }

  @Test
  void stopsAtTheBudgetWithMilestonesAtTwoThirdsAndFiveSixthsOfTheCpuTime() throws IOException {
    ImageSet images = TinyData.images(16, 8, 5);
    FakeClock clock = new FakeClock();
    List<Double> lrs = new ArrayList<>();
    MetaTrainer.Result r;
    // budget 1 CPU minute = 60 s = 6 steps of 10 s; LR x0.1 once 40 s are used (step 4), x0.01 at
    // 50 s (step 5)
    try (MetaTrainer t =
        MetaTrainer.start(
                cpuConfig(1, 0), TinyData.cifar(images), TinyData.tinyNets(), tmp.resolve("a"))
            .measuringCpuWith(clock::read)) {
      assertEquals(-1, t.totalSteps(), "a CPU budget alone has no step horizon");
      r =
          t.run(
              s -> {
                lrs.add(s.lr());
                clock.advance(10);
              });
    }
    assertEquals(6, r.stepsDone());
    assertEquals(60, r.cpuSeconds(), 1e-9);
    assertEquals(List.of(1e-3, 1e-3, 1e-3, 1e-3), lrs.subList(0, 4));
    assertEquals(1e-4, lrs.get(4), 1e-12);
    assertEquals(1e-5, lrs.get(5), 1e-12);
    // the metrics lines carry the CPU seconds before each step's log line
    List<Double> cpu = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(tmp.resolve("a").resolve(MetaTrainer.METRICS))) {
      JsonNode o = json.readTree(line);
      cpu.add(o.get("cpu_s").asDouble());
    }
    assertEquals(List.of(0.0, 10.0, 20.0, 30.0, 40.0, 50.0), cpu);
  }

  @Test
  void cpuTimeAddsUpOverSessions() throws IOException {
    ImageSet images = TinyData.images(16, 8, 5);
    Path dir = tmp.resolve("b");
    FakeClock first = new FakeClock();
    try (MetaTrainer t =
        MetaTrainer.start(cpuConfig(1, 0), TinyData.cifar(images), TinyData.tinyNets(), dir)
            .measuringCpuWith(first::read)) {
      t.run(3, s -> first.advance(10));
      assertEquals(30, t.cpuSeconds(), 1e-9);
    }
    // a new process: its clock starts elsewhere; the checkpoint's 30 s carry over
    FakeClock second = new FakeClock();
    second.advance(1234);
    List<Double> lrs = new ArrayList<>();
    try (MetaTrainer t =
        MetaTrainer.resume(dir, TinyData.cifar(images), TinyData.tinyNets(), null)
            .measuringCpuWith(second::read)) {
      assertEquals(3, t.step());
      assertEquals(30, t.cpuSeconds(), 1e-9);
      MetaTrainer.Result r =
          t.run(
              s -> {
                lrs.add(s.lr());
                second.advance(10);
              });
      assertEquals(3, r.stepsDone());
      assertEquals(6, r.nextStep());
    }
    assertEquals(1e-3, lrs.get(0), 1e-12);
    assertEquals(1e-4, lrs.get(1), 1e-12);
    assertEquals(1e-5, lrs.get(2), 1e-12);
  }

  @Test
  void theRealClockStopsARunAfterItsBudget() throws IOException {
    assertTrue(CpuClock.available(), "this JVM reports process CPU time");
    ImageSet images = TinyData.images(16, 8, 5);
    double budgetMinutes = 2.0 / 60; // 2 CPU seconds: a few tiny steps
    double before = CpuClock.processSeconds();
    try (MetaTrainer t =
        MetaTrainer.start(
            cpuConfig(budgetMinutes, 0),
            TinyData.cifar(images),
            TinyData.tinyNets(),
            tmp.resolve("c"))) {
      List<Double> cpuAtStepEnd = new ArrayList<>();
      MetaTrainer.Result r = t.run(s -> cpuAtStepEnd.add(t.cpuSeconds()));
      assertTrue(r.stepsDone() >= 1);
      assertTrue(r.cpuSeconds() >= 2.0, "stopped only once the budget was used: " + r.cpuSeconds());
      // it stopped at the first step end past the budget, not later
      for (int i = 0; i < cpuAtStepEnd.size() - 1; i++) {
        assertTrue(
            cpuAtStepEnd.get(i) < 2.0, "step " + i + " ended at " + cpuAtStepEnd.get(i) + " s");
      }
      assertTrue(t.done());
      // the trainer's CPU time is this process's CPU time since the trainer was made
      assertTrue(CpuClock.processSeconds() - before >= r.cpuSeconds() - 1e-6);
      assertFalse(Double.isNaN(r.cpuSeconds()));
    }
  }

  @Test
  void configKeepsTheCpuBudgetAndReadsOldConfigsWithout() {
    MetaTrainConfig c = cpuConfig(6, 0);
    assertEquals(6, MetaTrainConfig.fromJson(c.toJson()).cpuMinutes());
    assertEquals(c, MetaTrainConfig.fromJson(c.toJson()));
    var old = c.toJson();
    old.remove("cpu_minutes");
    old.put("steps", 5);
    assertEquals(0, MetaTrainConfig.fromJson(old).cpuMinutes());
    assertThrows(IllegalArgumentException.class, () -> c.withBudget(0, 0, 0, 0));
  }
}
