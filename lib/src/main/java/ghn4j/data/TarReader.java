package ghn4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Streams the members of a tar archive (ustar, GNU long names, pax; gzip-compressed when named
 * .gz/.tgz) without extracting it, on Apache Commons Compress. Truncation, a missing end-of-archive
 * marker and corrupt headers are reported with the archive's name and the member being read.
 */
public final class TarReader {

  /**
   * One archive member: its path (no leading "./"), whether it is a directory, and its content for
   * regular files.
   */
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
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
  }

  /**
   * Streams every member of {@code archive} (gzip-compressed when its name ends in .gz/.tgz) to
   * {@code visitor}.
   */
  public static void read(Path archive, Visitor visitor) throws IOException {
    String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean gz = n.endsWith(".gz") || n.endsWith(".tgz");
    String current = null;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        InputStream in = gz ? new GZIPInputStream(file, 1 << 16) : file;
        CheckedTar tar = new CheckedTar(in)) {
      long nextHeader = 0; // where the header after the current member starts
      while (true) {
        current = null;
        TarArchiveEntry e = nextEntry(tar);
        if (e == null) {
          // Commons Compress ends quietly on a cut header too: only a zero block after the last
          // member is an end marker
          if (tar.getBytesRead() < nextHeader + BLOCK) {
            throw new EOFException("no end-of-archive marker");
          }
          return;
        }
        String name = e.getName();
        current = name;
        long size = e.getSize();
        if (size < 0 || size > MAX_ENTRY) {
          throw new IOException("entry '" + name + "' has unsupported size " + size);
        }
        nextHeader = tar.getBytesRead() + (size + BLOCK - 1) / BLOCK * BLOCK;
        String clean = clean(name);
        char type = (char) e.getLinkFlag();
        boolean regular = type == '0' || type == '\0';
        if (type == '5' || regular && name.endsWith("/") && size == 0) {
          visitor.visit(new Entry(clean, true, new byte[0]));
        } else if (regular
            || type == '7') { // regular and contiguous files; links, devices, fifos: skipped
          visitor.visit(new Entry(clean, false, content(tar, (int) size)));
        }
      }
    } catch (EOFException e) {
      throw new IOException(
          "truncated archive " + archive + where(current) + ": " + e.getMessage(), e);
    } catch (ZipException e) {
      throw new IOException(
          "corrupt gzip data in " + archive + where(current) + ": " + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains(archive.toString())) {
        throw e;
      }
      throw new IOException(
          "cannot read archive " + archive + where(current) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The next member; a header that fails to parse (bad checksum, non-octal field) is named as such.
   */
  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (EOFException | ZipException | BadChecksum e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw new IOException(
          "bad tar header checksum or field (corrupt or not a tar archive): " + why, e);
    }
  }

  /**
   * Commons Compress checks a header's checksum only when sniffing the format: this reader checks
   * every header.
   */
  private static final class CheckedTar extends TarArchiveInputStream {
    CheckedTar(InputStream in) {
      super(in);
    }

    @Override
    protected byte[] readRecord() throws IOException {
      byte[] record = super.readRecord();
      // at EOF the record is the optional second end block, whatever it holds
      if (record != null
          && !isAtEOF()
          && !isEOFRecord(record)
          && !TarUtils.verifyCheckSum(record)) {
        throw new BadChecksum();
      }
      return record;
    }
  }

  private static final class BadChecksum extends IOException {
    BadChecksum() {
      super("bad tar header checksum (corrupt or not a tar archive)");
    }
  }

  private static byte[] content(InputStream in, int size) throws IOException {
    byte[] content = new byte[size];
    int off = 0;
    while (off < size) {
      int r = in.read(content, off, size - off);
      if (r < 0) {
        throw new EOFException("content cut after " + off + " of " + size + " bytes");
      }
      off += r;
    }
    return content;
  }

  private static String where(String entry) {
    return entry == null ? "" : " (in entry '" + entry + "')";
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
}
