package ghn4j.data;

import ghn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary image cache format: one file per split, read back with one bulk read.
 *
 * <pre>
 * offset  size  field (little-endian)
 * 0       8     magic "GHN4JIMG"
 * 8       4     version (1)
 * 12      4     count n
 * 16      4     channels C
 * 20      4     height H
 * 24      4     width W
 * 28      4     number of classes
 * 32      8     CRC32C of everything after the header (labels and pixels)
 * 40      4n    labels, int32
 * 40+4n   nCHW  pixels, uint8, CHW per image
 * </pre>
 */
final class ImageCache {

  static final int VERSION = 1;
  private static final byte[] MAGIC = "GHN4JIMG".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = 40;

  /** What a cache file holds, for source.json and consistency checks. */
  record Info(int count, long crc32c) {}

  private ImageCache() {}

  /** Writes {@code set} to {@code file} atomically; returns its count and checksum. */
  static Info write(Path file, ImageSet set) throws IOException {
    int n = set.size();
    ByteBuffer labels = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      labels.putInt(set.label(i));
    }
    byte[] pixels = new byte[Math.multiplyExact(n, set.imageBytes())];
    for (int i = 0; i < n; i++) {
      set.copyPixels(i, pixels, i * set.imageBytes());
    }
    CRC32C crc = new CRC32C();
    crc.update(labels.array());
    crc.update(pixels);
    ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    header
        .put(MAGIC)
        .putInt(VERSION)
        .putInt(n)
        .putInt(set.channels())
        .putInt(set.height())
        .putInt(set.width())
        .putInt(set.classes().size())
        .putLong(crc.getValue());
    byte[] px = pixels;
    AtomicFiles.write(
        file,
        out -> {
          out.write(header.array());
          out.write(labels.array());
          out.write(px);
        });
    return new Info(n, crc.getValue());
  }

  /**
   * Reads a cache file, checking magic, version, length, checksum, labels and the class count.
   *
   * @throws IOException naming the file and what is wrong with it
   */
  static ImageSet read(Path file, List<String> classes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = ch.size();
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, header, file);
      header.flip();
      byte[] magic = new byte[MAGIC.length];
      header.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a ghn4j image cache (bad magic)");
      }
      int version = header.getInt();
      if (version != VERSION) {
        throw new IOException(
            file
                + ": cache format version "
                + version
                + ", this ghn4j reads "
                + VERSION
                + "; run ./ghn4j data prepare again");
      }
      int n = header.getInt();
      int c = header.getInt();
      int h = header.getInt();
      int w = header.getInt();
      int numClasses = header.getInt();
      long crcStored = header.getLong();
      if (n < 0 || c <= 0 || h <= 0 || w <= 0) {
        throw new IOException(
            file + ": corrupt header (count " + n + ", shape " + c + "x" + h + "x" + w + ")");
      }
      long expected = HEADER + 4L * n + (long) n * c * h * w;
      if (length != expected) {
        throw new IOException(
            file
                + ": "
                + (length < expected ? "truncated" : "too long")
                + " ("
                + length
                + " bytes, header says "
                + expected
                + "); run ./ghn4j data prepare again");
      }
      if (numClasses != classes.size()) {
        throw new IOException(
            file
                + ": written for "
                + numClasses
                + " classes but classes.txt lists "
                + classes.size());
      }
      // Memory-mapped, not copied: loading costs one checksum pass over the page cache, and every
      // process using the
      // cache shares those pages. The file is only ever replaced by a rename, never rewritten in
      // place.
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, HEADER, length - HEADER);
      CRC32C crc = new CRC32C();
      crc.update(map.duplicate());
      if (crc.getValue() != crcStored) {
        throw new IOException(
            file + ": corrupt (checksum mismatch); run ./ghn4j data prepare again");
      }
      int[] labels = new int[n];
      map.slice(0, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels);
      for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= numClasses) {
          throw new IOException(
              file
                  + ": label "
                  + labels[i]
                  + " of image "
                  + i
                  + " outside [0, "
                  + numClasses
                  + ")");
        }
      }
      ByteBuffer pixels = map.slice(4 * n, map.capacity() - 4 * n);
      return new ImageSet(pixels, labels, classes, c, h, w);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "cache file missing");
    }
  }

  /**
   * Count and checksum from the header only (cheap), or null when the file is missing or not a
   * cache.
   */
  static Info peek(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, header, file);
      header.flip();
      header.position(12);
      int n = header.getInt();
      header.position(32);
      return new Info(n, header.getLong());
    } catch (IOException e) {
      return null;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, Path file) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw new IOException(file + ": truncated (ends at byte " + ch.position() + ")");
      }
    }
  }
}
