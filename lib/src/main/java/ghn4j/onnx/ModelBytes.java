package ghn4j.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of an ONNX file: memory-mapped as they are, or inflated when the file is
 * gzip-compressed (the {@code .onnx.gz} of the GHN-3 fixtures; recognised by gzip's magic number,
 * not by the name). Other compressions are refused with an error naming them, since protobuf would
 * otherwise report a confusing parse failure.
 */
final class ModelBytes {

  /** A protobuf message (and so a single ONNX file) is at most 2 GiB. */
  private static final long MAX = Integer.MAX_VALUE;

  private ModelBytes() {}

  /** Whether {@code file} starts with gzip's magic number. */
  static boolean isGzip(Path file) throws IOException {
    byte[] head = head(file, 2);
    return head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
  }

  /** The model's protobuf bytes (see the class comment); errors name the file. */
  static ByteBuffer read(Path file) throws IOException {
    String other = otherCompression(head(file, 6));
    if (other != null) {
      throw new IllegalArgumentException(
          file
              + ": "
              + other
              + "-compressed; ghn4j reads plain .onnx files and gzip "
              + "(.onnx.gz) only: decompress it first");
    }
    if (isGzip(file)) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
          total += n;
          if (total > MAX) {
            throw new IllegalArgumentException(
                file
                    + ": more than 2 GB once decompressed; a single ONNX protobuf is "
                    + "at most 2 GB (store larger weights as external data)");
          }
          out.write(buf, 0, n);
        }
        return ByteBuffer.wrap(out.toByteArray());
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        throw new IllegalArgumentException(
            file + ": a corrupt or truncated gzip file (" + e.getMessage() + ")", e);
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > MAX) {
        throw new IllegalArgumentException(
            file
                + ": "
                + ch.size()
                + " bytes; a single ONNX protobuf is at most 2 GB "
                + "(store larger weights as external data)");
      }
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
  }

  /** The name of a compression other than gzip that {@code head} starts with, or null. */
  static String otherCompression(byte[] head) {
    if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
      return "zstd";
    }
    if (startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0)) {
      return "xz";
    }
    if (startsWith(head, 'B', 'Z', 'h')) {
      return "bzip2";
    }
    if (startsWith(head, 'P', 'K', 3, 4)) {
      return "zip";
    }
    if (startsWith(head, 0x04, 0x22, 0x4d, 0x18)) {
      return "lz4";
    }
    return null;
  }

  private static boolean startsWith(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] head(Path file, int n) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(n);
    }
  }
}
