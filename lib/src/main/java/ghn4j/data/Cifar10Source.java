package ghn4j.data;

import ghn4j.data.ImageDecoder.Encoded;
import ghn4j.download.Checksum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads CIFAR-10 from any supported source — the official binary archive (or its extracted
 * cifar-10-batches-bin folder), an ImageFolder tree, or a .tar/.tar.gz of one — into decoded
 * train/test sets, and fingerprints the source.
 */
final class Cifar10Source {

  static final int HEIGHT = 32;
  static final int WIDTH = 32;
  static final int CHANNELS = 3;
  static final int NUM_CLASSES = 10;
  private static final int RECORD = 1 + CHANNELS * HEIGHT * WIDTH;
  private static final List<String> BATCHES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin",
          "test_batch.bin");
  private static final String META = "batches.meta.txt";

  /** The decoded dataset. */
  record Splits(ImageSet train, ImageSet test, List<String> classes) {}

  /**
   * What the cache was built from: kind, absolute location, size and digests (for a directory: of
   * its listing).
   */
  record Fingerprint(String kind, String location, long bytes, String sha256, String md5) {}

  private Cifar10Source() {}

  /** Identifies {@code source} without decoding it: the kind and a content digest. */
  static Fingerprint fingerprint(Path source) throws IOException {
    Path abs = source.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      // A digest of the listing (relative path, size, modification time), not of every byte: cheap
      // for 60k files.
      MessageDigest sha = Checksum.digest("SHA-256");
      long total = 0;
      try (Stream<Path> walk = Files.walk(abs)) {
        for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
          long size = Files.size(p);
          total += size;
          sha.update(
              (abs.relativize(p)
                      + "\t"
                      + size
                      + "\t"
                      + Files.getLastModifiedTime(p).toMillis()
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
      String kind = binaryDir(abs) != null ? "cifar10-binary-dir" : "imagefolder-dir";
      return new Fingerprint(
          kind, abs.toString(), total, HexFormat.of().formatHex(sha.digest()), null);
    }
    if (!Files.isRegularFile(abs)) {
      throw new IOException("CIFAR-10 source " + abs + " does not exist");
    }
    if (!TarReader.isTarName(abs)) {
      throw new IOException(
          "CIFAR-10 source "
              + abs
              + " is not a supported source: give the official "
              + "cifar-10-binary.tar.gz, an ImageFolder directory (train/<class>/*, test/<class>/*) or a .tar/.tar.gz of one");
    }
    MessageDigest sha = Checksum.digest("SHA-256");
    MessageDigest md5 = Checksum.digest("MD5");
    byte[] buf = new byte[1 << 16];
    long total = 0;
    try (InputStream in = Files.newInputStream(abs)) {
      int r;
      while ((r = in.read(buf)) >= 0) {
        sha.update(buf, 0, r);
        md5.update(buf, 0, r);
        total += r;
      }
    }
    return new Fingerprint(
        "archive",
        abs.toString(),
        total,
        HexFormat.of().formatHex(sha.digest()),
        HexFormat.of().formatHex(md5.digest()));
  }

  /** Decodes {@code source} (see the class comment). */
  static Splits read(Path source) throws IOException {
    Path abs = source.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      Path bin = binaryDir(abs);
      if (bin != null) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : concat(BATCHES, META)) {
          Path p = bin.resolve(name);
          if (!Files.isRegularFile(p)) {
            throw new IOException("CIFAR-10 binary folder " + bin + " lacks " + name);
          }
          files.put(name, Files.readAllBytes(p));
        }
        return fromBinary(bin.toString(), files);
      }
      for (String split : List.of("train", "test")) {
        if (!Files.isDirectory(abs.resolve(split))) {
          throw new IOException(
              "ImageFolder "
                  + abs
                  + " lacks the folder '"
                  + split
                  + "' (expected "
                  + split
                  + "/<class>/<image>)");
        }
      }
      return fromFolders(
          abs.toString(),
          ImageFolder.scanDirectory(abs.resolve("train")),
          ImageFolder.scanDirectory(abs.resolve("test")));
    }
    Map<String, byte[]> binary = new LinkedHashMap<>();
    Map<String, TreeMap<String, List<Encoded>>> splits =
        ImageFolder.scanArchive(
            abs,
            entry -> {
              String name = entry.name();
              String base = name.substring(name.lastIndexOf('/') + 1);
              if (!entry.directory() && (BATCHES.contains(base) || base.equals(META))) {
                binary.put(base, entry.content());
              }
            });
    if (!binary.isEmpty()) {
      for (String name : concat(BATCHES, META)) {
        if (!binary.containsKey(name)) {
          throw new IOException("CIFAR-10 archive " + abs + " lacks cifar-10-batches-bin/" + name);
        }
      }
      return fromBinary(abs.toString(), binary);
    }
    for (String split : List.of("train", "test")) {
      if (!splits.containsKey(split)) {
        throw new IOException(
            "archive "
                + abs
                + " has neither CIFAR-10 binary batches nor '"
                + split
                + "/<class>/<image>' entries");
      }
    }
    return fromFolders(abs.toString(), splits.get("train"), splits.get("test"));
  }

  private static Splits fromFolders(
      String where, TreeMap<String, List<Encoded>> train, TreeMap<String, List<Encoded>> test)
      throws IOException {
    for (String c : train.keySet()) {
      if (!test.containsKey(c)) {
        throw new IOException(
            where + ": class folder test/" + c + " is missing (train/" + c + " exists)");
      }
    }
    for (String c : test.keySet()) {
      if (!train.containsKey(c)) {
        throw new IOException(
            where + ": class folder train/" + c + " is missing (test/" + c + " exists)");
      }
    }
    if (train.size() != NUM_CLASSES) {
      throw new IOException(
          where
              + ": CIFAR-10 needs "
              + NUM_CLASSES
              + " class folders, found "
              + train.size()
              + " "
              + train.keySet());
    }
    ImageSet trainSet = ImageFolder.decode(where + "/train", train, HEIGHT, WIDTH, n -> {});
    ImageSet testSet = ImageFolder.decode(where + "/test", test, HEIGHT, WIDTH, n -> {});
    return new Splits(trainSet, testSet, trainSet.classes());
  }

  /**
   * Parses the official format: records of 1 label byte + 3072 CHW bytes; classes from
   * batches.meta.txt.
   */
  private static Splits fromBinary(String where, Map<String, byte[]> files) throws IOException {
    List<String> classes = new ArrayList<>();
    for (String line : new String(files.get(META), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        classes.add(line.strip());
      }
    }
    if (classes.size() != NUM_CLASSES) {
      throw new IOException(
          where + ": " + META + " lists " + classes.size() + " classes, expected " + NUM_CLASSES);
    }
    ImageSet train = batches(where, files, BATCHES.subList(0, 5), classes);
    ImageSet test = batches(where, files, BATCHES.subList(5, 6), classes);
    return new Splits(train, test, classes);
  }

  private static ImageSet batches(
      String where, Map<String, byte[]> files, List<String> names, List<String> classes)
      throws IOException {
    int n = 0;
    for (String name : names) {
      byte[] b = files.get(name);
      if (b.length == 0 || b.length % RECORD != 0) {
        throw new IOException(
            where
                + ": "
                + name
                + " has "
                + b.length
                + " bytes, not a whole number of "
                + RECORD
                + "-byte records (truncated or corrupt)");
      }
      n += b.length / RECORD;
    }
    int per = RECORD - 1;
    byte[] pixels = new byte[n * per];
    int[] labels = new int[n];
    int k = 0;
    for (String name : names) {
      byte[] b = files.get(name);
      for (int r = 0; r < b.length / RECORD; r++, k++) {
        int label = b[r * RECORD] & 0xFF;
        if (label >= classes.size()) {
          throw new IOException(
              where
                  + ": "
                  + name
                  + " record "
                  + r
                  + " has label "
                  + label
                  + ", outside [0, "
                  + classes.size()
                  + ")");
        }
        labels[k] = label;
        System.arraycopy(b, r * RECORD + 1, pixels, k * per, per);
      }
    }
    return new ImageSet(pixels, labels, classes, CHANNELS, HEIGHT, WIDTH);
  }

  /**
   * The folder holding data_batch_1.bin: {@code dir} itself or its cifar-10-batches-bin child; else
   * null.
   */
  private static Path binaryDir(Path dir) {
    if (Files.isRegularFile(dir.resolve("data_batch_1.bin"))) {
      return dir;
    }
    Path child = dir.resolve("cifar-10-batches-bin");
    return Files.isRegularFile(child.resolve("data_batch_1.bin")) ? child : null;
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> out = new ArrayList<>(a);
    out.add(b);
    return out;
  }
}
