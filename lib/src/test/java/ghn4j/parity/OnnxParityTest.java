package ghn4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ./ghn4j parity --fixtures ../shared/fixtures/onnx} as a test: torchvision nets exported to
 * ONNX, imported by {@code ghn4j.onnx}, against ppuda's graphs, predictions, embeddings and logits
 * of the same torch modules. Every case is discovered from the folder (more families of the same
 * format get checked the same way); no row may FAIL.
 */
class OnnxParityTest {

  @Test
  void everyOnnxCasePasses() {
    Path dir = Fixtures.dir().resolve("../onnx").normalize();
    Assumptions.assumeTrue(
        Files.isDirectory(dir), "ONNX fixtures not found at " + dir.toAbsolutePath());
    ReferenceFixtures fx = ReferenceFixtures.discover(dir);
    assertFalse(fx.nets().isEmpty(), "no nets in " + fx.dir());
    System.out.println(ParityTable.header());
    ParityCheck check = new ParityCheck(fx);
    List<Row> rows = check.run(r -> System.out.println(ParityTable.format(r)));
    System.out.println(ParityTable.summary(rows));
    String bad =
        rows.stream()
            .filter(r -> r.status() != Status.PASS)
            .map(ParityTable::format)
            .collect(Collectors.joining("\n"));
    assertTrue(bad.isEmpty(), "checks that did not pass:\n" + bad);
    for (String net : fx.nets()) {
      for (String c : List.of("num_params", "graph isomorphic")) {
        assertTrue(
            rows.stream().anyMatch(r -> r.caseName().equals(net) && r.check().equals(c)),
            net + " " + c);
      }
    }
    long logits = rows.stream().filter(r -> r.check().startsWith("logits(b)")).count();
    long embeddings = rows.stream().filter(r -> r.check().startsWith("embeddings(b)")).count();
    assertEquals(fx.nets().size() * fx.ghns().size(), logits, "a logits(b) row per GHN × net");
    assertEquals(
        fx.nets().size() * fx.ghns().size(), embeddings, "an embeddings(b) row per GHN × net");
  }
}
