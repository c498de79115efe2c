package ghn4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A minimal streaming tar reader (POSIX ustar, GNU long names, pax path records), so that archives can be read without
 * extracting them and without an extra dependency. Truncation and bad header checksums are reported with the file name.
 */
public final class TarReader {

  /** One archive member: its path (no leading "./"), whether it is a directory, and its content for regular files. */
  public record Entry(String name, boolean directory, byte[] content) {}

  /** Receives the members in archive order. */
  @FunctionalInterface
  public interface Visitor {
    void visit(Entry entry) throws IOException;
  }

  private static final int BLOCK = 512;
  private static final long MAX_ENTRY = Integer.MAX_VALUE - 16;

  private TarReader() {}

  /** True for file names this reader handles (.tar, .tar.gz, .tgz). */
  public static boolean isTarName(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
  }

  /** Streams every member of {@code archive} (gzip-compressed when its name ends in .gz/.tgz) to {@code visitor}. */
  public static void read(Path archive, Visitor visitor) throws IOException {
    String n = archive.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    boolean gz = n.endsWith(".gz") || n.endsWith(".tgz");
    String current = null;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        InputStream in = gz ? new GZIPInputStream(file, 1 << 16) : file) {
      byte[] header = new byte[BLOCK];
      String longName = null;
      String paxPath = null;
      while (true) {
        current = null;
        if (!readBlock(in, header)) {
          throw new EOFException("no end-of-archive marker");
        }
        if (isZero(header)) {
          return; // end of archive (the second zero block and padding are not needed)
        }
        verifyChecksum(header);
        char type = (char) header[156];
        String name = longName != null ? longName : paxPath != null ? paxPath : headerName(header);
        long size = parseNumber(header, 124, 12, "size");
        current = name;
        if (size < 0 || size > MAX_ENTRY) {
          throw new IOException("entry '" + name + "' has unsupported size " + size);
        }
        byte[] content = readContent(in, (int) size);
        switch (type) {
          case 'L' -> { // GNU long name for the next entry
            longName = cString(content, 0, content.length);
            continue;
          }
          case 'x' -> { // pax extended header for the next entry
            paxPath = paxPath(content);
            continue;
          }
          case 'g', 'K' -> { // pax global header, GNU long link name: not needed
            continue;
          }
          default -> {}
        }
        longName = null;
        paxPath = null;
        String clean = clean(name);
        if (type == '5' || (type == '0' || type == '\0') && name.endsWith("/") && size == 0) {
          visitor.visit(new Entry(clean, true, new byte[0]));
        } else if (type == '0' || type == '\0' || type == '7') {
          visitor.visit(new Entry(clean, false, content));
        }
        // links, devices, fifos: skipped
      }
    } catch (EOFException e) {
      throw new IOException("truncated archive " + archive + where(current) + ": " + e.getMessage(), e);
    } catch (ZipException e) {
      throw new IOException("corrupt gzip data in " + archive + where(current) + ": " + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains(archive.toString())) {
        throw e;
      }
      throw new IOException("cannot read archive " + archive + where(current) + ": " + e.getMessage(), e);
    }
  }

  private static String where(String entry) {
    return entry == null ? "" : " (in entry '" + entry + "')";
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int off = 0;
    while (off < BLOCK) {
      int r = in.read(block, off, BLOCK - off);
      if (r < 0) {
        if (off == 0) {
          return false;
        }
        throw new EOFException("header block cut after " + off + " bytes");
      }
      off += r;
    }
    return true;
  }

  private static byte[] readContent(InputStream in, int size) throws IOException {
    byte[] content = new byte[size];
    int off = 0;
    while (off < size) {
      int r = in.read(content, off, size - off);
      if (r < 0) {
        throw new EOFException("content cut after " + off + " of " + size + " bytes");
      }
      off += r;
    }
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    while (pad > 0) {
      long s = in.skip(pad);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new EOFException("padding cut");
        }
        s = 1;
      }
      pad -= s;
    }
    return content;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(byte[] h) throws IOException {
    long stored = parseNumber(h, 148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int v = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += v & 0xFF;
      signed += (i >= 148 && i < 156) ? ' ' : v;
    }
    if (stored != unsigned && stored != signed) {
      throw new IOException("bad tar header checksum (corrupt or not a tar archive)");
    }
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    if (ustar) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  private static String clean(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }

  private static String cString(byte[] b, int off, int max) {
    int end = off;
    while (end < off + max && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** Octal (NUL/space terminated) or GNU base-256 (high bit set) numbers. */
  private static long parseNumber(byte[] h, int off, int len, String field) throws IOException {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x7F;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (h[i] & 0xFF);
      }
      return v;
    }
    long v = 0;
    boolean any = false;
    for (int i = off; i < off + len; i++) {
      byte c = h[i];
      if (c == 0 || c == ' ') {
        if (any) {
          break;
        }
        continue;
      }
      if (c < '0' || c > '7') {
        throw new IOException("bad tar header: " + field + " field is not octal (corrupt or not a tar archive)");
      }
      v = v * 8 + (c - '0');
      any = true;
    }
    return v;
  }

  /** The "path" record of a pax extended header ("LEN path=VALUE\n" records), or null. */
  private static String paxPath(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    int pos = 0;
    while (pos < text.length()) {
      int space = text.indexOf(' ', pos);
      int nl = text.indexOf('\n', pos);
      if (space < 0 || nl < 0) {
        break;
      }
      String record = text.substring(space + 1, nl);
      if (record.startsWith("path=")) {
        return record.substring(5);
      }
      pos = nl + 1;
    }
    return null;
  }
}
