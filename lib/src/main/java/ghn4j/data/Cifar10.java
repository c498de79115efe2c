package ghn4j.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ghn4j.data.Cifar10Source.Fingerprint;
import ghn4j.data.Cifar10Source.Splits;
import ghn4j.download.Checksum;
import ghn4j.download.DownloadSettings;
import ghn4j.download.Downloader;
import ghn4j.download.RemoteFile;
import ghn4j.io.AtomicFiles;
import ghn4j.io.Layout;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CIFAR-10 (Krizhevsky 2009; 50,000 train and 10,000 test 32×32 RGB images, 10 classes) from the
 * local binary cache under {@code <dataDir>/cifar10/}. {@link #prepare} builds that cache once from
 * the official archive, an ImageFolder tree or a .tar.gz of one; {@link #load} reads it back in
 * well under two seconds.
 *
 * <p>One unit (~350 lines): the cache format with its builder ({@link #prepare}) and its reader
 * ({@link #load}), which must agree.
 */
public final class Cifar10 {

  /**
   * The official binary archive and its published MD5
   * (https://www.cs.toronto.edu/~kriz/cifar.html).
   */
  public static final String OFFICIAL_URL =
      "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

  /** The published MD5 of {@link #OFFICIAL_URL}. */
  public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

  /** Environment variable naming a source to prepare from when none is given. */
  public static final String SOURCE_ENV = "GHN4J_CIFAR10";

  static final String DIR = "cifar10";
  static final String TRAIN = "train.bin";
  static final String TEST = "test.bin";
  static final String CLASSES = "classes.txt";
  static final String MANIFEST = "source.json";
  private static final String OFFICIAL_NAME = "cifar-10-binary.tar.gz";
  private static final String PREPARE = "./ghn4j data prepare";
  private static final Logger LOG = LoggerFactory.getLogger(Cifar10.class);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Where to download from when no source is given (package-private so tests can use a local
   * server).
   */
  record Official(URI url, String md5) {
    static final Official DEFAULT = new Official(URI.create(OFFICIAL_URL), OFFICIAL_MD5);
  }

  /**
   * source.json: where the cache came from and what it holds (written last: it marks the cache
   * complete).
   */
  record Manifest(
      String dataset,
      int format,
      Fingerprint source,
      List<String> classes,
      Map<String, ImageCache.Info> files,
      String created) {}

  private final ImageSet train;
  private final ImageSet test;
  private final List<String> classes;

  private Cifar10(ImageSet train, ImageSet test, List<String> classes) {
    this.train = train;
    this.test = test;
    this.classes = List.copyOf(classes);
  }

  /**
   * The 50,000 training images, in the source's order (official: batch order; ImageFolder: class by
   * class).
   */
  public ImageSet train() {
    return train;
  }

  /** The 10,000 test images. */
  public ImageSet test() {
    return test;
  }

  /** The 10 class names; label i is classes().get(i). */
  public List<String> classes() {
    return classes;
  }

  /** The data directory to use by default: {@code <root>/data} of {@link Layout#detect()}. */
  public static Path defaultDataDir() {
    return Layout.detect().data();
  }

  /**
   * Loads CIFAR-10 from the cache in {@code <dataDir>/cifar10/}, verifying every file.
   *
   * @throws IOException naming the missing or damaged file and the command to (re)build the cache
   */
  public static Cifar10 load(Path dataDir) throws IOException {
    Path dir = dataDir.resolve(DIR);
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IOException(
          "CIFAR-10 is not prepared in "
              + dataDir
              + ": "
              + manifestFile
              + " is missing; run "
              + PREPARE
              + " (or Cifar10.prepare)");
    }
    Manifest manifest;
    try {
      manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
    } catch (IOException e) {
      throw new IOException(
          manifestFile + ": unreadable (" + e.getMessage() + "); run " + PREPARE, e);
    }
    if (manifest.format() != ImageCache.VERSION
        || manifest.files() == null
        || manifest.classes() == null) {
      throw new IOException(
          manifestFile
              + ": cache format "
              + manifest.format()
              + " or content not understood by "
              + "this ghn4j; run "
              + PREPARE);
    }
    Path classesFile = dir.resolve(CLASSES);
    if (!Files.isRegularFile(classesFile)) {
      throw new IOException(
          "CIFAR-10 cache is incomplete: " + classesFile + " is missing; run " + PREPARE);
    }
    List<String> classes =
        Files.readAllLines(classesFile, StandardCharsets.UTF_8).stream()
            .filter(s -> !s.isBlank())
            .toList();
    if (!classes.equals(manifest.classes())) {
      throw new IOException(
          classesFile
              + ": classes "
              + classes
              + " differ from "
              + manifestFile
              + " "
              + manifest.classes()
              + "; run "
              + PREPARE);
    }
    ImageSet train = readSplit(dir, TRAIN, classes, manifest);
    ImageSet test = readSplit(dir, TEST, classes, manifest);
    return new Cifar10(train, test, classes);
  }

  /**
   * Builds the cache from a source — the official {@code cifar-10-binary.tar.gz} (or its extracted
   * folder), an ImageFolder directory ({@code train/<class>/*}, {@code test/<class>/*}, 32×32 RGB
   * PNG/JPEG) or a .tar/.tar.gz of one — and returns the dataset. With a null source it uses the
   * environment variable {@value #SOURCE_ENV}, else it keeps any complete, valid cache, else it
   * downloads the official archive (to {@code <dataDir>/downloads/}, MD5-checked). A file named
   * {@code cifar-10-binary.tar.gz} must have the official MD5.
   *
   * <p>Idempotent: when a complete, valid cache built from the same source (same content digest;
   * for a directory, the same listing of names, sizes and modification times) exists, it is loaded
   * and nothing is rebuilt. On bad input the exception names the file and the problem, and the
   * existing cache (if any) is left as it was; cache files are written atomically and source.json,
   * the completeness marker, last.
   */
  public static Cifar10 prepare(String sourceOrNull, Path dataDir) throws IOException {
    return prepare(sourceOrNull, System.getenv(SOURCE_ENV), dataDir, Official.DEFAULT);
  }

  static Cifar10 prepare(String sourceOrNull, String envSource, Path dataDir, Official official)
      throws IOException {
    Path dir = dataDir.resolve(DIR);
    String source =
        sourceOrNull != null && !sourceOrNull.isBlank()
            ? sourceOrNull
            : envSource != null && !envSource.isBlank() ? envSource : null;
    Path path;
    if (source == null) {
      // No source asked for: any complete, valid cache will do (no surprise download replacing a
      // chosen source).
      Cifar10 cached =
          validCache(
              dataDir,
              m -> {
                LOG.info(
                    "CIFAR-10 cache in {} exists (built from {}); kept. Pass --source or set {} to use another source",
                    dir,
                    m.source() == null ? "?" : m.source().location(),
                    SOURCE_ENV);
                return true;
              });
      if (cached != null) {
        return cached;
      }
      path = dataDir.resolve("downloads").resolve(OFFICIAL_NAME);
      LOG.info(
          "CIFAR-10 official archive {} (fetched from {} unless there and verified)",
          path,
          official.url());
      // the shared downloader: progress bar, resume, MD5 check, atomic rename, GHN4J_MIRROR /
      // GHN4J_OFFLINE
      new Downloader(DownloadSettings.fromEnvironment())
          .fetch(
              new RemoteFile(
                  OFFICIAL_NAME, official.url(), null, -1, "170 MB", Checksum.md5(official.md5())),
              path,
              "Download "
                  + OFFICIAL_NAME
                  + " yourself (e.g. from "
                  + official.url()
                  + " on a machine with access) and set "
                  + SOURCE_ENV
                  + "=/path/to/"
                  + OFFICIAL_NAME
                  + " or pass --source");
    } else {
      path = Path.of(source);
      if (!Files.exists(path)) {
        throw new IOException(
            "CIFAR-10 source "
                + path.toAbsolutePath()
                + " does not exist"
                + (sourceOrNull == null ? " (from " + SOURCE_ENV + ")" : ""));
      }
    }
    Fingerprint fingerprint = Cifar10Source.fingerprint(path);
    if (path.getFileName().toString().equals(OFFICIAL_NAME)
        && !official.md5().equalsIgnoreCase(fingerprint.md5())) {
      throw new IOException(
          path.toAbsolutePath()
              + ": MD5 "
              + fingerprint.md5()
              + " does not match the published "
              + official.md5()
              + " of "
              + OFFICIAL_NAME
              + " (corrupt or incomplete download?)");
    }
    Cifar10 cached =
        validCache(
            dataDir,
            m ->
                m.source() != null
                    && fingerprint.kind().equals(m.source().kind())
                    && fingerprint.sha256().equals(m.source().sha256()));
    if (cached != null) {
      LOG.info("CIFAR-10 cache in {} is up to date ({})", dir, path);
      return cached;
    }
    LOG.info("reading CIFAR-10 from {}", path.toAbsolutePath());
    Splits splits = Cifar10Source.read(path);
    LOG.info("writing the CIFAR-10 cache to {}", dir);
    write(dir, splits, fingerprint);
    return new Cifar10(splits.train(), splits.test(), splits.classes());
  }

  @Override
  public String toString() {
    return "Cifar10[train " + train.size() + ", test " + test.size() + ", classes " + classes + "]";
  }

  private static void write(Path dir, Splits splits, Fingerprint fingerprint) throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(MANIFEST)); // incomplete until the new manifest is in place
    Map<String, ImageCache.Info> files = new LinkedHashMap<>();
    files.put(TRAIN, ImageCache.write(dir.resolve(TRAIN), splits.train()));
    files.put(TEST, ImageCache.write(dir.resolve(TEST), splits.test()));
    AtomicFiles.writeString(dir.resolve(CLASSES), String.join("\n", splits.classes()) + "\n");
    Manifest manifest =
        new Manifest(
            "CIFAR-10",
            ImageCache.VERSION,
            fingerprint,
            splits.classes(),
            files,
            Instant.now().toString());
    AtomicFiles.write(dir.resolve(MANIFEST), out -> out.write(JSON.writeValueAsBytes(manifest)));
  }

  private static ImageSet readSplit(Path dir, String name, List<String> classes, Manifest manifest)
      throws IOException {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "CIFAR-10 cache is incomplete: " + file + " is missing; run " + PREPARE);
    }
    ImageCache.Info expected = manifest.files().get(name);
    ImageCache.Info found = ImageCache.peek(file);
    if (expected != null && found != null && !expected.equals(found)) {
      throw new IOException(
          file
              + ": holds "
              + found
              + " but "
              + dir.resolve(MANIFEST)
              + " records "
              + expected
              + " (files from different prepare runs); run "
              + PREPARE);
    }
    return ImageCache.read(file, classes);
  }

  /**
   * The cache when it is complete, valid and {@code sameSource} accepts its manifest; else null
   * (with the reason logged).
   */
  private static Cifar10 validCache(
      Path dataDir, java.util.function.Predicate<Manifest> sameSource) {
    Path manifestFile = dataDir.resolve(DIR).resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      return null;
    }
    try {
      Manifest m = JSON.readValue(manifestFile.toFile(), Manifest.class);
      if (!sameSource.test(m)) {
        LOG.info(
            "CIFAR-10 cache in {} was built from another source ({}); rebuilding",
            manifestFile.getParent(),
            m.source() == null ? "?" : m.source().location());
        return null;
      }
      return load(dataDir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("CIFAR-10 cache is not usable, rebuilding: {}", e.toString());
      return null;
    }
  }
}
