package ghn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Downloads a file to a temporary name next to the target, checks its MD5, then renames it into place. */
final class Download {

  private Download() {}

  /**
   * Fetches {@code url} (http, https or file) into {@code target} with a progress bar on stderr.
   *
   * @param md5 the expected MD5 (hex); a mismatch deletes the download and throws
   * @param hint what the user can do instead when the download fails (appended to the error)
   */
  static void fetch(URI url, Path target, String md5, String hint) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path part = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
    boolean done = false;
    try {
      MessageDigest digest = md5();
      try {
        URLConnection conn = url.toURL().openConnection();
        conn.setConnectTimeout(30_000);
        conn.setReadTimeout(120_000);
        if (conn instanceof HttpURLConnection http) {
          int status = http.getResponseCode();
          if (status != HttpURLConnection.HTTP_OK) {
            throw new IOException("HTTP " + status + " " + http.getResponseMessage());
          }
        }
        long length = conn.getContentLengthLong();
        try (InputStream in = new DigestInputStream(conn.getInputStream(), digest);
            OutputStream out = Files.newOutputStream(part);
            ProgressBar bar = new ProgressBarBuilder().setTaskName("download " + target.getFileName())
                .setInitialMax(length > 0 ? length : -1).setUnit("MiB", 1 << 20).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).build()) {
          byte[] buf = new byte[1 << 16];
          int r;
          while ((r = in.read(buf)) >= 0) {
            out.write(buf, 0, r);
            bar.stepBy(r);
          }
        }
        if (length > 0 && Files.size(part) != length) {
          throw new IOException("connection closed after " + Files.size(part) + " of " + length + " bytes");
        }
      } catch (IOException e) {
        throw new IOException("cannot download " + url + ": " + describe(e) + ". " + hint, e);
      }
      String got = HexFormat.of().formatHex(digest.digest());
      if (!got.equalsIgnoreCase(md5)) {
        throw new IOException("download from " + url + " has MD5 " + got + ", expected " + md5
            + " (corrupt or changed file; deleted). " + hint);
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(part);
      }
    }
  }

  static MessageDigest md5() {
    return digest("MD5");
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available in this JVM", e);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
  }
}
