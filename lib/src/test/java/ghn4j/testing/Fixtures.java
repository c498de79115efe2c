package ghn4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the reference fixtures exported from ppuda (system property ghn4j.fixtures or env GHN4J_FIXTURES). */
public final class Fixtures {

  private Fixtures() {}

  /** The fixture directory; the calling test is skipped when it is absent. */
  public static Path dir() {
    String p = System.getProperty("ghn4j.fixtures", System.getenv("GHN4J_FIXTURES"));
    Path dir = p == null ? Path.of("../../shared/fixtures/reference") : Path.of(p);
    Assumptions.assumeTrue(Files.isDirectory(dir), "reference fixtures not found at " + dir.toAbsolutePath());
    return dir;
  }

  /** The GHN-3 fixtures (ghn3's exports), the sibling {@code ghn3} of {@link #dir()}; skips the test when absent. */
  public static Path ghn3Dir() {
    Path dir = dir().toAbsolutePath().normalize().resolveSibling("ghn3");
    Assumptions.assumeTrue(Files.isDirectory(dir), "GHN-3 fixtures not found at " + dir);
    return dir;
  }
}
