package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preparing and loading the CIFAR-10 cache from every kind of source, and every kind of bad input.
 */
class Cifar10Test {

  private static final Cifar10.Official NO_DOWNLOAD =
      new Cifar10.Official(URI.create("http://127.0.0.1:9/none"), Cifar10.OFFICIAL_MD5);

  @TempDir Path tmp;

  private Cifar10 prepare(Path source, Path dataDir) throws IOException {
    return Cifar10.prepare(source.toString(), null, dataDir, NO_DOWNLOAD);
  }

  /** Preparing {@code source} into {@code dataDir} fails with a message naming every part. */
  private void assertRejected(Path source, Path dataDir, String... parts) {
    IOException e = assertThrows(IOException.class, () -> prepare(source, dataDir));
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "no '" + part + "' in: " + e.getMessage());
    }
  }

  private static void assertFolderContent(Cifar10 c, int perTrain, int perTest) {
    assertEquals(TestData.CLASSES, c.classes());
    assertEquals(10 * perTrain, c.train().size());
    assertEquals(10 * perTest, c.test().size());
    for (int i = 0; i < c.train().size(); i++) {
      int cls = i / perTrain;
      assertEquals(cls, c.train().label(i));
      assertArrayEquals(
          TestData.chw(1000 * cls + i % perTrain, 32, 32), c.train().pixels(i), "train image " + i);
    }
    for (int i = 0; i < c.test().size(); i++) {
      int cls = i / perTest;
      assertEquals(cls, c.test().label(i));
      assertArrayEquals(
          TestData.chw(1000 * cls + 500 + i % perTest, 32, 32),
          c.test().pixels(i),
          "test image " + i);
    }
  }

  @Test
  void preparesFromAnImageFolderAndLoadsTheSameData() throws IOException {
    Path src = tmp.resolve("folder");
    TestData.writeTree(src, TestData.folderEntries(3, 2));
    Path data = tmp.resolve("data");
    assertFolderContent(prepare(src, data), 3, 2);
    assertEquals(
        List.of("classes.txt", "source.json", "test.bin", "train.bin"),
        TestData.listing(data.resolve("cifar10")));
    assertFolderContent(Cifar10.load(data), 3, 2);
    assertTrue(Files.readString(data.resolve("cifar10/source.json")).contains("imagefolder-dir"));
  }

  @Test
  void preparesFromATarGzOfAnImageFolderWithLongNames() throws IOException {
    Map<String, byte[]> files = TestData.folderEntries(2, 2);
    // a prefix directory and a name over 100 bytes (GNU long name) in an extra nested folder
    Map<String, byte[]> prefixed = new java.util.LinkedHashMap<>();
    files.forEach((k, v) -> prefixed.put("cifar10/" + k, v));
    String longName = "cifar10/train/truck/" + "x".repeat(120) + "/0000.png";
    prefixed.put(longName, files.get("train/truck/0001.png"));
    Path tgz = tmp.resolve("folder.tar.gz");
    TestData.writeTarGz(tgz, prefixed);
    Cifar10 c = prepare(tgz, tmp.resolve("data"));
    assertEquals(21, c.train().size());
    assertEquals(9, c.train().label(20));
    assertArrayEquals(TestData.chw(9001, 32, 32), c.train().pixels(20));
    assertArrayEquals(TestData.chw(1000 * 3 + 1, 32, 32), c.train().pixels(3 * 2 + 1));
  }

  @Test
  void preparesFromTheOfficialBinaryLayout() throws IOException {
    Path tgz = tmp.resolve("mini-cifar-binary.tar.gz");
    TestData.writeTarGz(tgz, TestData.binaryEntries(7));
    Cifar10 c = prepare(tgz, tmp.resolve("data"));
    assertEquals(TestData.CLASSES, c.classes());
    assertEquals(35, c.train().size());
    assertEquals(7, c.test().size());
    for (int k = 0; k < 35; k++) {
      assertEquals(k % 10, c.train().label(k));
      assertArrayEquals(TestData.chw(k, 32, 32), c.train().pixels(k));
    }
    assertArrayEquals(TestData.chw(100_006, 32, 32), c.test().pixels(6));
    assertEquals(6, c.test().label(6));
    // the extracted folder works too and gives the same data
    Path dir = tmp.resolve("extracted");
    TestData.writeTree(dir, TestData.binaryEntries(7));
    Cifar10 d = prepare(dir, tmp.resolve("data2"));
    assertArrayEquals(c.train().pixels(34), d.train().pixels(34));
  }

  @Test
  void secondPrepareFromTheSameSourceSkips() throws IOException {
    Path tgz = tmp.resolve("folder.tar.gz");
    TestData.writeTarGz(tgz, TestData.folderEntries(2, 1));
    Path data = tmp.resolve("data");
    prepare(tgz, data);
    Path train = data.resolve("cifar10/train.bin");
    FileTime before = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(train, before);
    // a copy elsewhere has the same content digest: still the same source
    Path copy = tmp.resolve("copy.tar.gz");
    Files.copy(tgz, copy);
    assertEquals(20, prepare(copy, data).train().size());
    assertEquals(before, Files.getLastModifiedTime(train), "the cache was rewritten");
    // a different source rebuilds
    Path other = tmp.resolve("other.tar.gz");
    TestData.writeTarGz(other, TestData.folderEntries(3, 1));
    assertEquals(30, prepare(other, data).train().size());
    assertEquals(30, Cifar10.load(data).train().size());
    // no source asked for: the existing cache is kept, nothing is downloaded
    assertEquals(30, Cifar10.prepare(null, null, data, NO_DOWNLOAD).train().size());
  }

  @Test
  void loadWithoutCacheNamesTheFileAndTheCommand() {
    IOException e = assertThrows(IOException.class, () -> Cifar10.load(tmp.resolve("nothing")));
    assertTrue(
        e.getMessage().contains("source.json") && e.getMessage().contains("./ghn4j data prepare"),
        e.getMessage());
  }

  @Test
  void truncatedOrCorruptCacheIsReportedAndRebuiltByPrepare() throws IOException {
    Path src = tmp.resolve("folder");
    TestData.writeTree(src, TestData.folderEntries(2, 1));
    Path data = tmp.resolve("data");
    prepare(src, data);
    Path train = data.resolve("cifar10/train.bin");
    byte[] good = Files.readAllBytes(train);

    Files.write(train, java.util.Arrays.copyOf(good, good.length - 100));
    IOException e = assertThrows(IOException.class, () -> Cifar10.load(data));
    assertTrue(
        e.getMessage().contains(train.toString()) && e.getMessage().contains("truncated"),
        e.getMessage());

    byte[] flipped = good.clone();
    flipped[flipped.length - 5] ^= 1;
    Files.write(train, flipped);
    e = assertThrows(IOException.class, () -> Cifar10.load(data));
    assertTrue(
        e.getMessage().contains(train.toString()) && e.getMessage().contains("checksum"),
        e.getMessage());

    Files.write(train, good);
    Files.delete(data.resolve("cifar10/test.bin"));
    e = assertThrows(IOException.class, () -> Cifar10.load(data));
    assertTrue(
        e.getMessage().contains("test.bin") && e.getMessage().contains("missing"), e.getMessage());

    assertFolderContent(prepare(src, data), 2, 1); // rebuilt
    assertArrayEquals(good, Files.readAllBytes(train));
  }

  @Test
  void wrongMd5OfTheOfficialArchiveIsRejected() throws IOException {
    Path official = tmp.resolve("cifar-10-binary.tar.gz");
    TestData.writeTarGz(official, TestData.binaryEntries(3));
    Path data = tmp.resolve("data");
    assertRejected(official, data, official.toString(), "MD5", Cifar10.OFFICIAL_MD5);
    assertEquals(List.of(), TestData.listing(data));
  }

  @Test
  void truncatedArchiveIsRejectedAndLeavesNoCache() throws IOException {
    Path tgz = tmp.resolve("folder.tar.gz");
    TestData.writeTarGz(tgz, TestData.folderEntries(3, 2));
    byte[] all = Files.readAllBytes(tgz);
    Path cut = tmp.resolve("cut.tar.gz");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length * 2 / 3));
    Path data = tmp.resolve("data");
    assertRejected(cut, data, cut.toAbsolutePath().toString(), "truncated");
    assertEquals(List.of(), TestData.listing(data));

    // a truncated binary batch (whole archive intact) is named too
    Map<String, byte[]> bin = TestData.binaryEntries(3);
    bin.put(
        "cifar-10-batches-bin/data_batch_2.bin",
        java.util.Arrays.copyOf(bin.get("cifar-10-batches-bin/data_batch_2.bin"), 3073 * 2 + 100));
    Path badBin = tmp.resolve("bad-binary.tar.gz");
    TestData.writeTarGz(badBin, bin);
    assertRejected(badBin, data, "data_batch_2.bin", "3073");
    assertEquals(List.of(), TestData.listing(data));
  }

  @Test
  void badInputLeavesAnExistingCacheIntact() throws IOException {
    Path good = tmp.resolve("good");
    TestData.writeTree(good, TestData.folderEntries(2, 1));
    Path data = tmp.resolve("data");
    prepare(good, data);
    List<String> before = TestData.listing(data);

    Path bad = tmp.resolve("bad");
    Map<String, byte[]> files = TestData.folderEntries(2, 1);
    byte[] jpeg = TestData.encode(TestData.toImage(TestData.chw(1, 32, 32), 32, 32), "jpeg");
    files.put(
        "train/cat/0001.png",
        java.util.Arrays.copyOf(jpeg, jpeg.length / 2)); // truncated JPEG data
    TestData.writeTree(bad, files);
    assertRejected(bad, data, bad.resolve("train/cat/0001.png").toString(), "corrupt");
    assertEquals(before, TestData.listing(data));
    assertFolderContent(Cifar10.load(data), 2, 1);
  }

  @Test
  void corruptWrongSizeOrGreyImagesAreNamed() throws IOException {
    Map<String, byte[]> files = TestData.folderEntries(1, 1);
    files.put("test/dog/0000.png", "this is not an image".getBytes());
    Path a = tmp.resolve("a");
    TestData.writeTree(a, files);
    assertRejected(a, tmp.resolve("data"), a.resolve("test/dog/0000.png").toString());

    files = TestData.folderEntries(1, 1);
    files.put(
        "train/frog/0000.png",
        TestData.encode(TestData.toImage(TestData.chw(5, 16, 24), 16, 24), "png"));
    Path b = tmp.resolve("b");
    TestData.writeTree(b, files);
    assertRejected(b, tmp.resolve("data"), b.resolve("train/frog/0000.png").toString(), "24x16");

    files = TestData.folderEntries(1, 1);
    java.awt.image.BufferedImage grey =
        new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    files.put("train/ship/0000.png", TestData.encode(grey, "png"));
    Path c = tmp.resolve("c");
    TestData.writeTree(c, files);
    assertRejected(c, tmp.resolve("data"), c.resolve("train/ship/0000.png").toString(), "not RGB");
    assertEquals(List.of(), TestData.listing(tmp.resolve("data")));
  }

  @Test
  void missingClassFolderIsNamed() throws IOException {
    Map<String, byte[]> files = TestData.folderEntries(1, 1);
    files.remove("test/horse/0000.png");
    Path src = tmp.resolve("src");
    TestData.writeTree(src, files);
    assertRejected(src, tmp.resolve("data"), "test/horse", "missing");

    Path tgz = tmp.resolve("src.tar.gz");
    TestData.writeTarGz(tgz, files);
    assertRejected(tgz, tmp.resolve("data"), "test/horse", tgz.toAbsolutePath().toString());

    Files.delete(src.resolve("test").resolve("dog").resolve("0000.png")); // empty class folder
    Files.createDirectories(src.resolve("test/horse"));
    Files.write(src.resolve("test/horse/0000.png"), files.get("test/cat/0000.png"));
    assertRejected(src, tmp.resolve("data"), "'dog'", "no images");

    assertRejected(tmp.resolve("absent"), tmp.resolve("data"), "absent", "does not exist");
    assertEquals(List.of(), TestData.listing(tmp.resolve("data")));
  }

  @Test
  void downloadsChecksMd5AndNamesTheUrlWhenUnreachable() throws Exception {
    Path served = tmp.resolve("served.tar.gz");
    TestData.writeTarGz(served, TestData.binaryEntries(2));
    byte[] body = Files.readAllBytes(served);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/cifar-10-binary.tar.gz",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      URI url =
          URI.create(
              "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
      Path data = tmp.resolve("data");

      // wrong MD5: nothing kept
      IOException e =
          assertThrows(
              IOException.class,
              () -> Cifar10.prepare(null, null, data, new Cifar10.Official(url, "0".repeat(32))));
      assertTrue(
          e.getMessage().contains(url.toString())
              && e.getMessage().contains("MD5")
              && e.getMessage().contains("GHN4J_CIFAR10"),
          e.getMessage());
      assertEquals(List.of(), TestData.listing(data));

      Cifar10 c = Cifar10.prepare(null, null, data, new Cifar10.Official(url, md5));
      assertEquals(10, c.train().size());
      assertTrue(Files.isRegularFile(data.resolve("downloads/cifar-10-binary.tar.gz")));
      // prepared from the official archive: a second call needs no network
      Cifar10 again =
          Cifar10.prepare(
              null, null, data, new Cifar10.Official(URI.create("http://127.0.0.1:9/x"), md5));
      assertEquals(10, again.train().size());
      // a file: URL works too
      Cifar10 viaFile =
          Cifar10.prepare(
              null, null, tmp.resolve("data3"), new Cifar10.Official(served.toUri(), md5));
      assertEquals(2, viaFile.test().size());
    } finally {
      server.stop(0);
    }

    Path data2 = tmp.resolve("data2");
    URI dead = URI.create("http://127.0.0.1:9/cifar-10-binary.tar.gz");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Cifar10.prepare(
                    null, null, data2, new Cifar10.Official(dead, Cifar10.OFFICIAL_MD5)));
    assertTrue(
        e.getMessage().contains(dead.toString()) && e.getMessage().contains("GHN4J_CIFAR10"),
        e.getMessage());
    assertFalse(
        TestData.listing(data2).stream().anyMatch(n -> n.endsWith(".part")),
        TestData.listing(data2).toString());
  }

  @Test
  void envSourceIsUsedWhenNoSourceIsGiven() throws IOException {
    Path tgz = tmp.resolve("env.tar.gz");
    TestData.writeTarGz(tgz, TestData.folderEntries(1, 1));
    Cifar10 c = Cifar10.prepare(null, tgz.toString(), tmp.resolve("data"), NO_DOWNLOAD);
    assertEquals(10, c.train().size());
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                Cifar10.prepare(
                    null, tmp.resolve("nope.tar.gz").toString(), tmp.resolve("data"), NO_DOWNLOAD));
    assertTrue(
        e.getMessage().contains("GHN4J_CIFAR10") && e.getMessage().contains("nope.tar.gz"),
        e.getMessage());
  }
}
