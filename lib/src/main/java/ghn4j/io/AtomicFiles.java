package ghn4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic file writes: the content goes to a temporary file in the target's directory, is flushed to
 * disk, and is then renamed over the target in one step. A reader (or a process killed mid-write)
 * therefore sees either the old file or the complete new one, never a half-written file.
 */
public final class AtomicFiles {

  /** Writes to a stream; may throw {@link IOException}. */
  @FunctionalInterface
  public interface IoConsumer<T> {
    void accept(T value) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} atomically with what {@code writer} puts into the stream it is given
   * (buffered; the writer need not close it). Parent directories are created. On any failure the
   * temporary file is deleted, the target is left as it was, and the exception propagates.
   */
  public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    FileChannel channel = null;
    Path tmp = null;
    for (int attempt = 0; channel == null; attempt++) {
      // Not Files.createTempFile: that makes the file owner-only (0600); this one gets the usual
      // umask permissions.
      tmp =
          dir.resolve(
              "."
                  + abs.getFileName()
                  + "."
                  + Long.toHexString(ThreadLocalRandom.current().nextLong())
                  + ".tmp");
      try {
        channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
    boolean done = false;
    try {
      try (FileChannel ch = channel;
          BufferedOutputStream out =
              new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
        writer.accept(new Unclosable(out));
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      syncDirectory(dir);
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Deletes the temporary files {@link #write} leaves in {@code dir} when its process is killed
   * mid-write ({@code .<name>.<hex>.tmp}); returns how many. For a directory with a single writer,
   * before it writes again (a training run resuming). A missing directory is left so.
   */
  public static int deleteStaleTemps(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (STALE_TEMP.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
          n++;
        }
      }
    }
    return n;
  }

  private static final java.util.regex.Pattern STALE_TEMP =
      java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]+\\.tmp");

  /** Writes {@code text} as UTF-8 to {@code target} atomically (see {@link #write}). */
  public static void writeString(Path target, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(target, out -> out.write(bytes));
  }

  /** Makes the rename durable where the platform allows it (Linux); elsewhere a no-op. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Not supported on every platform/file system; the rename itself is still atomic.
    }
  }

  /**
   * Passes writes through but ignores close(), so the writer cannot close the stream before it is
   * synced.
   */
  private static final class Unclosable extends OutputStream {
    private static final int CHUNK = 1 << 20;
    private final OutputStream out;

    Unclosable(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      // In slices: a channel write of a large heap array would copy it into an equally large
      // temporary direct buffer.
      for (int pos = off, end = off + len; pos < end; pos += CHUNK) {
        out.write(b, pos, Math.min(CHUNK, end - pos));
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
