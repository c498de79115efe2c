package ghn4j.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the ppuda reference fixtures are (format: their README), for notebooks and tools outside the tests: the system
 * property {@code ghn4j.fixtures}, then the environment variable {@code GHN4J_FIXTURES}, then
 * {@code <repo root>/../shared/fixtures/reference} (the shared folder next to the checkout). A notebook passes its
 * repo root, {@code Path.of("..")} from {@code notebooks/}.
 */
public final class FixtureLocation {

  private FixtureLocation() {}

  /** The places looked at, in order. */
  public static List<Path> candidates(Path repoRoot) {
    List<Path> out = new ArrayList<>();
    String prop = System.getProperty("ghn4j.fixtures");
    if (prop != null && !prop.isBlank()) {
      out.add(Path.of(prop));
    }
    String env = System.getenv("GHN4J_FIXTURES");
    if (env != null && !env.isBlank()) {
      out.add(Path.of(env));
    }
    out.add(repoRoot.resolve("..").resolve("shared").resolve("fixtures").resolve("reference"));
    return out;
  }

  /** The first candidate that is a directory, normalised. */
  public static Optional<Path> find(Path repoRoot) {
    for (Path p : candidates(repoRoot)) {
      if (Files.isDirectory(p)) {
        return Optional.of(p.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }
}
