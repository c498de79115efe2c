package ghn4j.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 a Hugging Face hub file must have, and its record in the cache.
 *
 * <p>The hub stores large files with git LFS; an LFS object id is the SHA-256 of the file's bytes.
 * As {@code huggingface_hub} does, the digest is read from a {@code HEAD} of the file's {@code
 * resolve} URL without following the redirect to the CDN: the {@code X-Linked-Etag} header (the LFS
 * oid, quoted), else an {@code ETag} that is 64 hex digits, with {@code X-Linked-Size} (else {@code
 * Content-Length}) as the size; same-host (relative) redirects, e.g. of a renamed repository, are
 * followed. When the headers carry no SHA-256 the repository's tree listing ({@code
 * /api/models/<owner>/<repo>/tree/<revision>}, field {@code lfs.oid}) is asked instead.
 *
 * <p>The digest seen on the first verified download is recorded next to the file as {@code
 * <file>.sha256} ({@code sha256sum} format); later downloads must match it, so a file that changed
 * on the hub is refused rather than silently replacing the one first used (delete the record to
 * accept the new one).
 */
public final class HubDigest {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern RESOLVE = Pattern.compile("/(.+?)/resolve/([^/]+)/(.+)");

  /**
   * What the hub reported: the SHA-256, the size (-1 when not reported) and which header or API
   * gave them.
   */
  public record Reported(Checksum sha256, long size, String via) {}

  private HubDigest() {}

  /** The record of {@code target}'s digest: {@code <target>.sha256} next to it. */
  public static Path recordPath(Path target) {
    return target.resolveSibling(target.getFileName() + ".sha256");
  }

  /** The digest recorded for {@code target}, if any. */
  public static Optional<Checksum> recorded(Path target) throws IOException {
    Path rec = recordPath(target);
    if (!Files.isRegularFile(rec)) {
      return Optional.empty();
    }
    String line = Files.readString(rec, StandardCharsets.UTF_8).strip();
    String hex = line.split("\\s+")[0];
    if (!HEX64.matcher(hex).matches()) {
      throw new IOException(
          rec
              + ": not a SHA-256 record (expected '<64 hex digits>  <file name>', got '"
              + (line.length() > 80 ? line.substring(0, 80) + "..." : line)
              + "')");
    }
    return Optional.of(Checksum.sha256(hex));
  }

