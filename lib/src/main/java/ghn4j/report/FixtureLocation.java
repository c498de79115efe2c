package ghn4j.report;

import ghn4j.io.Layout;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the ppuda reference fixtures are, for the notebooks (which call it with their repo root,
 * {@code Path.of("..")}): {@link Layout#fixtureCandidates()} of that root. New code uses {@link
 * Layout} directly.
 */
public final class FixtureLocation {

  private FixtureLocation() {}

  /** The places looked at, in order. */
  public static List<Path> candidates(Path repoRoot) {
    return new Layout(repoRoot).fixtureCandidates();
  }

  /** The first candidate that is a directory, normalised. */
  public static Optional<Path> find(Path repoRoot) {
    return new Layout(repoRoot).fixtures();
  }
}
