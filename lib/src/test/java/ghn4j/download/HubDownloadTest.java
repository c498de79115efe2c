package ghn4j.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Ghn3;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * GHN-3 checkpoints from the Hugging Face hub, against a server on 127.0.0.1 that answers as the
 * hub does: {@code /<owner>/<repo>/resolve/<rev>/<file>} gives a 302 to a CDN path with {@code
 * X-Linked-Etag} (the LFS oid, quoted), {@code X-Linked-Size}, an {@code ETag} and {@code
 * X-Repo-Commit}; {@code /api/models/<owner>/<repo>/tree/<rev>} lists the files with {@code
 * lfs.oid}; the CDN path serves the bytes.
 */
@Timeout(120)
class HubDownloadTest {

  private static final String REPO = "SamsungSAILMontreal/ghn3";

  @TempDir Path tmp;
  private Hub hub;

  /** The imitation hub: what it serves and how it answers can be changed by a test. */
  static final class Hub implements AutoCloseable {
    final HttpServer server;
    final ExecutorService pool = Executors.newCachedThreadPool();
    final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** the oid the hub reports per file (normally the SHA-256 of its bytes) */
    final Map<String, String> oids = new ConcurrentHashMap<>();

    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile boolean linkedHeaders = true;

    /** a repository renamed: resolve URLs of the old name redirect (relatively) to the new one */
    volatile boolean renamed;

    Hub() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(pool);
      server.start();
    }

    void put(String name, byte[] bytes) throws IOException {
      files.put(name, bytes);
      oids.put(name, Checksum.of(Checksum.Algorithm.SHA256, write(bytes)).hex());
    }

    private static Path write(byte[] bytes) throws IOException {
      Path t = Files.createTempFile("hub", ".bin");
      Files.write(t, bytes);
      t.toFile().deleteOnExit();
      return t;
    }

    String base() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    URI resolve(String file) {
      return URI.create(
          base() + "/" + (renamed ? "old-owner/ghn3" : REPO) + "/resolve/main/" + file);
    }

