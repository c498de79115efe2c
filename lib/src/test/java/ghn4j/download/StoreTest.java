package ghn4j.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnSource;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache end to end: a mirror directory served over HTTP on 127.0.0.1 with stand-ins for the
 * published GHNs (the released ghn4j checkpoint and the fixtures' ppuda-format GHN-2, each under
 * the git blob SHA-1 that `git hash-object` prints for it), fetched, verified, loaded; then offline
 * from the cache; a corrupt mirror refused; the released checkpoint used in place in the checkout.
 */
@Timeout(120)
class StoreTest {

  // `git hash-object` of the files (git 2.39): the released checkpoint and the fixture GHN-2 in
  // ppuda's format
  private static final String RELEASED_ST = "15858b62130929f7a97ac3ba2be95294d9c38979";
  private static final String RELEASED_JSON = "45a1355aecdb0c49242a36e32a2b78567e4cc5b6";
  private static final String FIXTURE_PT = "f4ee6eacdc11c479f6da0a090f945753da383190";

  @TempDir Path tmp;

  private static Path repoRoot() {
    return Store.findRepoRoot()
        .orElseThrow(() -> new AssertionError("tests run inside the checkout"));
  }

  private static Catalog standIns() throws IOException {
    String json =
        """
        {"entries": [
          {"name": "released-standin", "kind": "ghn", "description": "ghn4j's released checkpoint via a mirror",
           "files": [{"file": "ghn2-cifar10-cpu2h.safetensors",
                      "url": "https://ghn4j-no-such-host.invalid/ckpt/ghn2-cifar10-cpu2h.safetensors",
                      "size": 6485720, "git_blob_sha1": "%s"},
                     {"file": "ghn2-cifar10-cpu2h.json",
                      "url": "https://ghn4j-no-such-host.invalid/ckpt/ghn2-cifar10-cpu2h.json",
                      "git_blob_sha1": "%s"}]},
          {"name": "ppuda-standin", "kind": "ghn", "description": "a .pt in ppuda's format via a mirror",
           "files": [{"file": "ghn2-random.pt", "url": "https://ghn4j-no-such-host.invalid/checkpoints/ghn2-random.pt",
                      "approx_size": "6 MB", "git_blob_sha1": "%s"}]}
        ]}"""
            .formatted(RELEASED_ST, RELEASED_JSON, FIXTURE_PT);
    return Catalog.read(new ObjectMapper().readTree(json), "test catalog");
  }

  private Path mirrorDir() throws IOException {
    Path mirror = tmp.resolve("mirror");
    Files.createDirectories(mirror);
    Path ckpts = repoRoot().resolve("data").resolve("checkpoints");
    Files.copy(
        ckpts.resolve("ghn2-cifar10-cpu2h.safetensors"),
        mirror.resolve("ghn2-cifar10-cpu2h.safetensors"));
    Files.copy(ckpts.resolve("ghn2-cifar10-cpu2h.json"), mirror.resolve("ghn2-cifar10-cpu2h.json"));
    Files.copy(
        Fixtures.dir().resolve("ghn").resolve("ghn2-random.pt"), mirror.resolve("ghn2-random.pt"));
    return mirror;
  }

  private DownloadSettings settings() {
    return DownloadSettings.fromEnvironment(Map.of(), tmp.toString())
        .withCache(tmp.resolve("cache"))
        .withProgress(false);
  }

  @Test
  void mirrorDirectoryOverHttpEndToEnd() throws IOException {
    Path mirror = mirrorDir();
    Catalog catalog = standIns();
    try (LoopbackServer server = new LoopbackServer()) {
      server.putAll(mirror);
      Store store =
          new Store(
              settings().withMirror(java.net.URI.create(server.base() + "good")), catalog, null);
      for (Catalog.Entry e : catalog.entries()) {
        assertEquals(Store.State.MISSING, store.status(e).state());
      }
      try (Ghn released = Ghn.pretrained("released-standin", store);
          Ghn expected =
              Ghn.load(repoRoot().resolve("data/checkpoints/ghn2-cifar10-cpu2h.safetensors"))) {
        assertEquals(expected.config().toJson(), released.config().toJson());
        assertEquals(expected.parameters().keySet(), released.parameters().keySet());
      }
      try (Ghn ppuda = Ghn.pretrained("ppuda-standin", store);
          Ghn expected = Ghn.load(Fixtures.dir().resolve("ghn/ghn2-random.pt"))) {
        assertEquals(expected.config().toJson(), ppuda.config().toJson());
      }
      assertEquals(3, server.requests.size(), server.requests.toString());
      assertTrue(
          server.requests.stream().allMatch(r -> r.path().startsWith("/good/")),
          server.requests.toString());
      for (Catalog.Entry e : catalog.entries()) {
        Store.Status s = store.status(e);
        assertEquals(Store.State.CACHED, s.state(), e.name());
        assertEquals(tmp.resolve("cache/checkpoints").resolve(e.main().name()), s.path());
      }
    }
    // the server is gone: offline, everything comes from the cache
    Store offline = new Store(settings().withOffline(true), catalog, null);
    try (Ghn g = Ghn.pretrained("ppuda-standin", offline)) {
      assertEquals(10, g.config().numClasses());
    }
  }

  @Test
  void corruptMirrorIsRefusedAndLeavesNothing() throws IOException {
    Path mirror = mirrorDir();
    Catalog catalog = standIns();
    try (LoopbackServer server = new LoopbackServer()) {
      server.putAll(mirror);
      Store store =
          new Store(
              settings().withMirror(java.net.URI.create(server.base() + "corrupt")), catalog, null);
      IOException e = assertThrows(IOException.class, () -> store.get("ppuda-standin"));
      assertTrue(
          e.getMessage().contains(FIXTURE_PT) && e.getMessage().contains("deleted"),
          e.getMessage());
      assertEquals(Store.State.MISSING, store.status(catalog.get("ppuda-standin")).state());
      try (var s = Files.list(tmp.resolve("cache/checkpoints"))) {
        assertEquals(0, s.count());
      }
    }
  }

