package ghn4j.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The digest a published file must have: an MD5 (how DeepNets-1M and CIFAR-10 are published), the
 * git blob SHA-1 of a file in a git repository (SHA-1 of {@code "blob <size>\0"} followed by the
 * bytes, what {@code git hash-object} prints, and what a repository records for each file) or a
 * SHA-256.
 *
 * @param algorithm how the digest is computed
 * @param hex the expected digest, lower-case hexadecimal
 */
public record Checksum(Algorithm algorithm, String hex) {

  /** Digest algorithms, by their catalog field names. */
  public enum Algorithm {
    MD5("md5", "MD5", 32),
    GIT_BLOB_SHA1("git_blob_sha1", "git blob SHA-1", 40),
    SHA256("sha256", "SHA-256", 64);

    private final String field;
    private final String label;
    private final int hexLength;

    Algorithm(String field, String label, int hexLength) {
      this.field = field;
      this.label = label;
      this.hexLength = hexLength;
    }

    /** The catalog's JSON field name ({@code md5}, {@code git_blob_sha1}, {@code sha256}). */
    public String field() {
      return field;
    }

    /** How a message names it. */
    public String label() {
      return label;
    }
  }

  public Checksum {
    if (algorithm == null || hex == null) {
      throw new IllegalArgumentException("a checksum needs an algorithm and a digest");
    }
    hex = hex.toLowerCase(Locale.ROOT);
    if (hex.length() != algorithm.hexLength
        || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException(
          algorithm.label + " must be " + algorithm.hexLength + " hex digits, got '" + hex + "'");
    }
  }

  public static Checksum md5(String hex) {
    return new Checksum(Algorithm.MD5, hex);
  }

  public static Checksum gitBlobSha1(String hex) {
    return new Checksum(Algorithm.GIT_BLOB_SHA1, hex);
  }

  public static Checksum sha256(String hex) {
    return new Checksum(Algorithm.SHA256, hex);
  }

  /** The digest of {@code file} under {@code algorithm}. */
  public static Checksum of(Algorithm algorithm, Path file) throws IOException {
    MessageDigest d =
        digest(
            algorithm == Algorithm.MD5
                ? "MD5"
                : algorithm == Algorithm.SHA256 ? "SHA-256" : "SHA-1");
    if (algorithm == Algorithm.GIT_BLOB_SHA1) {
      d.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) >= 0) {
        d.update(buf, 0, r);
      }
    }
    return new Checksum(algorithm, HexFormat.of().formatHex(d.digest()));
  }

  /** Whether {@code file} has this digest (reads the whole file). */
  public boolean matches(Path file) throws IOException {
    return equals(of(algorithm, file));
  }

  /** A JDK message digest by its standard name; every JVM has MD5, SHA-1 and SHA-256. */
  public static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return algorithm.label + " " + hex;
  }
}