    private void handle(HttpExchange ex) throws IOException {
      String path = ex.getRequestURI().getPath();
      requests.add(ex.getRequestMethod() + " " + path);
      String resolve = "/" + REPO + "/resolve/main/";
      try (ex) {
        if (path.startsWith("/old-owner/ghn3/resolve/main/")) {
          ex.getResponseHeaders()
              .set("Location", resolve + path.substring("/old-owner/ghn3/resolve/main/".length()));
          ex.sendResponseHeaders(307, -1);
        } else if (path.startsWith(resolve)
            && files.containsKey(path.substring(resolve.length()))) {
          String name = path.substring(resolve.length());
          if (linkedHeaders) {
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + oids.get(name) + "\"");
            ex.getResponseHeaders().set("X-Linked-Size", String.valueOf(files.get(name).length));
          }
          ex.getResponseHeaders()
              .set("ETag", "\"0123456789abcdef0123456789abcdef01234567\""); // the pointer's git id
          ex.getResponseHeaders().set("X-Repo-Commit", "d0c4b5fe7ca7ee1ea5ac0fc02b4ad2aa8e6c0b21");
          ex.getResponseHeaders().set("Location", base() + "/cdn/" + oids.get(name) + "/" + name);
          ex.sendResponseHeaders(302, -1);
        } else if (path.startsWith("/cdn/")) {
          String name = path.substring(path.lastIndexOf('/') + 1);
          byte[] b = files.get(name);
          if (b == null) {
            ex.sendResponseHeaders(404, -1);
            return;
          }
          ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : b.length);
          if (!ex.getRequestMethod().equals("HEAD")) {
            try (OutputStream out = ex.getResponseBody()) {
              out.write(b);
            }
          }
        } else if (path.equals("/api/models/" + REPO + "/tree/main")) {
          StringBuilder json = new StringBuilder("[");
          for (String name : files.keySet()) {
            json.append(json.length() > 1 ? "," : "")
                .append("{\"type\":\"file\",\"path\":\"")
                .append(name)
                .append("\",\"size\":")
                .append(files.get(name).length)
                .append(",\"lfs\":{\"oid\":\"")
                .append(oids.get(name))
                .append("\",\"size\":")
                .append(files.get(name).length)
                .append(",\"pointerSize\":134}}");
          }
          byte[] body = json.append("]").toString().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        } else {
          ex.sendResponseHeaders(404, -1);
        }
      }
    }

    @Override
    public void close() {
      server.stop(0);
      pool.shutdownNow();
    }
  }

  @BeforeEach
  void start() throws IOException {
    hub = new Hub();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private Catalog catalog() throws IOException {
    String json =
        """
        {"entries": [{"name": "ghn3-tm8", "kind": "ghn3", "description": "GHN-3 on an imitation hub",
          "files": [{"file": "ghn3tm8.pt", "url": "%s", "hub_sha256": true}]}]}"""
            .formatted(hub.resolve("ghn3tm8.pt"));
    return Catalog.read(new ObjectMapper().readTree(json), "test catalog");
  }

  private Store store(boolean offline) throws IOException {
    DownloadSettings s =
        DownloadSettings.fromEnvironment(
                Map.of(DownloadSettings.CACHE_ENV, tmp.resolve("cache").toString()), tmp.toString())
            .withProgress(false)
            .withOffline(offline);
    return new Store(s, catalog(), null);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  @Test
  void firstDownloadIsVerifiedAgainstTheLfsOidAndRecorded() throws IOException {
    byte[] content = bytes(300_000, 1);
    hub.put("ghn3tm8.pt", content);
    Store store = store(false);
    assertEquals(Store.State.MISSING, store.list().get(0).state());
    Path p = store.get("ghn3-tm8");
    assertArrayEquals(content, Files.readAllBytes(p));
    Path record = HubDigest.recordPath(p);
    assertEquals(hub.oids.get("ghn3tm8.pt") + "  ghn3tm8.pt", Files.readString(record).strip());
    assertTrue(
        hub.requests.contains("HEAD /" + REPO + "/resolve/main/ghn3tm8.pt"),
        hub.requests.toString());
    assertTrue(
        hub.requests.stream().anyMatch(r -> r.startsWith("GET /cdn/")),
        "followed the redirect to the CDN");
    assertEquals(Store.State.CACHED, store.list().get(0).state());
    // later: no network needed, the record is the reference
    hub.close();
    assertEquals(p, store(true).get("ghn3-tm8"));
    assertEquals(p, store(true).cached(store.catalog().get("ghn3-tm8")).orElseThrow());
  }

  @Test
  void theTreeListingGivesTheOidWhenTheHeadersDoNot() throws IOException {
    hub.put("ghn3tm8.pt", bytes(50_000, 2));
    hub.linkedHeaders = false;
    Path p = store(false).get("ghn3-tm8");
    assertEquals(hub.oids.get("ghn3tm8.pt"), HubDigest.recorded(p).orElseThrow().hex());
    assertTrue(
        hub.requests.contains("GET /api/models/" + REPO + "/tree/main"), hub.requests.toString());
  }

  @Test
  void aRenamedRepositoryIsFollowedForTheMetadata() throws IOException {
    hub.put("ghn3tm8.pt", bytes(40_000, 3));
    hub.renamed = true;
    Path p = store(false).get("ghn3-tm8");
    assertEquals(hub.oids.get("ghn3tm8.pt"), HubDigest.recorded(p).orElseThrow().hex());
  }

  @Test
  void bytesThatDoNotHaveTheReportedOidAreRefused() throws IOException {
    hub.put("ghn3tm8.pt", bytes(60_000, 4));
    hub.oids.put("ghn3tm8.pt", "ab".repeat(32));
    Store store = store(false);
    IOException e = assertThrows(IOException.class, () -> store.get("ghn3-tm8"));
    assertTrue(e.getMessage().contains("expected " + "ab".repeat(32)), e.getMessage());
    Path target = store.folder(Catalog.Kind.GHN3).resolve("ghn3tm8.pt");
    assertFalse(Files.exists(target));
    assertFalse(
        Files.exists(HubDigest.recordPath(target)), "nothing recorded for a failed download");
  }

  @Test
  void aFileThatChangedOnTheHubIsRefusedAgainstTheRecord() throws IOException {
    hub.put("ghn3tm8.pt", bytes(30_000, 5));
    Store store = store(false);
    Path p = store.get("ghn3-tm8");
    String first = HubDigest.recorded(p).orElseThrow().hex();
    Files.delete(p);
    hub.put("ghn3tm8.pt", bytes(30_000, 6)); // new bytes, consistently reported
    IOException e = assertThrows(IOException.class, () -> store.get("ghn3-tm8"));
    assertTrue(
        e.getMessage().contains("the published file changed") && e.getMessage().contains(first),
        e.getMessage());
    assertFalse(Files.exists(p));
    // a file put there by hand with other bytes is not accepted either
    Files.write(p, bytes(30_000, 7));
    assertTrue(store(true).cached(store.catalog().get("ghn3-tm8")).isEmpty());
  }

  @Test
  void offlineSaysWhereToGetItAndHowToRecordItsDigest() throws IOException {
    hub.put("ghn3tm8.pt", bytes(10_000, 8));
    MissingFileException e =
        assertThrows(MissingFileException.class, () -> store(true).get("ghn3-tm8"));
    String m = e.getMessage();
    assertTrue(
        m.contains("ghn3tm8.pt is not available here (offline")
            && m.contains(hub.resolve("ghn3tm8.pt").toString())
            && m.contains("ghn3tm8.pt.sha256"),
        m);
    assertTrue(hub.requests.isEmpty(), "offline: no request");
    // unreachable hub: the same kind of message
    String url = hub.resolve("ghn3tm8.pt").toString();
    hub.close();
    MissingFileException e2 =
        assertThrows(MissingFileException.class, () -> store(false).get("ghn3-tm8"));
    assertTrue(e2.getMessage().contains("cannot reach " + url), e2.getMessage());
  }

  @Test
  void aHandPlacedFileWithAHandWrittenRecordIsUsedOffline() throws IOException {
    byte[] content = bytes(20_000, 9);
    hub.put("ghn3tm8.pt", content);
    Store store = store(true);
    Path target = store.folder(Catalog.Kind.GHN3).resolve("ghn3tm8.pt");
    Files.createDirectories(target.getParent());
    Files.write(target, content);
    assertThrows(
        MissingFileException.class,
        () -> store.get("ghn3-tm8"),
        "no record: cannot verify offline");
    Files.writeString(HubDigest.recordPath(target), hub.oids.get("ghn3tm8.pt") + "  ghn3tm8.pt\n");
    assertEquals(target, store.get("ghn3-tm8"));
    Files.writeString(HubDigest.recordPath(target), "not a digest\n");
    IOException e = assertThrows(IOException.class, () -> store.get("ghn3-tm8"));
    assertTrue(e.getMessage().contains("not a SHA-256 record"), e.getMessage());
  }

  @Test
  void aMissingFileOnTheHubNamesTheUrl() throws IOException {
    IOException e = assertThrows(IOException.class, () -> store(false).get("ghn3-tm8"));
    assertTrue(
        e.getMessage().contains("HTTP 404") && e.getMessage().contains("ghn3tm8.pt"),
        e.getMessage());
  }

  @Test
  void theFixtureGhn3LoadsThroughThePretrainedPath() throws IOException {
    Path ckpt =
        Fixtures.require(
            Fixtures.ghn3Dir().resolve("ghn").resolve("ghn3-random.joblib"),
            "the GHN-3 fixtures' random GHN-3");
    hub.put("ghn3tm8.pt", Files.readAllBytes(ckpt));
    Store store = store(false);
    try (Ghn3 g = Ghn3.pretrained("ghn3-tm8", store)) {
      assertEquals(32, g.config().hid());
      assertEquals(3, g.config().layers());
    }
    IllegalArgumentException wrong =
        assertThrows(IllegalArgumentException.class, () -> Ghn.pretrained("ghn3-tm8", store));
    assertTrue(wrong.getMessage().contains("Ghn3.pretrained"), wrong.getMessage());
  }

  @Test
  void theStandardCatalogHasTheFourReleasedGhn3s() {
    Catalog c = Catalog.standard();
    for (String v : List.of("tm8", "sm8", "lm8", "xlm16")) {
      Catalog.Entry e = c.get("ghn3-" + v);
      assertEquals(Catalog.Kind.GHN3, e.kind());
      assertTrue(e.main().hubSha256());
      assertEquals(
          "https://huggingface.co/" + REPO + "/resolve/main/ghn3" + v + ".pt",
          e.main().url().toString());
      assertEquals("huggingface.co/" + REPO, e.source());
    }
    assertInstanceOf(Catalog.class, c);
  }
}
