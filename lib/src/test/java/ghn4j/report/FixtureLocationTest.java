package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureLocationTest {

  @Test
  void sharedFolderNextToTheRepo(@TempDir Path tmp) throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    List<Path> c = FixtureLocation.candidates(repo);
    assertEquals(repo.resolve("../shared/fixtures/reference"), c.get(c.size() - 1));
    String saved = System.getProperty("ghn4j.fixtures");
    System.clearProperty("ghn4j.fixtures");
    try {
      if (System.getenv("GHN4J_FIXTURES") == null) {
        assertTrue(FixtureLocation.find(repo).isEmpty());
        Path shared = Files.createDirectories(tmp.resolve("shared/fixtures/reference"));
        assertEquals(shared, FixtureLocation.find(repo).orElseThrow());
      }
      Path explicit = Files.createDirectories(tmp.resolve("elsewhere"));
      System.setProperty("ghn4j.fixtures", explicit.toString());
      assertEquals(explicit, FixtureLocation.find(repo).orElseThrow(), "the property comes first");
    } finally {
      if (saved == null) {
        System.clearProperty("ghn4j.fixtures");
      } else {
        System.setProperty("ghn4j.fixtures", saved);
      }
    }
  }
}
