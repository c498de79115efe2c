package ghn4j.deepnets;

import ghn4j.data.TarReader;
import ghn4j.download.Catalog;
import ghn4j.download.Store;
import ghn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The official DeepNets-1M files of ppuda ({@code data/download.sh}): {@code eval}, {@code search}
 * and {@code train} HDF5 graph files and the {@code meta} archive, fetched and MD5-checked through
 * the {@link Store} (catalog names {@code deepnets1m-<part>}). The meta archive is unpacked next to
 * it into ppuda's {@code deepnets1m_<eval|search|train>_meta.json}: the net arguments of every
 * split, which is what evaluation needs ({@link ReferenceMeta} rebuilds each net from them). The
 * HDF5 files are fetched and verified but not read (their node arrays are out of step with their
 * adjacency: see {@link ReferenceMeta}).
 */
public final class OfficialDeepNets {

  /** The downloadable parts, as {@code ./ghn4j data deepnets1m get} names them. */
  public static final List<String> PARTS = List.of("eval", "meta", "search", "train");

  /** The meta JSON of the evaluation splits (val, test, wide, deep, dense, bnfree). */
  public static final String EVAL_META = "deepnets1m_eval_meta.json";

  private OfficialDeepNets() {}

  /** The catalog name of a part ({@code eval} → {@code deepnets1m-eval}). */
  public static String entryName(String part) {
    if (!PARTS.contains(part)) {
      throw new IllegalArgumentException(
          "unknown DeepNets-1M part '" + part + "' (" + String.join(", ", PARTS) + ")");
    }
    return "deepnets1m-" + part;
  }

  /**
   * Fetches and verifies a part (nothing when it is cached); the meta archive is then unpacked next
   * to it.
   *
   * @return the part's file (the archive for {@code meta})
   */
  public static Path get(String part, Store store) throws IOException {
    Path file = store.get(entryName(part));
    if (part.equals("meta")) {
      List<Path> files = unpack(file, file.toAbsolutePath().getParent());
      System.err.println(
          "ghn4j: unpacked "
              + files.size()
              + " files of "
              + file.getFileName()
              + ": "
              + files.stream().map(p -> p.getFileName().toString()).toList());
    }
    return file;
  }

  /**
   * Writes every regular file of a .tar/.tar.gz under {@code dir} (each atomically; members that
   * would land outside {@code dir} are refused).
   *
   * @return the files written
   */
  public static List<Path> unpack(Path archive, Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    List<Path> out = new ArrayList<>();
    TarReader.read(
        archive,
        entry -> {
          if (entry.directory()) {
            return;
          }
          Path target = root.resolve(entry.name()).normalize();
          if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException(
                archive + ": member '" + entry.name() + "' would be written outside " + root);
          }
          byte[] content = entry.content();
          AtomicFiles.write(target, o -> o.write(content));
          out.add(target);
        });
    return out;
  }

  /**
   * ppuda's meta JSON named {@code fileName} (e.g. {@link #EVAL_META}) if the meta archive has been
   * unpacked in the store's DeepNets-1M folder (at any depth up to 3, whatever folder the archive
   * keeps it in).
   */
  public static Optional<Path> meta(Store store, String fileName) throws IOException {
    Path dir = store.folder(Catalog.Kind.DEEPNETS1M);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.walk(dir, 3)) {
      return s.filter(p -> p.getFileName().toString().equals(fileName) && Files.isRegularFile(p))
          .sorted()
          .findFirst();
    }
  }

  /** The official evaluation-split meta JSON when it is in the store (see {@link #meta}). */
  public static Optional<Path> evalMeta(Store store) throws IOException {
    return meta(store, EVAL_META);
  }
}
