package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar reader on archives in the forms tar and Python write: long names, pax paths, links, cut
 * archives.
 */
class TarReaderTest {

  @TempDir Path tmp;

  private static final String LONG = "./deep/" + "x".repeat(120) + "/file.bin";

  private static byte[] archive(int longFileMode) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(longFileMode);
      out.putArchiveEntry(new TarArchiveEntry("./deep/"));
      out.closeArchiveEntry();
      byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry(LONG);
      file.setSize(content.length);
      out.putArchiveEntry(file);
      out.write(content);
      out.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry("deep/link", TarConstants.LF_SYMLINK);
      link.setLinkName("file.bin");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private List<TarReader.Entry> read(Path file) throws IOException {
    List<TarReader.Entry> seen = new ArrayList<>();
    TarReader.read(file, seen::add);
    return seen;
  }

  @Test
  void readsGnuAndPaxLongNamesAndSkipsLinks() throws IOException {
    for (int mode :
        new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
      Path tar = tmp.resolve("a" + mode + ".tar");
      Files.write(tar, archive(mode));
      List<TarReader.Entry> seen = read(tar);
      assertEquals(2, seen.size(), seen.toString());
      assertEquals("deep", seen.get(0).name());
      assertTrue(seen.get(0).directory());
      assertEquals(LONG.substring(2), seen.get(1).name());
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), seen.get(1).content());
    }
  }

  @Test
  void archiveCutAtAHeaderHasNoEndMarker() throws IOException {
    byte[] all = archive(TarArchiveOutputStream.LONGFILE_GNU);
    // the GNU long-name record (2 blocks), the directory (1), the file header + 1 content block: 5
    // blocks, then cut
    Path cut = tmp.resolve("cut.tar");
    Files.write(cut, Arrays.copyOf(all, 6 * 512));
    IOException e = assertThrows(IOException.class, () -> read(cut));
    assertTrue(
        e.getMessage().contains(cut.toString()) && e.getMessage().contains("end-of-archive"),
        e.getMessage());
  }

  @Test
  void archiveCutInsideContentIsTruncated() throws IOException {
    byte[] all = archive(TarArchiveOutputStream.LONGFILE_GNU);
    Path cut = tmp.resolve("cut.tar");
    Files.write(cut, Arrays.copyOf(all, 5 * 512 + 3));
    IOException e = assertThrows(IOException.class, () -> read(cut));
    assertTrue(
        e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"),
        e.getMessage());
  }
}
