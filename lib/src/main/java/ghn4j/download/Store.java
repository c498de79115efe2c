package ghn4j.download;

import ghn4j.download.Catalog.Entry;
import ghn4j.download.Catalog.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cache of catalogued files: {@code <cache>/checkpoints/} for GHN checkpoints, {@code
 * <cache>/deepnets1m/} for DeepNets-1M files (see {@link DownloadSettings#cache()}). Files that
 * ship inside the ghn4j repository (the released checkpoint) are used where they are, after the
 * same check, and never copied or deleted; outside a checkout they are fetched from the mirror when
 * one is set.
 */
public final class Store {

  /** Whether an entry can be used without the network. */
  public enum State {
    /** every file present and verified (its verification note is current) */
    CACHED,
    /** every file present, not verified since it last changed ({@code get} checks it) */
    PRESENT,
    /** a download was interrupted; {@code get} resumes it */
    PARTIAL,
    /** not here */
    MISSING
  }

  /** One line of a listing: the entry, its state and where its main file is (or would be). */
  public record Status(Entry entry, State state, Path path) {}

  private final Downloader downloader;
  private final Catalog catalog;
  private final Path repoRoot;

  /**
   * @param repoRoot the ghn4j checkout whose {@code repo_path} files to use; null when there is
   *     none
   */
  public Store(DownloadSettings settings, Catalog catalog, Path repoRoot) {
    this.downloader = new Downloader(settings);
    this.catalog = catalog;
    this.repoRoot = repoRoot;
  }

  /**
   * The standard catalog with this process's settings ({@link DownloadSettings#fromEnvironment()}).
   */
  public static Store standard() {
    return new Store(
        DownloadSettings.fromEnvironment(), Catalog.standard(), findRepoRoot().orElse(null));
  }

  /** As {@link #standard()} with other settings. */
  public static Store standard(DownloadSettings settings) {
    return new Store(settings, Catalog.standard(), findRepoRoot().orElse(null));
  }

  public Catalog catalog() {
    return catalog;
  }

  public DownloadSettings settings() {
    return downloader.settings();
  }

  /** The cache folder of one kind of file. */
  public Path folder(Kind kind) {
    return settings().cache().resolve(kind.folder());
  }

  /**
   * Where {@code file} of {@code entry} is, or will be put: in the checkout when it ships there,
   * else in the cache.
   */
  public Path location(Entry entry, RemoteFile file) {
    Path inRepo = repoFile(file);
    return inRepo != null && Files.isRegularFile(inRepo)
        ? inRepo
        : folder(entry.kind()).resolve(file.name());
  }

  /** The state of {@code entry} without reading its files or touching the network. */
  public Status status(Entry entry) {
    State state = State.CACHED;
    for (RemoteFile f : entry.files()) {
      Path p = location(entry, f);
      State s;
      if (!Files.isRegularFile(p)) {
        s = Files.isRegularFile(Downloader.part(p)) ? State.PARTIAL : State.MISSING;
      } else {
        RemoteFile known = known(f, p);
        s = known != null && Downloader.hasValidNote(known, p) ? State.CACHED : State.PRESENT;
      }
      if (s.ordinal() > state.ordinal()) {
        state = s;
      }
    }
    return new Status(entry, state, location(entry, entry.main()));
  }

  /** Every entry's status, in catalog order. */
  public List<Status> list() {
    List<Status> out = new ArrayList<>();
    for (Entry e : catalog.entries()) {
      out.add(status(e));
    }
    return out;
  }

  /** {@link #get(Entry)} by name. */
  public Path get(String name) throws IOException {
    return get(catalog.get(name));
  }

  /**
   * The verified main file of {@code entry}, downloading what is missing (see {@link Downloader}).
   *
   * @throws MissingFileException when a file is missing and cannot be fetched (offline, no network)
   * @throws IOException on a failed or corrupt download, or a checkout file that does not match its
   *     recorded hash
   */
  public Path get(Entry entry) throws IOException {
    for (RemoteFile f : entry.files()) {
      Path inRepo = repoFile(f);
      if (inRepo != null && Files.isRegularFile(inRepo)) {
        if (!Downloader.isVerified(f, inRepo)) {
          throw new IOException(
              inRepo
                  + " does not match the "
                  + f.checksum()
                  + " recorded for '"
                  + entry.name()
                  + "' (modified or replaced in this checkout; `git status` shows it): not used");
        }
        continue;
      }
      downloader.fetch(
          f,
          folder(entry.kind()).resolve(f.name()),
          f.hubSha256()
              ? ""
              : "A file put there by hand is "
                  + "checked against its "
                  + f.checksum()
                  + " when it is first used.");
    }
    return location(entry, entry.main());
  }

  /**
   * {@code file} with the digest it is checked against: its own, or for a hub file the SHA-256
   * recorded on its first download ({@link HubDigest}); null for a hub file without a record.
   */
  public RemoteFile known(Entry entry, RemoteFile file) {
    return known(file, location(entry, file));
  }

  private static RemoteFile known(RemoteFile f, Path p) {
    if (!f.hubSha256()) {
      return f;
    }
    try {
      return HubDigest.recorded(p).map(c -> f.withDigest(c, -1)).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The verified main file of {@code entry} if every file is here (reads them to check), without
   * the network.
   */
  public Optional<Path> cached(Entry entry) throws IOException {
    for (RemoteFile f : entry.files()) {
      RemoteFile known = known(f, location(entry, f));
      if (known == null || !Downloader.isVerified(known, location(entry, f))) {
        return Optional.empty();
      }
    }
    return Optional.of(location(entry, entry.main()));
  }

  private Path repoFile(RemoteFile f) {
    return f.repoPath() == null || repoRoot == null ? null : repoRoot.resolve(f.repoPath());
  }

  /**
   * The ghn4j checkout, as {@link ghn4j.io.Layout#findRoot()} finds it (the system property, else
   * the nearest checkout at or above the working directory); empty if none.
   */
  public static Optional<Path> findRepoRoot() {
    return ghn4j.io.Layout.findRoot();
  }
}
