package ghn4j.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Fetches a {@link RemoteFile} (http, https or file URL) into a target path so that a file at the
 * target is always a verified one: bytes go to {@code <target>.part}, a progress bar (size, rate)
 * is drawn on stderr, the size and checksum are checked, and only then is the part renamed onto the
 * target in one step. A mismatch deletes the part and says so; an interrupted transfer keeps it,
 * and the next call resumes it with an HTTP range request where the server allows ranges (else
 * starts over). Connections go through the settings' proxy selector (the JVM's by default), to the
 * mirror when one is set. A small {@code .<name>.verified} note next to a verified file (digest,
 * size, modification time) saves re-reading large files on later calls.
 *
 * <p>One unit (~440 lines): one transfer protocol (part file, resume, verify, rename) whose steps
 * depend on each other's files.
 */
public final class Downloader {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final DownloadSettings settings;

  public Downloader(DownloadSettings settings) {
    this.settings = settings;
  }

  public DownloadSettings settings() {
    return settings;
  }

  /**
   * Makes {@code target} a verified copy of {@code file}, downloading it unless it is already there
   * and verified.
   *
   * @param hint what the user can do instead, appended to errors (may be empty)
   * @return {@code target}
   * @throws MissingFileException when the file is not there and cannot be fetched (offline, no
   *     network)
   * @throws IOException on a failed, corrupt or interrupted download (the message says which, and
   *     what was kept)
   */
  public Path fetch(RemoteFile file, Path target, String hint) throws IOException {
    if (file.hubSha256()) {
      return fetchFromHub(file, target, hint);
    }
    if (Files.isRegularFile(target)) {
      if (isVerified(file, target)) {
        return target;
      }
      Files.delete(target);
      Files.deleteIfExists(note(target));
      System.err.println(
          "ghn4j: "
              + target
              + " did not match its "
              + file.checksum().algorithm().label()
              + " (corrupt or replaced); deleted, downloading it again");
    }
    URI source = settings.source(file);
    if (settings.offline() || source == null) {
      throw missing(
          file,
          target,
          settings.offline()
              ? "offline: " + DownloadSettings.OFFLINE_ENV + " is set"
              : "it is not published at a URL",
          null,
          hint);
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path part = part(target);
    transfer(file, source, part, target, hint);
    long size = Files.size(part);
    if (file.size() >= 0 && size != file.size()) {
      Files.delete(part);
      throw new IOException(
          file.name()
              + " from "
              + source
              + " has "
              + size
              + " bytes, expected "
              + file.size()
              + " (truncated or not the published file); deleted. "
              + hint);
    }
    Checksum got = Checksum.of(file.checksum().algorithm(), part);
    if (!got.equals(file.checksum())) {
      Files.delete(part);
      throw new IOException(
          file.name()
              + " from "
              + source
              + " has "
              + got
              + ", expected "
              + file.checksum().hex()
              + " (corrupt, truncated or not the published file); deleted. "
              + hint);
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    writeNote(file, target);
    return target;
  }

  /**
   * A hub file ({@link RemoteFile#hubSha256()}): verified against its recorded SHA-256 without the
   * network when it is here; otherwise the hub is asked for the SHA-256 (see {@link HubDigest}),
   * which must equal the recorded one if there is a record, the file is downloaded and checked
   * against it, and the digest is recorded.
   */
  private Path fetchFromHub(RemoteFile file, Path target, String hint) throws IOException {
    Path record = HubDigest.recordPath(target);
    java.util.Optional<Checksum> recorded = HubDigest.recorded(target);
    if (recorded.isPresent() && isVerified(file.withDigest(recorded.get(), -1), target)) {
      return target;
    }
    URI source = settings.source(file);
    String howToRecord =
        recorded.isPresent()
            ? ""
            : " Its SHA-256 is recorded on the first download from the hub; to"
                + " use a copy without the network, write the SHA-256 the hub shows for it (the LFS object id on the file's"
                + " page) to "
                + record.toAbsolutePath()
                + " as '<sha256>  "
                + file.name()
                + "'.";
    if (settings.offline()) {
      throw missing(
          file,
          target,
          "offline: " + DownloadSettings.OFFLINE_ENV + " is set",
          null,
          (hint + howToRecord).strip());
    }
    HubDigest.Reported reported;
    try {
      reported = HubDigest.ask(source, file.name(), this::open);
    } catch (UnknownHostException | ConnectException | NoRouteToHostException e) {
      throw missing(
          file,
          target,
          "cannot reach " + source + ": " + describe(e),
          e,
          (hint + howToRecord).strip());
    } catch (IOException e) {
      if (recorded.isEmpty()) {
        throw new IOException(e.getMessage() + ". " + (hint + howToRecord).strip(), e);
      }
      // a mirror that does not forward the hub's headers: the recorded digest is the reference
      reported = new HubDigest.Reported(recorded.get(), -1, "the record " + record);
    }
    if (recorded.isPresent() && !recorded.get().equals(reported.sha256())) {
      throw new IOException(
          file.name()
              + ": the hub now reports "
              + reported.sha256()
              + " ("
              + reported.via()
              + ") but "
              + recorded.get()
              + " was recorded on the first download ("
              + record.toAbsolutePath()
              + "): the published file changed. Not downloaded; delete the record to accept the new file. "
              + hint);
    }
    RemoteFile concrete = file.withDigest(reported.sha256(), reported.size());
    Path got = fetch(concrete, target, hint);
    if (recorded.isEmpty()) {
      HubDigest.record(target, reported.sha256());
    }
    return got;
  }

  /**
   * Whether {@code target} holds {@code file}: its size (when published) and its digest. The digest
   * is read from the note written at the last verification while the file's size and modification
   * time are unchanged, else computed.
   */
  public static boolean isVerified(RemoteFile file, Path target) throws IOException {
    if (!Files.isRegularFile(target)) {
      return false;
    }
    long size = Files.size(target);
    if (file.size() >= 0 && size != file.size()) {
      return false;
    }
    Path note = note(target);
    if (Files.isRegularFile(note)
        && Files.readString(note, StandardCharsets.UTF_8).strip().equals(noteText(file, target))) {
      return true;
    }
    if (!file.checksum().matches(target)) {
      return false;
    }
    writeNote(file, target);
    return true;
  }

  /**
   * Whether {@code target} exists with a still-valid verification note (no reading of the file).
   */
  public static boolean hasValidNote(RemoteFile file, Path target) {
    try {
      Path note = note(target);
      return Files.isRegularFile(target)
          && Files.isRegularFile(note)
          && Files.readString(note, StandardCharsets.UTF_8).strip().equals(noteText(file, target));
    } catch (IOException e) {
      return false;
    }
  }

  /** The partial download of {@code target}. */
  public static Path part(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  private void transfer(RemoteFile file, URI source, Path part, Path target, String hint)
      throws IOException {
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    URLConnection conn;
    try {
      conn = open(source);
      if (have > 0 && conn instanceof HttpURLConnection) {
        conn.setRequestProperty("Range", "bytes=" + have + "-");
      }
      conn.connect();
    } catch (UnknownHostException | ConnectException | NoRouteToHostException e) {
      throw missing(file, target, "cannot reach " + source + ": " + describe(e), e, hint);
    }
    long total = -1;
    boolean append = false;
    if (conn instanceof HttpURLConnection http) {
      int status;
      try {
        status = http.getResponseCode();
      } catch (UnknownHostException | ConnectException | NoRouteToHostException e) {
        throw missing(file, target, "cannot reach " + source + ": " + describe(e), e, hint);
      }
      if (status == 416 && have > 0) {
        // the part is no prefix the server can continue (e.g. already complete or larger): start
        // over
        http.disconnect();
        Files.delete(part);
        transfer(file, source, part, target, hint);
        return;
      }
      if (status == HttpURLConnection.HTTP_PARTIAL && have > 0) {
        Matcher m = CONTENT_RANGE.matcher(String.valueOf(http.getHeaderField("Content-Range")));
        if (m.matches() && Long.parseLong(m.group(1)) == have) {
          append = true;
          total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        } else {
          http.disconnect();
          Files.delete(part);
          transfer(file, source, part, target, hint);
          return;
        }
      } else if (status != HttpURLConnection.HTTP_OK) {
        String msg = http.getResponseMessage();
        http.disconnect();
        throw new IOException(
            "cannot download "
                + file.name()
                + " from "
                + source
                + ": HTTP "
                + status
                + (msg == null ? "" : " " + msg)
                + ". "
                + hint);
      }
    }
    if (!append) {
      have = 0;
      total = conn.getContentLengthLong();
    }
    if (append) {
      System.err.printf("ghn4j: resuming %s at %,d bytes%n", file.name(), have);
    }
    long received = have;
    try (InputStream in = conn.getInputStream();
        OutputStream out =
            Files.newOutputStream(
                part,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        ProgressBar bar = settings.progress() ? bar(file, total, have) : null) {
      byte[] buf = new byte[1 << 16];
      int r;
      while ((r = in.read(buf)) >= 0) {
        out.write(buf, 0, r);
        received += r;
        if (bar != null) {
          bar.stepBy(r);
        }
      }
    } catch (IOException e) {
      throw interrupted(file, source, part, received, total, describe(e), e, hint);
    }
    if (total >= 0 && received < total) {
      throw interrupted(
          file, source, part, received, total, "the connection closed early", null, hint);
    }
  }

  URLConnection open(URI source) throws IOException {
    URLConnection conn;
    if (source.getScheme() != null
        && source.getScheme().startsWith("http")
        && settings.proxies() != null) {
      List<Proxy> proxies = settings.proxies().select(source);
      conn =
          proxies.isEmpty()
              ? source.toURL().openConnection()
              : source.toURL().openConnection(proxies.get(0));
    } else {
      conn = source.toURL().openConnection();
    }
    conn.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
    conn.setReadTimeout((int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis()));
    conn.setRequestProperty("User-Agent", "ghn4j");
    return conn;
  }

  private static ProgressBar bar(RemoteFile file, long total, long have) {
    ProgressBarBuilder b =
        new ProgressBarBuilder()
            .setTaskName("download " + file.name())
            .setInitialMax(total > 0 ? total : -1)
            .setUnit("MiB", 1 << 20)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setMaxRenderedLength(110);
    if (have > 0) {
      b.startsFrom(have, Duration.ZERO);
    }
    return b.build();
  }

  private IOException interrupted(
      RemoteFile file,
      URI source,
      Path part,
      long received,
      long total,
      String why,
      Exception cause,
      String hint) {
    return new IOException(
        "download of "
            + file.name()
            + " from "
            + source
            + " was interrupted after "
            + String.format("%,d", received)
            + (total >= 0 ? String.format(" of %,d", total) : "")
            + " bytes ("
            + why
            + "); the partial file "
            + part
            + " is kept and the next attempt resumes it. "
            + hint,
        cause);
  }

  private MissingFileException missing(
      RemoteFile file, Path target, String why, Exception cause, String hint) {
    String where =
        file.url() != null
            ? file.url().toString()
            : "the ghn4j repository (" + file.repoPath() + ")";
    return new MissingFileException(
        file.name()
            + " is not available here ("
            + why
            + "). Get it from "
            + where
            + " on a machine with network access and put it at "
            + target.toAbsolutePath()
            + ", or set "
            + DownloadSettings.MIRROR_ENV
            + "=<base URL> (or --mirror) to a server that has it as <base URL>/"
            + file.name()
            + "."
            + (hint.isEmpty() ? "" : " " + hint),
        cause);
  }

  private static Path note(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".verified");
  }

  private static String noteText(RemoteFile file, Path target) throws IOException {
    return file.checksum()
        + " size "
        + Files.size(target)
        + " mtime "
        + Files.getLastModifiedTime(target).toMillis();
  }

  private static void writeNote(RemoteFile file, Path target) {
    try {
      Files.writeString(note(target), noteText(file, target) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      // read-only directory (e.g. a checkout): the file is simply verified again next time
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    if (e instanceof InterruptedIOException && m != null && m.contains("timed out")) {
      return "no data for longer than the read timeout: " + m;
    }
    return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
  }
}
