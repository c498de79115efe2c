package ghn4j.ghn;

import ghn4j.download.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which GHN checkpoint a notebook or tool should load, in order of preference:
 *
 * <ol>
 *   <li>{@link Kind#GHN4J} — a checkpoint you trained with ghn4j and put in the checkpoints folder
 *       ({@code data/checkpoints/}): a {@code <name>.json} config with its {@code
 *       <name>.safetensors} weights (the newest if several);
 *   <li>{@link Kind#PPUDA} — an official ppuda checkpoint you put there ({@code *.pt}, e.g. {@code
 *       ghn2_cifar10.pt}; the newest if several);
 *   <li>{@link Kind#GHN4J} — ghn4j's released checkpoints shipped in that folder ({@link
 *       #RELEASES}), the current one first. They rank below what you add, and by this list rather
 *       than by file time, which a fresh clone sets in checkout order;
 *   <li>{@link Kind#RANDOM_FIXTURE} — the randomly initialised GHN-2 of the reference fixtures
 *       ({@code ghn/ghn2-random.pt}): its predictions are untrained, so networks using them
 *       classify at chance level.
 * </ol>
 *
 * @param file the file to pass to {@link Ghn#load(Path)}
 * @param kind where it comes from
 */
public record GhnSource(Path file, Kind kind) {

  /**
   * ghn4j's released GHN-2 checkpoints in {@code data/checkpoints/} (base names of {@code
   * <name>.json} + {@code <name>.safetensors}), the default first.
   */
  public static final List<String> RELEASES =
      List.of("ghn2-cifar10-cpu-v2-dropout", "ghn2-cifar10-cpu-v2", "ghn2-cifar10-cpu2h");

  /** Where a checkpoint comes from. */
  public enum Kind {
    /** trained with ghn4j (safetensors + JSON config) */
    GHN4J,
    /** an official ppuda checkpoint (.pt) */
    PPUDA,
    /** the fixtures' randomly initialised GHN-2: not trained */
    RANDOM_FIXTURE
  }

  /** True unless this is the untrained fixture GHN. */
  public boolean trained() {
    return kind != Kind.RANDOM_FIXTURE;
  }

  /** One line for a notebook: what is loaded and from where. */
  public String describe() {
    return switch (kind) {
      case GHN4J -> "ghn4j-trained GHN " + file;
      case PPUDA -> "official ppuda checkpoint " + file;
      case RANDOM_FIXTURE ->
          "RANDOMLY INITIALISED GHN-2 (reference fixture) "
              + file
              + " — not trained: its predicted parameters give chance-level accuracy (~10 % on CIFAR-10)";
    };
  }

  /**
   * A checkpoint the user named: an official ppuda {@code .pt}, else a ghn4j {@code .safetensors}
   * (+ .json).
   */
  public static GhnSource of(Path file) {
    return new GhnSource(
        file, file.getFileName().toString().endsWith(".pt") ? Kind.PPUDA : Kind.GHN4J);
  }

  /**
   * A published GHN by catalog name (see {@link Ghn#pretrained(String)}), fetched and verified:
   * {@link Kind#PPUDA} for ppuda's {@code .pt} files, {@link Kind#GHN4J} for ghn4j's released
   * checkpoint.
   *
   * @throws IOException when it is not cached and cannot be fetched, or fails its check (the
   *     message says why)
   */
  public static GhnSource pretrained(String name, Store store) throws IOException {
    Path file = store.get(name);
    return of(file);
  }

  /**
   * The preferred checkpoint.
   *
   * @param checkpointsDir folder of trained checkpoints (may not exist)
   * @param fixturesDir the reference fixtures, when available
   * @throws IllegalStateException when there is none at all, naming the places looked at
   */
  public static GhnSource choose(Path checkpointsDir, Optional<Path> fixturesDir) {
    return choose(checkpointsDir, fixturesDir, RELEASES);
  }

  /** {@link #choose(Path, Optional)} with {@code releases} as the shipped checkpoints. */
  static GhnSource choose(Path checkpointsDir, Optional<Path> fixturesDir, List<String> releases) {
    Optional<Path> ours = newest(checkpointsDir, ".json", releases);
    if (ours.isPresent()) {
      return new GhnSource(weightsOf(ours.get()), Kind.GHN4J);
    }
    Optional<Path> pt = newest(checkpointsDir, ".pt", List.of());
    if (pt.isPresent()) {
      return new GhnSource(pt.get(), Kind.PPUDA);
    }
    for (String r : releases) {
      Path json = checkpointsDir.resolve(r + ".json");
      if (Files.isRegularFile(json) && hasWeights(json)) {
        return new GhnSource(weightsOf(json), Kind.GHN4J);
      }
    }
    if (fixturesDir.isPresent()) {
      Path random = fixturesDir.get().resolve("ghn").resolve("ghn2-random.pt");
      if (Files.isRegularFile(random)) {
        return new GhnSource(random, Kind.RANDOM_FIXTURE);
      }
    }
    throw new IllegalStateException(
        "no GHN checkpoint: none in "
            + checkpointsDir.toAbsolutePath()
            + " (<name>.json + <name>.safetensors, or a ppuda .pt) and no ghn/ghn2-random.pt in the reference fixtures "
            + fixturesDir.map(Path::toString).orElse("(not found)"));
  }

  private static String baseName(Path json) {
    String name = json.getFileName().toString();
    return name.substring(0, name.length() - ".json".length());
  }

  private static Path weightsOf(Path json) {
    return json.resolveSibling(baseName(json) + ".safetensors");
  }

  private static boolean hasWeights(Path json) {
    String name = json.getFileName().toString();
    return Files.isRegularFile(
        json.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".safetensors"));
  }

  /**
   * The newest {@code *suffix} in {@code dir}; JSON configs need their weights and a base name not
   * in {@code except}.
   */
  private static Optional<Path> newest(Path dir, String suffix, List<String> except) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files =
          s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix))
              .filter(
                  p -> !suffix.equals(".json") || hasWeights(p) && !except.contains(baseName(p)))
              .sorted(
                  Comparator.comparing(GhnSource::modified)
                      .reversed()
                      .thenComparing(Path::toString))
              .toList();
      return files.stream().findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(p + ": " + e.getMessage(), e);
    }
  }
}
