package ghn4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the reference fixtures exported from ppuda (system property ghn4j.fixtures or env
 * GHN4J_FIXTURES), and decides what a missing input does to a test: skipped on a developer machine,
 * a failure naming what is missing under {@code CI=true} (so a CI run cannot pass by skipping).
 */
public final class Fixtures {

  private Fixtures() {}

  /**
   * The fixture directory; the calling test is skipped when it is absent (fails under {@code
   * CI=true}).
   */
  public static Path dir() {
    Path dir = ghn4j.io.Layout.detect().fixtureCandidates().get(0);
    require(
        Files.isDirectory(dir),
        "reference fixtures at "
            + dir.toAbsolutePath()
            + " (set -Dghn4j.fixtures or GHN4J_FIXTURES)");
    return dir;
  }

  /**
   * Whether this run is a CI run ({@code CI=true} in the environment, or {@code -Dghn4j.ci=true}).
   */
  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("ghn4j.ci");
  }

  /**
   * Continues when {@code present}; otherwise skips the calling test with "missing: {@code what}",
   * or fails it under {@code CI=true}.
   */
  public static void require(boolean present, String what) {
    if (present) {
      return;
    }
    if (ci()) {
      Assertions.fail("CI=true and a test input is missing: " + what);
    }
    Assumptions.assumeTrue(false, "missing: " + what);
  }

  /** {@link #require} for a file or directory. */
  public static Path require(Path path, String what) {
    require(Files.exists(path), what + " (" + path.toAbsolutePath() + ")");
    return path;
  }

  /**
   * The GHN-3 fixtures (ghn3's exports), the sibling {@code ghn3} of {@link #dir()}; skips the test
   * when absent.
   */
  public static Path ghn3Dir() {
    Path dir = dir().toAbsolutePath().normalize().resolveSibling("ghn3");
    return require(dir, "GHN-3 fixtures");
  }

  /**
   * The ONNX fixtures (models exported from torchvision), the sibling {@code onnx} of {@link
   * #dir()}; skips the test when absent.
   */
  public static Path onnxDir() {
    Path dir = dir().resolveSibling("onnx");
    Assumptions.assumeTrue(Files.isDirectory(dir), "no ONNX fixtures at " + dir);
    return dir;
  }
}
