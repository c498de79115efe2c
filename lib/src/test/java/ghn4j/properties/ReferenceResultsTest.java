package ghn4j.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads ppuda's published {@code data/results_cifar10.json} (from a ppuda checkout; skipped when there is none). */
class ReferenceResultsTest {

  private static Path file() {
    String dir = System.getenv().getOrDefault("GHN4J_PPUDA", "/tmp/ppuda");
    return Path.of(dir, "data", "results_cifar10.json");
  }

  @Test
  void readsThePublishedFile() throws Exception {
    Path f = file();
    assumeTrue(Files.isRegularFile(f), "no ppuda checkout at " + f + " (set GHN4J_PPUDA)");
    ReferenceResults r = ReferenceResults.read(f);
    assertEquals(List.of("val", "test", "wide", "deep", "dense", "bnfree", "predefined"), r.splits());
    assertEquals(500, r.nets("val").size());
    assertEquals(500, r.nets("test").size());
    assertEquals(100, r.nets("wide").size());
    assertEquals(2, r.nets("predefined").size());
    // values of the first val and test nets as they stand in the file
    assertEquals(92.64, r.values("val", Property.ACCURACY)[0], 1e-9);
    assertEquals(40.74, r.values("val", Property.NOISE_ACCURACY)[0], 1e-9);
    assertEquals(8.059, r.values("val", Property.TIME)[0], 1e-9);
    assertEquals(0.5, r.values("val", Property.CONVERGENCE)[0], 1e-9);
    assertEquals(83.82, r.values("test", "test_acc")[0], 1e-9);
    assertEquals(2841946, r.values("val", "params")[0], 0);
    for (Property p : Property.values()) {
      assertEquals(500, r.values("test", p).length);
    }
    // nets are in index order (the file's keys are strings)
    for (int i = 0; i < 500; i++) {
      assertEquals(i, r.nets("test").get(i).index());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.values("wide", "val_acc"));
    assertTrue(e.getMessage().contains("wide/0"), e.getMessage());
  }
}