  /** Records {@code digest} for {@code target} (atomically, {@code sha256sum} format). */
  public static void record(Path target, Checksum digest) throws IOException {
    Path rec = recordPath(target);
    Path tmp = rec.resolveSibling(rec.getFileName() + ".tmp");
    Files.writeString(
        tmp, digest.hex() + "  " + target.getFileName() + "\n", StandardCharsets.UTF_8);
    Files.move(
        tmp,
        rec,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** A connection factory (the downloader's: proxies, timeouts, user agent). */
  interface Opener {
    URLConnection open(URI uri) throws IOException;
  }

  /**
   * Asks the hub for the SHA-256 of the file at {@code resolveUrl} (see the class comment).
   *
   * @throws java.net.ConnectException and the like when the hub cannot be reached
   * @throws IOException when the hub answers but reports no SHA-256 for the file (the message says
   *     what it sent)
   */
  static Reported ask(URI resolveUrl, String name, Opener opener) throws IOException {
    URI at = resolveUrl;
    String headers = "";
    for (int hop = 0; hop < 5; hop++) {
      URLConnection c = opener.open(at);
      if (!(c instanceof HttpURLConnection http)) {
        throw new IOException(
            name + ": " + at + " is not an HTTP URL; the hub's SHA-256 comes from its headers");
      }
      http.setInstanceFollowRedirects(false);
      http.setRequestMethod("HEAD");
      http.setRequestProperty("Accept-Encoding", "identity");
      int status = http.getResponseCode();
      String linked = etag(http.getHeaderField("X-Linked-Etag"));
      String etag = etag(http.getHeaderField("ETag"));
      long size =
          parseSize(
              http.getHeaderField("X-Linked-Size"),
              status == 200 ? http.getHeaderField("Content-Length") : null,
              linked != null);
      String location = http.getHeaderField("Location");
      http.disconnect();
      if (status == 404 || status == 401 || status == 403) {
        throw new IOException(
            name
                + ": the hub answers HTTP "
                + status
                + " for "
                + at
                + " (no such file in the repository, or not public)");
      }
      if (status >= 400) {
        throw new IOException(name + ": the hub answers HTTP " + status + " for " + at);
      }
      if (linked != null && HEX64.matcher(linked).matches()) {
        return new Reported(Checksum.sha256(linked), size, "X-Linked-Etag of " + at);
      }
      if (etag != null && HEX64.matcher(etag).matches()) {
        return new Reported(Checksum.sha256(etag), size, "ETag of " + at);
      }
      headers =
          "X-Linked-Etag "
              + (linked == null ? "absent" : "'" + linked + "'")
              + ", ETag "
              + (etag == null ? "absent" : "'" + etag + "'");
      if (status >= 300 && status < 400 && location != null) {
        URI next = at.resolve(location);
        if (sameHost(at, next)) {
          at = next;
          continue;
        }
      }
      break;
    }
    Optional<Reported> fromTree = askTree(resolveUrl, name, opener);
    if (fromTree.isPresent()) {
      return fromTree.get();
    }
    throw new IOException(
        name
            + ": the hub reports no SHA-256 for "
            + resolveUrl
            + " ("
            + headers
            + "; not an LFS file in the repository's tree listing either), so it cannot be verified");
  }

  /**
   * The {@code lfs.oid} of {@code name} in the repository's tree listing, when the URL is a hub
   * resolve URL.
   */
  private static Optional<Reported> askTree(URI resolveUrl, String name, Opener opener)
      throws IOException {
    Matcher m = RESOLVE.matcher(resolveUrl.getPath());
    if (!m.matches()) {
      return Optional.empty();
    }
    String file = m.group(3);
    int slash = file.lastIndexOf('/');
    String dir = slash < 0 ? "" : "/" + file.substring(0, slash);
    URI api = resolveUrl.resolve("/api/models/" + m.group(1) + "/tree/" + m.group(2) + dir);
    URLConnection c = opener.open(api);
    if (c instanceof HttpURLConnection http && http.getResponseCode() != 200) {
      int status = http.getResponseCode();
      http.disconnect();
      throw new IOException(
          name
              + ": no SHA-256 in the hub's headers, and its tree listing "
              + api
              + " answers HTTP "
              + status);
    }
    JsonNode list;
    try (InputStream in = c.getInputStream()) {
      list = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IOException(
          name + ": the hub's tree listing " + api + " is not JSON: " + e.getMessage(), e);
    }
    if (list == null || !list.isArray()) {
      throw new IOException(name + ": the hub's tree listing " + api + " is not a JSON list");
    }
    for (JsonNode e : list) {
      if (file.equals(e.path("path").asText())) {
        JsonNode lfs = e.path("lfs");
        String oid =
            lfs.hasNonNull("oid") ? lfs.get("oid").asText() : lfs.path("sha256").asText("");
        if (!HEX64.matcher(oid).matches()) {
          return Optional.empty();
        }
        long size = lfs.path("size").asLong(e.path("size").asLong(-1));
        return Optional.of(new Reported(Checksum.sha256(oid), size, "lfs.oid in " + api));
      }
    }
    throw new IOException(name + ": the hub's tree listing " + api + " has no file '" + file + "'");
  }

  private static boolean sameHost(URI a, URI b) {
    return b.getHost() == null
        || (b.getHost().equalsIgnoreCase(a.getHost()) && b.getPort() == a.getPort());
  }

  private static long parseSize(String linked, String length, boolean linkedTag) {
    String s = linked != null ? linked : linkedTag ? null : length;
    try {
      return s == null ? -1 : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** An ETag without its weak marker and quotes, lower case; null if absent. */
  static String etag(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String t = header.strip();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t.toLowerCase(Locale.ROOT);
  }
}
