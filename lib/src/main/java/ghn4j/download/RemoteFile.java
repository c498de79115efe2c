package ghn4j.download;

import java.net.URI;

/**
 * One published file: its name (also its name in a mirror and in the cache), where it is published,
 * its exact size when known, and the digest it must have.
 *
 * @param name file name, e.g. {@code ghn2_cifar10.pt}
 * @param url where it is published; null for a file that ships inside the ghn4j repository
 * @param repoPath its path relative to the ghn4j repository root when it ships there, else null
 * @param size exact size in bytes, or -1 when the publisher does not record it
 * @param approxSize the publisher's rough size for display ("35 MB"), or null
 * @param checksum the digest the file must have; null for a hub file whose digest is asked from the
 *     hub
 * @param hubSha256 a file on the Hugging Face hub checked against the SHA-256 the hub reports for
 *     it (its LFS object id) and recorded on first download ({@link HubDigest}); its {@code url} is
 *     the hub's {@code resolve} URL
 */
public record RemoteFile(
    String name,
    URI url,
    String repoPath,
    long size,
    String approxSize,
    Checksum checksum,
    boolean hubSha256) {

  public RemoteFile {
    if (name == null
        || name.isBlank()
        || name.contains("/")
        || name.contains("\\")
        || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "bad file name '" + name + "': a plain name without folders");
    }
    if (hubSha256 && (url == null || checksum != null)) {
      throw new IllegalArgumentException(
          name
              + ": a hub file needs its resolve URL and takes its SHA-256 from the hub"
              + " (no fixed checksum)");
    }
    if (checksum == null && !hubSha256) {
      throw new IllegalArgumentException(name + ": no checksum");
    }
    if (url == null && repoPath == null) {
      throw new IllegalArgumentException(name + ": neither a URL nor a repository path");
    }
  }

  /** A file with a fixed checksum. */
  public RemoteFile(
      String name, URI url, String repoPath, long size, String approxSize, Checksum checksum) {
    this(name, url, repoPath, size, approxSize, checksum, false);
  }

  /**
   * A file on the Hugging Face hub at its {@code resolve} URL, checked against the SHA-256 the hub
   * reports.
   */
  public static RemoteFile onHub(String name, URI resolveUrl, String approxSize) {
    return new RemoteFile(name, resolveUrl, null, -1, approxSize, null, true);
  }

  /** This file with a known digest and size (-1: unknown): a hub file once its SHA-256 is known. */
  public RemoteFile withDigest(Checksum digest, long bytes) {
    return new RemoteFile(
        name, url, repoPath, bytes >= 0 ? bytes : size, approxSize, digest, false);
  }

  /** The digest as a listing shows it. */
  public String checksumLabel() {
    return checksum != null ? checksum.toString() : "SHA-256 reported by the hub";
  }

  /** A file published at {@code url} (size unknown). */
  public static RemoteFile of(String name, URI url, Checksum checksum) {
    return new RemoteFile(name, url, null, -1, null, checksum);
  }

  /** The size for a listing: exact when known, else the publisher's rough size, else "?". */
  public String sizeLabel() {
    return size >= 0
        ? formatBytes(size)
        : approxSize == null
            ? "?"
            : Character.isDigit(approxSize.charAt(0)) ? "~" + approxSize : approxSize;
  }

  /** Bytes as B, KiB or MiB with one decimal. */
  public static String formatBytes(long bytes) {
    return bytes >= 1 << 20
        ? String.format("%.1f MiB", bytes / (double) (1 << 20))
        : bytes >= 1 << 10 ? String.format("%.1f KiB", bytes / 1024.0) : bytes + " B";
  }
}
