package ghn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path tmp;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesAndReplaces() throws IOException {
    Path f = tmp.resolve("sub/dir/a.txt");
    AtomicFiles.writeString(f, "one");
    assertEquals("one", Files.readString(f));
    byte[] big = new byte[3 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    AtomicFiles.write(
        f,
        out -> {
          out.write(big);
          out.write(7);
          out.close(); // allowed: the stream is flushed and synced by AtomicFiles
        });
    byte[] got = Files.readAllBytes(f);
    assertEquals(big.length + 1, got.length);
    assertArrayEquals(big, java.util.Arrays.copyOf(got, big.length));
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(List.of("a.txt"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path f = tmp.resolve("a.bin");
    AtomicFiles.writeString(f, "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      out.write(new byte[100_000]);
                      throw new IOException("disk on fire");
                    }));
    assertEquals("disk on fire", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("a.bin"), names());

    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicFiles.write(
                tmp.resolve("b.bin"),
                out -> {
                  throw new IllegalStateException("bug");
                }));
    assertEquals(List.of("a.bin"), names());
  }

  @Test
  void filesGetOrdinaryPermissions() throws IOException {
    Path f = tmp.resolve("p.txt");
    AtomicFiles.writeString(f, "x");
    Path plain = Files.writeString(tmp.resolve("plain.txt"), "x");
    if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
      Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
      assertEquals(expected, Files.getPosixFilePermissions(f));
    }
  }
}
