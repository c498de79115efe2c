package ghn4j.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.testing.PublishedResults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads ppuda's published {@code data/results_cifar10.json}: the whole file from a ppuda checkout
 * ({@code GHN4J_PPUDA}), else the excerpt derived from it that ships with the tests ({@link
 * PublishedResults}).
 */
class ReferenceResultsTest {

  @Test
  void readsThePublishedFile() throws Exception {
    boolean full = PublishedResults.full() != null;
    Path f = PublishedResults.file();
    ReferenceResults r = ReferenceResults.read(f);
    int evalNets = full ? 500 : 50;
    assertEquals(
        List.of("val", "test", "wide", "deep", "dense", "bnfree", "predefined"), r.splits());
    assertEquals(evalNets, r.nets("val").size());
    assertEquals(evalNets, r.nets("test").size());
    assertEquals(full ? 100 : 2, r.nets("wide").size());
    assertEquals(2, r.nets("predefined").size());
    // values of the first val and test nets as they stand in the file
    assertEquals(92.64, r.values("val", Property.ACCURACY)[0], 1e-9);
    assertEquals(40.74, r.values("val", Property.NOISE_ACCURACY)[0], 1e-9);
    assertEquals(8.059, r.values("val", Property.TIME)[0], 1e-9);
    assertEquals(0.5, r.values("val", Property.CONVERGENCE)[0], 1e-9);
    assertEquals(83.82, r.values("test", "test_acc")[0], 1e-9);
    assertEquals(2841946, r.values("val", "params")[0], 0);
    for (Property p : Property.values()) {
      assertEquals(evalNets, r.values("test", p).length);
    }
    // nets are in index order (the file's keys are strings)
    for (int i = 0; i < evalNets; i++) {
      assertEquals(i, r.nets("test").get(i).index());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.values("wide", "val_acc"));
    assertTrue(e.getMessage().contains("wide/0"), e.getMessage());
  }
}
