package ghn4j.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.testing.Fixtures;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check on the reference fixtures, as {@code ./ghn4j parity} runs it: every row must
 * PASS (logits of tracked-BN nets included, see {@link TrackedBnStatsTest}). Prints the table. Also
 * covers what GhnParityTest checked (every GHN × graph: predictions against digests and full
 * tensors, embeddings), and node-order independence through (b), the GHN run on our graph, whose
 * node order differs from ppuda's.
 */
class ParityTest {

  @Test
  void noCheckFails() {
    ReferenceFixtures fx = ReferenceFixtures.discover(Fixtures.dir());
    assertFalse(fx.nets().isEmpty(), "no nets in " + fx.dir());
    System.out.println(ParityTable.header());
    ParityCheck check = new ParityCheck(fx);
    List<Row> rows = check.run(r -> System.out.println(ParityTable.format(r)));
    System.out.println(ParityTable.timings(check.timings()));
    System.out.println(ParityTable.summary(rows));
    String failures =
        rows.stream()
            .filter(r -> r.status() != Status.PASS)
            .map(ParityTable::format)
            .collect(Collectors.joining("\n"));
    assertTrue(failures.isEmpty(), "failing checks:\n" + failures);
    // every net got its graph, GHN and logits checks (catches a discovery that silently finds
    // nothing)
    for (String net : fx.nets()) {
      assertTrue(
          rows.stream().anyMatch(r -> r.caseName().equals(net) && r.check().equals("num_params")),
          net);
    }
    assertTrue(
        rows.stream().anyMatch(r -> r.check().startsWith("logits(a)")), "no logits checks ran");
    assertTrue(
        rows.stream().anyMatch(r -> r.check().startsWith("embeddings(b)")),
        "no embeddings(b) checks ran");
  }
}