  @Test
  void offlineWithoutTheFileSaysWhereToGetItAndWhereToPutIt() {
    Store store = new Store(settings().withOffline(true), Catalog.standard(), null);
    MissingFileException e =
        assertThrows(MissingFileException.class, () -> Ghn.pretrained("ghn2-cifar10", store));
    assertTrue(
        e.getMessage().contains("ghn2_cifar10.pt")
            && e.getMessage()
                .contains(
                    "https://raw.githubusercontent.com/facebookresearch/ppuda/main/checkpoints/ghn2_cifar10.pt")
            && e.getMessage()
                .contains(
                    tmp.resolve("cache/checkpoints/ghn2_cifar10.pt").toAbsolutePath().toString()),
        e.getMessage());
  }

  @Test
  void releasedCheckpointIsUsedInPlaceAfterItsCheck() throws IOException {
    Store store = new Store(settings().withOffline(true), Catalog.standard(), repoRoot());
    Path p = store.get("ghn2-cifar10-cpu2h");
    assertEquals(repoRoot().resolve("data/checkpoints/ghn2-cifar10-cpu2h.safetensors"), p);
    assertFalse(Files.exists(tmp.resolve("cache")), "nothing copied into the cache");
    // a checkout file that does not match is refused, not deleted
    Path fakeRoot = tmp.resolve("checkout");
    Files.createDirectories(fakeRoot.resolve("data/checkpoints"));
    Files.writeString(
        fakeRoot.resolve("data/checkpoints/ghn2-cifar10-cpu2h.safetensors"),
        "not the released file");
    Files.copy(
        repoRoot().resolve("data/checkpoints/ghn2-cifar10-cpu2h.json"),
        fakeRoot.resolve("data/checkpoints/ghn2-cifar10-cpu2h.json"));
    Store modified = new Store(settings().withOffline(true), Catalog.standard(), fakeRoot);
    IOException e = assertThrows(IOException.class, () -> modified.get("ghn2-cifar10-cpu2h"));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    assertTrue(Files.exists(fakeRoot.resolve("data/checkpoints/ghn2-cifar10-cpu2h.safetensors")));
  }

  /**
   * Every file the standard catalog ships in this repository (ghn4j's releases) is there with the
   * size and git blob SHA-1 the catalog records, and every release {@link GhnSource#RELEASES} names
   * is in the catalog: a re-release that forgets the catalog, or a checkpoint replaced in place,
   * fails here rather than at a user's {@code pretrained get}.
   */
  @Test
  void catalogedRepositoryFilesAreTheCommittedOnes() throws IOException {
    Catalog c = Catalog.standard();
    int shipped = 0;
    for (Catalog.Entry e : c.entries()) {
      for (RemoteFile f : e.files()) {
        if (f.repoPath() == null) continue;
        Path file = repoRoot().resolve(f.repoPath());
        assertTrue(Files.isRegularFile(file), e.name() + ": " + file + " is missing");
        assertEquals(Files.size(file), f.size(), e.name() + ": size of " + file);
        assertEquals(
            Checksum.of(f.checksum().algorithm(), file), f.checksum(), e.name() + ": " + file);
        shipped++;
      }
    }
    for (String release : GhnSource.RELEASES) {
      assertTrue(c.contains(release), release + " is not in the catalog");
      assertEquals(2, c.get(release).files().size(), release + ": weights and config");
    }
    assertEquals(2 * GhnSource.RELEASES.size(), shipped, "files shipped in the repository");
  }

  @Test
  void standardCatalogHasPpudasFilesWithTheirRecordedHashes() {
    Catalog c = Catalog.standard();
    Map<String, String> blobs =
        Map.of(
            "ghn2-cifar10",
            "4f290e0fad1b73066eeabb50be52e0c377d0b15b",
            "ghn1-cifar10",
            "0c97a283aefc0445dd357c08f1b36698149b8013",
            "mlp-cifar10",
            "3a987c98b437fd2dfc603668a846f2b632ed28a3",
            "ghn2-imagenet",
            "7b5d6733e9fdf0069bc6186cad3a0b1b54fda68d",
            "ghn1-imagenet",
            "985ebeb350c4ae79e0553d88c07d986fa69c227b");
    for (var b : blobs.entrySet()) {
      RemoteFile f = c.get(b.getKey()).main();
      assertEquals(Checksum.gitBlobSha1(b.getValue()), f.checksum(), b.getKey());
      assertEquals(
          "https://raw.githubusercontent.com/facebookresearch/ppuda/main/checkpoints/" + f.name(),
          f.url().toString());
      assertEquals(b.getKey().replace('-', '_') + ".pt", f.name());
    }
    Map<String, String> md5 =
        Map.of(
            "deepnets1m-eval",
            "1f5641329271583ad068f43e1521517e",
            "deepnets1m-meta",
            "a42b6f513da6bbe493fc16a30d6d4e3e",
            "deepnets1m-search",
            "0a93f4b4e3b729ea71eb383f78ea9b53",
            "deepnets1m-train",
            "90bbe84bb1da0d76cdc06d5ff84fa23d");
    for (var m : md5.entrySet()) {
      assertEquals(Checksum.md5(m.getValue()), c.get(m.getKey()).main().checksum(), m.getKey());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.get("ghn3"));
    assertTrue(e.getMessage().contains("ghn2-cifar10"), e.getMessage());
  }
}
