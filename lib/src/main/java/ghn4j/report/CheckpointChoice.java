package ghn4j.report;

import ghn4j.download.Store;
import ghn4j.ghn.GhnSource;
import ghn4j.io.Layout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which GHN-2 checkpoint a notebook uses, said the same way in every notebook: a published GHN
 * (ppuda's weights) when it can be had, else the one {@link GhnSource#choose} picks in the
 * checkout's {@code data/checkpoints/} (ghn4j's released checkpoint, {@link #RELEASED}), else the
 * randomly initialised GHN-2 of the reference fixtures — with a warning, as its predicted
 * parameters classify at chance level.
 */
public final class CheckpointChoice {

  /**
   * The base name of ghn4j's current released GHN-2 in {@code data/checkpoints/} (+ .json): the
   * first of {@link GhnSource#RELEASES}.
   */
  public static final String RELEASED = GhnSource.RELEASES.get(0);

  private static final String ADVICE = ". Get it";

  private CheckpointChoice() {}

  /** ghn4j's released GHN-2 weights in the checkout at {@code repoRoot} (may be absent). */
  public static Path released(Path repoRoot) {
    return new Layout(repoRoot).checkpoints().resolve(RELEASED + ".safetensors");
  }

  /**
   * ghn4j's earlier releases found in the checkout at {@code repoRoot} — every {@link
   * GhnSource#RELEASES} entry after the current one whose weights and config are there — labelled
   * as {@link #label} does, newest release first: for tables that keep an old checkpoint's row next
   * to the new one.
   */
  public static Map<String, GhnSource> earlierReleases(Path repoRoot) {
    Path dir = new Layout(repoRoot).checkpoints();
    Map<String, GhnSource> found = new LinkedHashMap<>();
    for (String name : GhnSource.RELEASES.subList(1, GhnSource.RELEASES.size())) {
      Path weights = dir.resolve(name + ".safetensors");
      if (Files.isRegularFile(weights) && Files.isRegularFile(dir.resolve(name + ".json"))) {
        GhnSource s = GhnSource.of(weights);
        found.put(label(s), s);
      }
    }
    return found;
  }

  /**
   * The checkout's GHN: {@link GhnSource#choose} on {@code data/checkpoints/} with the reference
   * fixtures found from {@code repoRoot}; prints a two-line warning on {@code out} when that is the
   * untrained fixture GHN.
   *
   * @throws IllegalStateException when there is no checkpoint and no fixtures (naming both places)
   */
  public static GhnSource local(Path repoRoot, PrintStream out) {
    Layout layout = new Layout(repoRoot);
    GhnSource source = GhnSource.choose(layout.checkpoints(), layout.fixtures());
    if (!source.trained()) {
      out.println(
          "WARNING: no trained GHN checkpoint in data/checkpoints/ — using the randomly initialised"
              + " GHN-2");
      out.println(
          "WARNING: of the reference fixtures. Its predicted parameters classify at chance level"
              + " (~10 %).");
    }
    return source;
  }

  /**
   * A published GHN by catalog name ({@link GhnSource#pretrained}) when it is cached or can be
   * fetched; else empty, after printing on {@code out} why it is not available.
   */
  public static Optional<GhnSource> published(String name, Store store, PrintStream out) {
    return published(name, store, true, out);
  }

  /**
   * The published GHNs of {@code rows} (row label → catalog name) that can be had, in order; for
   * each that cannot, one line on {@code out} why, with the where-to-get-it advice only for the
   * first of them.
   */
  public static Map<String, GhnSource> published(
      Map<String, String> rows, Store store, PrintStream out) {
    Map<String, GhnSource> found = new LinkedHashMap<>();
    boolean advised = false;
    for (Map.Entry<String, String> e : rows.entrySet()) {
      Optional<GhnSource> s = published(e.getValue(), store, !advised, out);
      s.ifPresent(source -> found.put(e.getKey(), source));
      advised |= s.isEmpty();
    }
    return found;
  }

  private static Optional<GhnSource> published(
      String name, Store store, boolean withAdvice, PrintStream out) {
    try {
      return Optional.of(GhnSource.pretrained(name, store));
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      int cut = m.indexOf(ADVICE);
      out.println(
          name + " not available: " + (withAdvice || cut < 0 ? m : m.substring(0, cut + 1)));
      return Optional.empty();
    }
  }

  /** The row label of a checkout GHN in a results table: its file name, or "RANDOM GHN-2". */
  public static String label(GhnSource source) {
    return source.trained() ? source.file().getFileName().toString() : "RANDOM GHN-2";
  }
}
