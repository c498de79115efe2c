package ghn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The repo's paths all hang from one root, which {@code ghn4j.root} names (set by surefire, as by
 * ./ghn4j).
 */
class LayoutTest {

  @Test
  void folderNamesUnderTheRoot() {
    Layout l = new Layout(Path.of("/r"));
    assertEquals(Path.of("/r/data"), l.data());
    assertEquals(Path.of("/r/data/runs"), l.runs());
    assertEquals(Path.of("/r/data/deepnets1m"), l.splits());
    assertEquals(Path.of("/r/data/checkpoints"), l.checkpoints());
    assertEquals(Path.of("/r/data/results"), l.results());
    assertEquals(Path.of("/r/data/properties"), l.properties());
    assertEquals(
        Path.of("/r/../shared/fixtures/reference"),
        l.fixtureCandidates().get(l.fixtureCandidates().size() - 1));
  }

  @Test
  void thePropertyComesFirstElseTheCheckoutAboveTheWorkingDirectory() {
    String saved = System.getProperty(Layout.ROOT_PROPERTY);
    try {
      System.setProperty(Layout.ROOT_PROPERTY, "/somewhere/../else");
      assertEquals(Path.of("/else"), Layout.detect().root());
      System.clearProperty(Layout.ROOT_PROPERTY);
      // tests run in lib/: the checkout is its parent
      assertEquals(Path.of("").toAbsolutePath().getParent(), Layout.detect().root());
    } finally {
      if (saved == null) {
        System.clearProperty(Layout.ROOT_PROPERTY);
      } else {
        System.setProperty(Layout.ROOT_PROPERTY, saved);
      }
    }
  }
}
