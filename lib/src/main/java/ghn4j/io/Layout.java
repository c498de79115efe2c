package ghn4j.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the checkout's files are: its root and the folders under {@code data/} (datasets, runs,
 * DeepNets-1M splits, checkpoints, results), and the shared reference fixtures next to it. The one
 * place that reads {@code ghn4j.root} and {@code ghn4j.fixtures}, so that the CLI, the notebooks
 * and the tests agree on every default path.
 *
 * <p>The root is the system property {@code ghn4j.root} (set by {@code ./ghn4j} and the tests),
 * else the nearest directory at or above the working directory that holds a ghn4j checkout ({@code
 * lib/pom.xml} with the {@code ghn4j} launcher or {@code data/README.md}: notebooks run in {@code
 * notebooks/}, tests in {@code lib/}), else the working directory.
 */
public record Layout(Path root) {

  /** The system property naming the checkout (set by {@code ./ghn4j} and surefire). */
  public static final String ROOT_PROPERTY = "ghn4j.root";

  /**
   * The system property naming the reference fixtures, then the environment variable {@link
   * #FIXTURES_ENV}.
   */
  public static final String FIXTURES_PROPERTY = "ghn4j.fixtures";

  /** The environment variable naming the reference fixtures. */
  public static final String FIXTURES_ENV = "GHN4J_FIXTURES";

  /** The layout of the checkout this JVM works in (see the class comment for the order). */
  public static Layout detect() {
    return new Layout(findRoot().orElseGet(() -> Path.of("").toAbsolutePath()));
  }

  /**
   * The checkout: {@code ghn4j.root}, else the nearest checkout at or above the working directory;
   * empty if none.
   */
  public static Optional<Path> findRoot() {
    String prop = System.getProperty(ROOT_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return Optional.of(Path.of(prop).toAbsolutePath().normalize());
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("lib").resolve("pom.xml"))
          && (Files.isRegularFile(p.resolve("ghn4j"))
              || Files.isRegularFile(p.resolve("data").resolve("README.md")))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code <root>/data}: datasets, runs, splits, checkpoints and results (git-ignored but for
   * released files).
   */
  public Path data() {
    return root.resolve("data");
  }

  /** {@code data/runs}: one folder a training run (meta-training and SGD). */
  public Path runs() {
    return data().resolve("runs");
  }

  /** {@code data/deepnets1m}: DeepNets-1M split directories and ppuda's published files. */
  public Path splits() {
    return data().resolve("deepnets1m");
  }

  /** {@code data/checkpoints}: GHN checkpoints (released and downloaded). */
  public Path checkpoints() {
    return data().resolve("checkpoints");
  }

  /** {@code data/results}: evaluation results, benchmark tables. */
  public Path results() {
    return data().resolve("results");
  }

  /** {@code data/properties}: property-prediction ground truth and caches. */
  public Path properties() {
    return data().resolve("properties");
  }

  /**
   * The places the ppuda reference fixtures may be, in order: {@code ghn4j.fixtures}, {@code
   * GHN4J_FIXTURES}, then {@code <root>/../shared/fixtures/reference} (the shared folder next to
   * the checkout).
   */
  public List<Path> fixtureCandidates() {
    List<Path> out = new ArrayList<>();
    String prop = System.getProperty(FIXTURES_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      out.add(Path.of(prop));
    }
    String env = System.getenv(FIXTURES_ENV);
    if (env != null && !env.isBlank()) {
      out.add(Path.of(env));
    }
    out.add(root.resolve("..").resolve("shared").resolve("fixtures").resolve("reference"));
    return out;
  }

  /** The first fixture candidate that is a directory, normalised; empty when there is none. */
  public Optional<Path> fixtures() {
    for (Path p : fixtureCandidates()) {
      if (Files.isDirectory(p)) {
        return Optional.of(p.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }
}
