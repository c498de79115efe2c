package ghn4j.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ppuda's published {@code data/results_cifar10.json}: the whole file from a ppuda checkout when
 * {@code GHN4J_PPUDA} names one, else the derived test resource {@code
 * ghn4j/properties/results_cifar10_first50.json} (the first 50 val/test nets and 2 of every other
 * split, values unchanged; {@code derive_results.py} next to it made it). So the tests that read it
 * never skip.
 */
public final class PublishedResults {

  private PublishedResults() {}

  /** The full published file, if a checkout is configured. */
  public static Path full() {
    String dir = System.getenv("GHN4J_PPUDA");
    Path f = dir == null ? null : Path.of(dir, "data", "results_cifar10.json");
    return f != null && Files.isRegularFile(f) ? f : null;
  }

  /** The full file when available, else the derived excerpt. */
  public static Path file() {
    Path f = full();
    return f != null ? f : excerpt();
  }

  /** The derived excerpt shipped with the tests. */
  public static Path excerpt() {
    try {
      var url =
          PublishedResults.class.getResource("/ghn4j/properties/results_cifar10_first50.json");
      if (url == null) {
        throw new IllegalStateException(
            "test resource ghn4j/properties/results_cifar10_first50.json is missing");
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
