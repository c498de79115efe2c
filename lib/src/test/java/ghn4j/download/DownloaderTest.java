package ghn4j.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The downloader against a real HTTP server on 127.0.0.1: good, corrupt, truncated, dropped, slow
 * and missing files.
 */
@Timeout(60)
class DownloaderTest {

  private static final String NAME = "weights.bin";

  @TempDir Path tmp;
  private LoopbackServer server;
  private byte[] body;
  private Checksum md5;
  private Checksum blob;

  @BeforeEach
  void serve() throws IOException {
    server = new LoopbackServer();
    body = new byte[300_000];
    new Random(7).nextBytes(body);
    server.put(NAME, body);
    Path ref = tmp.resolve("reference.bin");
    Files.write(ref, body);
    md5 = Checksum.of(Checksum.Algorithm.MD5, ref);
    blob = Checksum.of(Checksum.Algorithm.GIT_BLOB_SHA1, ref);
    Files.delete(ref);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Downloader downloader() {
    return new Downloader(
        DownloadSettings.fromEnvironment(Map.of(), tmp.toString())
            .withCache(tmp.resolve("cache"))
            .withProgress(false)
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
  }

  private Path target() {
    return tmp.resolve("cache").resolve(NAME);
  }

  private List<String> files() throws IOException {
    Path dir = tmp.resolve("cache");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void gitBlobSha1IsWhatGitHashObjectPrints() throws IOException {
    // `git hash-object` of a 3-byte file "abc" and of the empty file (values printed by git 2.39)
    Path abc = Files.writeString(tmp.resolve("abc"), "abc");
    assertEquals(
        "f2ba8f84ab5c1bce84a7b441cb1959cfc7093b7f",
        Checksum.of(Checksum.Algorithm.GIT_BLOB_SHA1, abc).hex());
    Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
    assertEquals(
        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
        Checksum.of(Checksum.Algorithm.GIT_BLOB_SHA1, empty).hex());
  }

  @Test
  void goodFileIsVerifiedCachedAndNotFetchedAgain() throws IOException {
    RemoteFile f = new RemoteFile(NAME, server.url("good", NAME), null, body.length, null, blob);
    Path got = downloader().fetch(f, target(), "");
    assertArrayEquals(body, Files.readAllBytes(got));
    assertEquals(List.of("." + NAME + ".verified", NAME), files());
    int before = server.requests.size();
    downloader().fetch(f, target(), "");
    assertEquals(before, server.requests.size(), "a verified cached file is not fetched again");
    // with the progress bar drawn (size, rate on stderr), an MD5-checked file
    Path other = tmp.resolve("cache2").resolve(NAME);
    new Downloader(
            DownloadSettings.fromEnvironment(Map.of(), tmp.toString())
                .withCache(tmp.resolve("cache2")))
        .fetch(RemoteFile.of(NAME, server.url("good", NAME), md5), other, "");
    assertArrayEquals(body, Files.readAllBytes(other));
  }

  @Test
  void corruptFileIsRefusedAndRemoved() {
    RemoteFile f = RemoteFile.of(NAME, server.url("corrupt", NAME), blob);
    IOException e = assertThrows(IOException.class, () -> downloader().fetch(f, target(), "HINT"));
    assertTrue(
        e.getMessage().contains("git blob SHA-1")
            && e.getMessage().contains(blob.hex())
            && e.getMessage().contains("deleted")
            && e.getMessage().contains("HINT"),
        e.getMessage());
    assertTrue(assertDoesNotThrowFiles().isEmpty());
  }

  @Test
  void truncatedFileIsRefusedAndRemovedWithOrWithoutAKnownSize() throws IOException {
    RemoteFile sized =
        new RemoteFile(NAME, server.url("truncated", NAME), null, body.length, null, md5);
    IOException e = assertThrows(IOException.class, () -> downloader().fetch(sized, target(), ""));
    assertTrue(
        e.getMessage().contains(body.length / 2 + " bytes, expected " + body.length)
            && e.getMessage().contains("deleted"),
        e.getMessage());
    assertEquals(List.of(), files());
    RemoteFile unsized = RemoteFile.of(NAME, server.url("truncated", NAME), md5);
    e = assertThrows(IOException.class, () -> downloader().fetch(unsized, target(), ""));
    assertTrue(
        e.getMessage().contains("MD5") && e.getMessage().contains("deleted"), e.getMessage());
    assertEquals(List.of(), files());
  }

  @Test
  void droppedConnectionKeepsOnlyAPartThatTheNextFetchResumesWithARange() throws IOException {
    RemoteFile dropped = RemoteFile.of(NAME, server.url("dropped", NAME), blob);
    IOException e =
        assertThrows(IOException.class, () -> downloader().fetch(dropped, target(), ""));
    assertTrue(
        e.getMessage().contains("interrupted") && e.getMessage().contains("resumes"),
        e.getMessage());
    assertEquals(List.of(NAME + ".part"), files(), "no file that looks complete");
    long kept = Files.size(Downloader.part(target()));
    assertTrue(kept > 0 && kept < body.length, "kept " + kept);

    RemoteFile good = RemoteFile.of(NAME, server.url("good", NAME), blob);
    downloader().fetch(good, target(), "");
    assertArrayEquals(body, Files.readAllBytes(target()));
    LoopbackServer.Request last = server.requests.get(server.requests.size() - 1);
    assertEquals("bytes=" + kept + "-", last.range(), "resumed from the part");
    assertFalse(Files.exists(Downloader.part(target())));
  }

  @Test
  void serverWithoutRangesRestartsFromZero() throws IOException {
    Files.createDirectories(target().getParent());
    Files.write(Downloader.part(target()), new byte[] {1, 2, 3});
    downloader().fetch(RemoteFile.of(NAME, server.url("norange", NAME), md5), target(), "");
    assertArrayEquals(body, Files.readAllBytes(target()));
  }

  @Test
  void slowServerTimesOutThenResumes() throws IOException {
    Downloader impatient =
        new Downloader(
            DownloadSettings.fromEnvironment(Map.of(), tmp.toString())
                .withCache(tmp.resolve("cache"))
                .withProgress(false)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
    RemoteFile slow = RemoteFile.of(NAME, server.url("slow", NAME), blob);
    IOException e = assertThrows(IOException.class, () -> impatient.fetch(slow, target(), ""));
    assertTrue(
        e.getMessage().contains("interrupted") && e.getMessage().contains("timeout"),
        e.getMessage());
    assertFalse(Files.exists(target()));
    long kept = Files.size(Downloader.part(target()));
    assertTrue(kept > 0 && kept < body.length, "kept " + kept);
    impatient.fetch(slow, target(), "");
    assertArrayEquals(body, Files.readAllBytes(target()));
    assertEquals("bytes=" + kept + "-", server.requests.get(server.requests.size() - 1).range());
  }

  @Test
  void missingFileIsAnHttpErrorAndLeavesNothing() {
    RemoteFile f = RemoteFile.of(NAME, server.url("good", "absent.bin"), blob);
    IOException e = assertThrows(IOException.class, () -> downloader().fetch(f, target(), ""));
    assertTrue(
        e.getMessage().contains("HTTP 404") && e.getMessage().contains("absent.bin"),
        e.getMessage());
    assertTrue(assertDoesNotThrowFiles().isEmpty());
  }

  @Test
  void offlineNamesTheFileWhereToGetItAndWhereToPutIt() {
    RemoteFile f = RemoteFile.of(NAME, server.url("good", NAME), blob);
    Downloader offline =
        new Downloader(
            DownloadSettings.fromEnvironment(Map.of("GHN4J_OFFLINE", "1"), tmp.toString())
                .withProgress(false));
    assertTrue(offline.settings().offline());
    MissingFileException e =
        assertThrows(MissingFileException.class, () -> offline.fetch(f, target(), ""));
    assertTrue(
        e.getMessage().contains(NAME)
            && e.getMessage().contains(server.url("good", NAME).toString())
            && e.getMessage().contains(target().toAbsolutePath().toString())
            && e.getMessage().contains("GHN4J_MIRROR")
            && e.getMessage().contains("offline"),
        e.getMessage());
    assertEquals(0, server.requests.size(), "offline: no request");
  }

  @Test
  void unreachableHostGivesTheSameMessage() {
    RemoteFile f =
        RemoteFile.of(NAME, URI.create("http://ghn4j-no-such-host.invalid/" + NAME), blob);
    MissingFileException e =
        assertThrows(MissingFileException.class, () -> downloader().fetch(f, target(), ""));
    assertTrue(
        e.getMessage().contains("cannot reach")
            && e.getMessage().contains(target().toAbsolutePath().toString()),
        e.getMessage());
  }

  @Test
  void corruptedCachedFileIsReplaced() throws IOException {
    RemoteFile f = RemoteFile.of(NAME, server.url("good", NAME), blob);
    downloader().fetch(f, target(), "");
    byte[] bad = body.clone();
    bad[5] ^= 1;
    Files.write(target(), bad);
    assertFalse(
        Downloader.isVerified(f, target()), "the note no longer matches: the digest is recomputed");
    downloader().fetch(f, target(), "");
    assertArrayEquals(body, Files.readAllBytes(target()));
  }

  @Test
  void jvmProxySelectorIsHonoured() throws IOException {
    // the server doubles as a proxy; the publisher's host does not exist, so only the proxy can
    // serve the file
    InetSocketAddress at = server.address();
    ProxySelector viaServer =
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            return List.of(new Proxy(Proxy.Type.HTTP, at));
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        };
    Downloader d =
        new Downloader(
            DownloadSettings.fromEnvironment(Map.of(), tmp.toString())
                .withCache(tmp.resolve("cache"))
                .withProgress(false)
                .withProxies(viaServer));
    RemoteFile f =
        RemoteFile.of(NAME, URI.create("http://ghn4j-no-such-host.invalid/good/" + NAME), blob);
    d.fetch(f, target(), "");
    assertArrayEquals(body, Files.readAllBytes(target()));
    assertTrue(server.requests.get(0).proxied(), server.requests.toString());
  }

  @Test
  void mirrorServesEveryFileByName() throws IOException {
    Downloader d =
        new Downloader(
            DownloadSettings.fromEnvironment(
                    Map.of("GHN4J_MIRROR", server.base() + "good"), tmp.toString())
                .withCache(tmp.resolve("cache"))
                .withProgress(false));
    RemoteFile f =
        RemoteFile.of(NAME, URI.create("https://ghn4j-no-such-host.invalid/x/y/" + NAME), blob);
    d.fetch(f, target(), "");
    assertArrayEquals(body, Files.readAllBytes(target()));
    assertEquals("/good/" + NAME, server.requests.get(0).path());
  }

  @Test
  void cacheDirectoryFollowsTheEnvironment() {
    assertEquals(
        Path.of("/c/own"),
        DownloadSettings.defaultCache(
            Map.of("GHN4J_CACHE", "/c/own", "XDG_CACHE_HOME", "/x"), "/home/u"));
    assertEquals(
        Path.of("/x", "ghn4j"),
        DownloadSettings.defaultCache(Map.of("XDG_CACHE_HOME", "/x"), "/home/u"));
    assertEquals(
        Path.of("/home/u", ".cache", "ghn4j"), DownloadSettings.defaultCache(Map.of(), "/home/u"));
  }

  private List<String> assertDoesNotThrowFiles() {
    try {
      return files();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
