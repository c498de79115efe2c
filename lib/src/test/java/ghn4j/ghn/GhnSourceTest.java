package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GhnSourceTest {

  @Test
  void prefersOursThenPpudaThenTheRandomFixture(@TempDir Path tmp) throws Exception {
    Path ckpt = tmp.resolve("checkpoints");
    Path fixtures = Files.createDirectories(tmp.resolve("fixtures/ghn"));
    Files.writeString(fixtures.resolve("ghn2-random.pt"), "x");
    Optional<Path> fx = Optional.of(tmp.resolve("fixtures"));

    GhnSource random = GhnSource.choose(ckpt, fx);
    assertEquals(GhnSource.Kind.RANDOM_FIXTURE, random.kind());
    assertFalse(random.trained());
    assertTrue(random.describe().contains("chance"), random.describe());

    Files.createDirectories(ckpt);
    Files.writeString(ckpt.resolve("ghn2_cifar10.pt"), "x");
    Files.writeString(
        ckpt.resolve("notes.json"), "{}"); // a JSON without weights is not a checkpoint
    assertEquals(
        new GhnSource(ckpt.resolve("ghn2_cifar10.pt"), GhnSource.Kind.PPUDA),
        GhnSource.choose(ckpt, fx));

    Files.writeString(ckpt.resolve("old.json"), "{}");
    Files.writeString(ckpt.resolve("old.safetensors"), "x");
    Files.setLastModifiedTime(ckpt.resolve("old.json"), FileTime.fromMillis(1_000));
    Files.writeString(ckpt.resolve("ghn2-c10.json"), "{}");
    Files.writeString(ckpt.resolve("ghn2-c10.safetensors"), "x");
    Files.setLastModifiedTime(ckpt.resolve("ghn2-c10.json"), FileTime.fromMillis(2_000));
    GhnSource ours = GhnSource.choose(ckpt, fx);
    assertEquals(new GhnSource(ckpt.resolve("ghn2-c10.safetensors"), GhnSource.Kind.GHN4J), ours);
    assertTrue(ours.trained());
  }

  @Test
  void shippedReleasesRankBelowWhatYouAddAndByTheirListNotTheirFileTimes(@TempDir Path tmp)
      throws Exception {
    Path ckpt = Files.createDirectories(tmp.resolve("checkpoints"));
    java.util.List<String> releases = java.util.List.of("release-b", "release-a");
    for (String r : releases) {
      Files.writeString(ckpt.resolve(r + ".json"), "{}");
      Files.writeString(ckpt.resolve(r + ".safetensors"), "x");
    }
    // a fresh clone writes files in checkout order: the older release may look newer
    Files.setLastModifiedTime(ckpt.resolve("release-b.json"), FileTime.fromMillis(1_000));
    Files.setLastModifiedTime(ckpt.resolve("release-a.json"), FileTime.fromMillis(9_000));
    assertEquals(
        new GhnSource(ckpt.resolve("release-b.safetensors"), GhnSource.Kind.GHN4J),
        GhnSource.choose(ckpt, Optional.empty(), releases));

    // an official .pt you add wins over the shipped releases, whatever its file time
    Files.writeString(ckpt.resolve("ghn2_cifar10.pt"), "x");
    Files.setLastModifiedTime(ckpt.resolve("ghn2_cifar10.pt"), FileTime.fromMillis(500));
    assertEquals(
        new GhnSource(ckpt.resolve("ghn2_cifar10.pt"), GhnSource.Kind.PPUDA),
        GhnSource.choose(ckpt, Optional.empty(), releases));

    // and a GHN you trained wins over both, even when older than the releases
    Files.writeString(ckpt.resolve("mine.json"), "{}");
    Files.writeString(ckpt.resolve("mine.safetensors"), "x");
    Files.setLastModifiedTime(ckpt.resolve("mine.json"), FileTime.fromMillis(100));
    assertEquals(
        new GhnSource(ckpt.resolve("mine.safetensors"), GhnSource.Kind.GHN4J),
        GhnSource.choose(ckpt, Optional.empty(), releases));
  }

  @Test
  void theCheckoutPicksTheCurrentRelease() {
    Path checkpoints = ghn4j.io.Layout.detect().checkpoints();
    GhnSource chosen = GhnSource.choose(checkpoints, Optional.empty());
    assertEquals(
        checkpoints.resolve(GhnSource.RELEASES.get(0) + ".safetensors"),
        chosen.file(),
        "a checkout's default GHN is the current release (no other checkpoint was added here)");
  }

  @Test
  void nothingAnywhereIsAnError(@TempDir Path tmp) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> GhnSource.choose(tmp.resolve("none"), Optional.empty()));
    assertTrue(e.getMessage().contains("no GHN checkpoint"), e.getMessage());
  }

  @Test
  void pretrainedNamesResolveThroughTheStore(@TempDir Path tmp) throws Exception {
    ghn4j.download.Store store =
        new ghn4j.download.Store(
            ghn4j.download.DownloadSettings.fromEnvironment(java.util.Map.of(), tmp.toString())
                .withCache(tmp.resolve("cache"))
                .withOffline(true),
            ghn4j.download.Catalog.standard(),
            ghn4j.download.Store.findRepoRoot().orElseThrow());
    GhnSource released = GhnSource.pretrained("ghn2-cifar10-cpu2h", store);
    assertEquals(GhnSource.Kind.GHN4J, released.kind());
    assertTrue(
        released.file().endsWith(Path.of("data", "checkpoints", "ghn2-cifar10-cpu2h.safetensors")));
    // ppuda's file is not cached and this test is offline: the error says where the file goes
    ghn4j.download.MissingFileException e =
        assertThrows(
            ghn4j.download.MissingFileException.class,
            () -> GhnSource.pretrained("ghn2-cifar10", store));
    assertTrue(
        e.getMessage()
            .contains(
                tmp.resolve("cache")
                    .resolve("checkpoints")
                    .resolve("ghn2_cifar10.pt")
                    .toAbsolutePath()
                    .toString()),
        e.getMessage());
    // once it is there (a stand-in with the right name but not ppuda's bytes) it is refused, not
    // loaded
    Files.createDirectories(tmp.resolve("cache/checkpoints"));
    Files.writeString(tmp.resolve("cache/checkpoints/ghn2_cifar10.pt"), "not ppuda's file");
    assertThrows(java.io.IOException.class, () -> GhnSource.pretrained("ghn2-cifar10", store));
    assertFalse(
        Files.exists(tmp.resolve("cache/checkpoints/ghn2_cifar10.pt")),
        "a file failing its check is removed");
  }
}
