package ghn4j.ghn;

import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.InflaterInputStream;

/**
 * Reads {@code joblib.dump} files of torch tensors without Python: how GHN-3's {@code
 * from_pretrained} reads the released checkpoints. Supported: uncompressed files (a plain pickle)
 * and zlib-compressed ones ({@code compress=('zlib', level)} or {@code compress=level}: a raw zlib
 * stream of the pickle). Other joblib compressions (gzip, bz2, lzma, xz, lz4) and joblib's pre-0.10
 * {@code ZF} format are refused, naming the file and the compression, since nothing else was
 * released and the JDK has no decoder for most of them.
 */
final class Joblib {

  /** How a joblib file is stored, recognised by its first bytes (joblib's own magic prefixes). */
  enum Compression {
    NONE,
    ZLIB,
    GZIP,
    BZ2,
    XZ,
    LZMA,
    LZ4,
    LEGACY_ZF,
    UNKNOWN;

    static Compression sniff(byte[] head) {
      if (head.length >= 1 && (head[0] & 0xff) == 0x80) {
        return NONE;
      }
      if (head.length >= 1 && head[0] == 0x78) {
        return ZLIB;
      }
      if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
        return GZIP;
      }
      if (head.length >= 2 && head[0] == 'B' && head[1] == 'Z') {
        return BZ2;
      }
      if (head.length >= 5
          && (head[0] & 0xff) == 0xfd
          && head[1] == '7'
          && head[2] == 'z'
          && head[3] == 'X') {
        return XZ;
      }
      if (head.length >= 2 && head[0] == 0x5d && head[1] == 0x00) {
        return LZMA;
      }
      if (head.length >= 4
          && head[0] == 0x04
          && head[1] == 0x22
          && head[2] == 0x4d
          && head[3] == 0x18) {
        return LZ4;
      }
      if (head.length >= 2 && head[0] == 'Z' && head[1] == 'F') {
        return LEGACY_ZF;
      }
      return UNKNOWN;
    }
  }

  private Joblib() {}

  /** The compression of {@code file} from its first bytes. */
  static Compression compression(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Compression.sniff(in.readNBytes(8));
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e, e);
    }
  }

  /** The unpickled top-level object, tensors as float32 NDArrays in {@code manager}. */
  static Object read(Path file, NDManager manager) {
    Compression c = compression(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      InputStream in =
          switch (c) {
            case NONE -> raw;
            case ZLIB -> new BufferedInputStream(new InflaterInputStream(raw), 1 << 16);
            case UNKNOWN ->
                throw new IllegalArgumentException(
                    file
                        + ": not a joblib/pickle file (starts with neither a pickle protocol byte nor a known joblib "
                        + "compression prefix)");
            case LEGACY_ZF ->
                throw new IllegalArgumentException(
                    file
                        + ": joblib's pre-0.10 'ZF' compressed format is not supported (re-save with joblib.dump)");
            default ->
                throw new IllegalArgumentException(
                    file
                        + ": joblib "
                        + c.name().toLowerCase(java.util.Locale.ROOT)
                        + " compression is not supported; "
                        + "supported: uncompressed and zlib (joblib.dump(..., compress=('zlib', level)))");
          };
      return TorchCheckpoint.readPickle(in, file.toString(), manager);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e, e);
    }
  }
}
