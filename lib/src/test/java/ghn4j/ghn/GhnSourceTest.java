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
    Files.writeString(ckpt.resolve("notes.json"), "{}"); // a JSON without weights is not a checkpoint
    assertEquals(new GhnSource(ckpt.resolve("ghn2_cifar10.pt"), GhnSource.Kind.PPUDA), GhnSource.choose(ckpt, fx));

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
  void nothingAnywhereIsAnError(@TempDir Path tmp) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GhnSource.choose(tmp.resolve("none"), Optional.empty()));
    assertTrue(e.getMessage().contains("no GHN checkpoint"), e.getMessage());
  }
}
