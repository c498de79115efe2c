package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.download.Catalog;
import ghn4j.download.DownloadSettings;
import ghn4j.download.Store;
import ghn4j.ghn.GhnSource;
import ghn4j.io.Layout;
import ghn4j.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointChoiceTest {

  @TempDir Path tmp;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aCheckpointInTheCheckoutIsUsedWithoutWarning() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("data").resolve("checkpoints"));
    Files.writeString(dir.resolve("mine.json"), "{}");
    Files.writeString(dir.resolve("mine.safetensors"), "");
    GhnSource s = CheckpointChoice.local(tmp, out);
    assertEquals(GhnSource.Kind.GHN4J, s.kind());
    assertEquals(dir.resolve("mine.safetensors"), s.file());
    assertEquals("mine.safetensors", CheckpointChoice.label(s));
    assertEquals("", printed());
  }

  @Test
  void theRandomFixtureGhnComesWithAWarning() {
    Fixtures.require(
        new Layout(tmp).fixtures().isPresent(), "the reference fixtures (ghn4j.fixtures)");
    GhnSource s = CheckpointChoice.local(tmp, out);
    assertEquals(GhnSource.Kind.RANDOM_FIXTURE, s.kind());
    assertEquals("RANDOM GHN-2", CheckpointChoice.label(s));
    assertTrue(printed().startsWith("WARNING: no trained GHN checkpoint"), printed());
    assertTrue(printed().contains("chance level"), printed());
  }

  @Test
  void theReleasedCheckpointIsInDataCheckpoints() {
    assertEquals(
        tmp.resolve("data/checkpoints/ghn2-cifar10-cpu-v2-dropout.safetensors"),
        CheckpointChoice.released(tmp));
  }

  @Test
  void earlierReleasesAreTheOlderOnesPresent() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("data").resolve("checkpoints"));
    assertTrue(CheckpointChoice.earlierReleases(tmp).isEmpty());
    for (String name : GhnSource.RELEASES) {
      Files.writeString(dir.resolve(name + ".json"), "{}");
      Files.writeString(dir.resolve(name + ".safetensors"), "");
    }
    Files.writeString(dir.resolve("mine.json"), "{}");
    Files.writeString(dir.resolve("mine.safetensors"), "");
    Map<String, GhnSource> earlier = CheckpointChoice.earlierReleases(tmp);
    assertEquals(
        GhnSource.RELEASES.subList(1, GhnSource.RELEASES.size()).stream()
            .map(n -> n + ".safetensors")
            .toList(),
        earlier.keySet().stream().toList());
    assertTrue(earlier.containsKey("ghn2-cifar10-cpu-v2.safetensors"), earlier.toString());
    assertTrue(earlier.containsKey("ghn2-cifar10-cpu2h.safetensors"), earlier.toString());
    assertEquals(
        dir.resolve("ghn2-cifar10-cpu2h.safetensors"),
        earlier.get("ghn2-cifar10-cpu2h.safetensors").file());
    Files.delete(dir.resolve("ghn2-cifar10-cpu2h.json"));
    assertFalse(
        CheckpointChoice.earlierReleases(tmp).containsKey("ghn2-cifar10-cpu2h.safetensors"));
  }

  @Test
  void unavailablePublishedGhnsAreSaidOnceWithTheAdvice() {
    Store offline =
        new Store(
            DownloadSettings.fromEnvironment(Map.of(), tmp.toString())
                .withCache(tmp.resolve("cache"))
                .withProgress(false)
                .withOffline(true),
            Catalog.standard(),
            null);
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("GHN-2 (official weights)", "ghn2-cifar10");
    rows.put("GHN-1 (official weights)", "ghn1-cifar10");
    assertTrue(CheckpointChoice.published(rows, offline, out).isEmpty());
    String[] lines = printed().split("\n");
    assertEquals(2, lines.length, printed());
    assertTrue(lines[0].startsWith("ghn2-cifar10 not available: ghn2_cifar10.pt"), lines[0]);
    assertTrue(lines[0].contains("Get it from"), lines[0]);
    assertTrue(lines[1].startsWith("ghn1-cifar10 not available: ghn1_cifar10.pt"), lines[1]);
    assertFalse(lines[1].contains("Get it"), lines[1]);
    assertTrue(lines[1].endsWith(")."), lines[1]);
    assertTrue(CheckpointChoice.published("mlp-cifar10", offline, out).isEmpty());
    assertTrue(printed().contains("mlp-cifar10 not available: mlp_cifar10.pt"), printed());
  }
}
