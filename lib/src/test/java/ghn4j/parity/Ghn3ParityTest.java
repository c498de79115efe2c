package ghn4j.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The GHN-3 acceptance check on ghn3's fixtures, as {@code ./ghn4j parity --fixtures
 * ../shared/fixtures/ghn3} runs it: every row must PASS, and every net must have had its graph
 * built from ONNX (isomorphic to ghn3's) and its prediction, left-out-parameter and embedding rows
 * on both ghn3's graph and ours.
 */
class Ghn3ParityTest {

  @Test
  void noCheckFails() {
    Path dir = Fixtures.ghn3Dir();
    assertTrue(Ghn3ParityCheck.isGhn3Root(dir));
    assertFalse(
        Ghn3ParityCheck.isGhn3Root(Fixtures.dir()), "the ppuda reference root is not a GHN-3 root");
    System.out.println(ParityTable.header());
    Ghn3ParityCheck check = new Ghn3ParityCheck(dir);
    List<String> notes = new ArrayList<>();
    List<Row> rows = check.run(r -> System.out.println(ParityTable.format(r)), notes::add);
    notes.forEach(n -> System.out.println("note: " + n));
    System.out.println(ParityTable.summary(rows));
    String failures =
        rows.stream()
            .filter(r -> r.status() != Status.PASS)
            .map(ParityTable::format)
            .collect(Collectors.joining("\n"));
    assertTrue(failures.isEmpty(), "failing checks:\n" + failures);
    assertEquals(
        4,
        rows.stream().filter(r -> r.check().startsWith("load ghn3-random.")).count(),
        "four layouts");
    for (String arch : List.of("resnet18", "mobilenet_v3_small", "convnext_tiny", "vit_b_16")) {
      for (String graph : List.of(" (ghn3 graph)", " (ONNX graph)")) {
        for (String what : List.of("predictions(digest)", "not predicted", "embeddings")) {
          assertTrue(
              rows.stream()
                  .anyMatch(
                      r ->
                          r.caseName().equals("ghn3-random × " + arch + graph)
                              && r.check().equals(what)),
              arch + graph + " " + what);
        }
      }
      for (String what :
          List.of("virtual edges", "graph(onnx) isomorphic", "graph(onnx) num_params")) {
        assertTrue(
            rows.stream().anyMatch(r -> r.caseName().equals(arch) && r.check().equals(what)),
            arch + " " + what);
      }
    }
    for (String arch : List.of("resnet18", "mobilenet_v3_small")) {
      assertTrue(
          rows.stream()
              .anyMatch(
                  r ->
                      r.caseName().equals(arch)
                          && r.check().equals("graph(onnx, executable) isomorphic")),
          arch + " executable route");
    }
    assertTrue(
        rows.stream().anyMatch(r -> r.check().equals("class-token pos_embedding")),
        "ViT class-token row");
  }
}
