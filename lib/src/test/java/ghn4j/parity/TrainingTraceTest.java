package ghn4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Meta-training parity as {@code ./ghn4j parity} runs it: every step of every {@code
 * training/*.trace.json} replayed with {@code MetaStep} (the trainer's update) must pass the
 * README's tolerances. Prints the rows.
 */
class TrainingTraceTest {

  @Test
  void everyRecordedUpdateMatches() {
    check(1);
  }

  /**
   * The same with each recorded meta-batch split over two worker threads ({@code ./ghn4j train
   * --workers 2}).
   */
  @Test
  void everyRecordedUpdateMatchesWithTwoWorkers() {
    check(2);
  }

  private static void check(int workers) {
    ReferenceFixtures fx = ReferenceFixtures.discover(Fixtures.dir());
    List<Path> traces = TrainingTraceCheck.traces(fx.dir());
    Fixtures.require(
        !traces.isEmpty(), "meta-training traces " + fx.dir().resolve("training/*.trace.json"));
    List<Row> rows =
        new TrainingTraceCheck(fx)
            .withWorkers(workers)
            .run(r -> System.out.println(ParityTable.format(r)));
    System.out.println(ParityTable.summary(rows));
    String failures =
        rows.stream()
            .filter(r -> r.status() != Status.PASS)
            .map(ParityTable::format)
            .collect(Collectors.joining("\n"));
    assertTrue(failures.isEmpty(), "failing trace checks:\n" + failures);
    assertFalse(rows.isEmpty());
    // four rows (loss, grad_norm, grads, ghn_after) for every step: none skipped
    long updates = rows.stream().filter(r -> r.check().equals("train loss")).count();
    assertEquals(4 * updates, rows.size());
  }
}
