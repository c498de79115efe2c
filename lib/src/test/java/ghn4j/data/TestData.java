package ghn4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Small generated datasets and archives for the data tests. */
public final class TestData {

  static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private TestData() {}

  /**
   * The shared CIFAR-10 JPEG archive (env GHN4J_CIFAR10 when it is that kind of file, else
   * ../../shared/data); skipped when absent, a failure under CI=true.
   */
  static Path sharedArchive() {
    String env = System.getenv("GHN4J_CIFAR10");
    if (env != null && env.endsWith("cifar10-jpg.tar.gz") && Files.isRegularFile(Path.of(env))) {
      return Path.of(env);
    }
    Path p = Path.of("../../shared/data/cifar10-jpg.tar.gz");
    ghn4j.testing.Fixtures.require(
        Files.isRegularFile(p),
        "the shared CIFAR-10 archive cifar10-jpg.tar.gz (env "
            + "GHN4J_CIFAR10 or "
            + p.toAbsolutePath()
            + ")");
    return p;
  }

  /** Deterministic CHW pixels of image {@code seed}. */
  static byte[] chw(int seed, int h, int w) {
    byte[] b = new byte[3 * h * w];
    new Random(seed).nextBytes(b);
    return b;
  }

  static BufferedImage toImage(byte[] chw, int h, int w) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int plane = h * w;
    for (int p = 0; p < plane; p++) {
      int r = chw[p] & 0xFF;
      int g = chw[plane + p] & 0xFF;
      int b = chw[2 * plane + p] & 0xFF;
      img.setRGB(p % w, p / w, (r << 16) | (g << 8) | b);
    }
    return img;
  }

  static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }

  /**
   * An ImageFolder tree as relative path → bytes: {@code perTrain}/{@code perTest} PNG images per
   * class (lossless, so pixels can be compared exactly); image k of class c has pixels chw(1000 * c
   * + k (+ 500 for test)).
   */
  static Map<String, byte[]> folderEntries(int perTrain, int perTest) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int c = 0; c < CLASSES.size(); c++) {
      for (int k = 0; k < perTrain; k++) {
        files.put(
            "train/" + CLASSES.get(c) + "/" + String.format("%04d.png", k),
            encode(toImage(chw(1000 * c + k, 32, 32), 32, 32), "png"));
      }
      for (int k = 0; k < perTest; k++) {
        files.put(
            "test/" + CLASSES.get(c) + "/" + String.format("%04d.png", k),
            encode(toImage(chw(1000 * c + 500 + k, 32, 32), 32, 32), "png"));
      }
    }
    return files;
  }

  static void writeTree(Path root, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
  }

  /**
   * The official binary layout, {@code perBatch} records per batch; record k of a split has label k
   * % 10.
   */
  static Map<String, byte[]> binaryEntries(int perBatch) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "cifar-10-batches-bin/batches.meta.txt",
        (String.join("\n", CLASSES) + "\n\n").getBytes(StandardCharsets.US_ASCII));
    int k = 0;
    for (int b = 1; b <= 6; b++) {
      String name = b <= 5 ? "data_batch_" + b + ".bin" : "test_batch.bin";
      if (b == 6) {
        k = 0;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int r = 0; r < perBatch; r++, k++) {
        out.write(k % 10);
        out.writeBytes(chw((b == 6 ? 100_000 : 0) + k, 32, 32));
      }
      files.put("cifar-10-batches-bin/" + name, out.toByteArray());
    }
    return files;
  }

  /**
   * Writes a gzip-compressed tar (ustar; names over 100 bytes as GNU long-name entries) with
   * directory entries.
   */
  public static void writeTarGz(Path file, Map<String, byte[]> files) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      java.util.Set<String> dirs = new java.util.HashSet<>();
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        String name = e.getKey();
        for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
          String dir = name.substring(0, i + 1);
          if (dirs.add(dir)) {
            tarEntry(out, dir, '5', new byte[0]);
          }
        }
        tarEntry(out, name, '0', e.getValue());
      }
      out.write(new byte[1024]);
    }
  }

  private static void tarEntry(OutputStream out, String name, char type, byte[] content)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      byte[] longName = new byte[nameBytes.length + 1];
      System.arraycopy(nameBytes, 0, longName, 0, nameBytes.length);
      tarEntry(out, "././@LongLink", 'L', longName);
    }
    byte[] h = new byte[512];
    System.arraycopy(nameBytes, 0, h, 0, Math.min(100, nameBytes.length));
    octal(h, 100, 8, type == '5' ? 0755 : 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, content.length);
    octal(h, 136, 12, 1_577_836_800L);
    h[156] = (byte) type;
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    octal(h, 148, 7, sum);
    out.write(h);
    out.write(content);
    out.write(new byte[(512 - content.length % 512) % 512]);
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
    h[off + len - 1] = 0;
  }

  /** Names of all files under {@code dir} (empty when it does not exist). */
  static List<String> listing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
