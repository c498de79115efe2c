package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

  @TempDir Path tmp;

  private static Map<String, byte[]> tree(int h, int w) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    // written out of order: classes and files must come back sorted
    files.put(
        "val/zebra/b.png", TestData.encode(TestData.toImage(TestData.chw(4, h, w), h, w), "png"));
    files.put(
        "val/zebra/a.PNG", TestData.encode(TestData.toImage(TestData.chw(3, h, w), h, w), "png"));
    files.put(
        "val/ant/x.png", TestData.encode(TestData.toImage(TestData.chw(1, h, w), h, w), "png"));
    files.put("val/ant/notes.txt", "not an image".getBytes());
    files.put(
        "val/bee/sub/y.png", TestData.encode(TestData.toImage(TestData.chw(2, h, w), h, w), "png"));
    return files;
  }

  @Test
  void readsAnyFixedSizeFolderSortedLikeTorchvision() throws IOException {
    TestData.writeTree(tmp, tree(8, 12));
    ImageSet s = ImageFolder.read(tmp, "val");
    assertEquals(List.of("ant", "bee", "zebra"), s.classes());
    assertEquals(4, s.size());
    assertEquals(8, s.height());
    assertEquals(12, s.width());
    assertArrayEquals(new int[] {0, 1, 2, 2}, s.labels());
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(TestData.chw(i + 1, 8, 12), s.pixels(i), "image " + i);
    }
  }

  @Test
  void readsTheSameFromAnArchive() throws IOException {
    Path tgz = tmp.resolve("t.tar.gz");
    TestData.writeTarGz(tgz, tree(8, 12));
    ImageSet s = ImageFolder.readArchive(tgz, "val");
    assertEquals(List.of("ant", "bee", "zebra"), s.classes());
    assertArrayEquals(TestData.chw(4, 8, 12), s.pixels(3));
    IOException e = assertThrows(IOException.class, () -> ImageFolder.readArchive(tgz, "train"));
    assertTrue(
        e.getMessage().contains("train") && e.getMessage().contains(tgz.toString()),
        e.getMessage());
  }

  @Test
  void mixedSizesAreAnErrorNamingTheFile() throws IOException {
    Map<String, byte[]> files = tree(8, 12);
    files.put(
        "val/zebra/c.png", TestData.encode(TestData.toImage(TestData.chw(9, 9, 12), 9, 12), "png"));
    TestData.writeTree(tmp, files);
    IOException e = assertThrows(IOException.class, () -> ImageFolder.read(tmp, "val"));
    assertTrue(
        e.getMessage().contains(tmp.resolve("val/zebra/c.png").toString())
            && e.getMessage().contains("12x9"),
        e.getMessage());
  }

  @Test
  void missingFolderIsNamed() {
    IOException e = assertThrows(IOException.class, () -> ImageFolder.read(tmp, "nothing"));
    assertTrue(e.getMessage().contains("nothing"), e.getMessage());
  }

  @Test
  void tarReaderRejectsACorruptHeader() throws IOException {
    Path tgz = tmp.resolve("t.tar");
    Map<String, byte[]> files = tree(4, 4);
    Path gz = tmp.resolve("t.tar.gz");
    TestData.writeTarGz(gz, files);
    byte[] tar;
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      tar = in.readAllBytes();
    }
    tar[512 + 10] ^=
        0x55; // the name field of the second header (the first is the directory entry "val/")
    Files.write(tgz, tar);
    IOException e = assertThrows(IOException.class, () -> ImageFolder.readArchive(tgz, "val"));
    assertTrue(
        e.getMessage().contains(tgz.toString()) && e.getMessage().contains("checksum"),
        e.getMessage());
  }
}
