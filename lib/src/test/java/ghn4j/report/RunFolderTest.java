package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

  @TempDir Path tmp;

  @Test
  void freshDeletesTheFolderWithEverythingInIt() throws IOException {
    Path run = tmp.resolve("runs").resolve("smoke");
    Files.createDirectories(run.resolve("eval").resolve("deeper"));
    Files.writeString(run.resolve("metrics.jsonl"), "{}\n");
    Files.writeString(run.resolve("eval").resolve("deeper").resolve("results.csv"), "x\n");
    assertEquals(run, RunFolder.fresh(run));
    assertFalse(Files.exists(run));
    assertTrue(Files.isDirectory(tmp.resolve("runs")), "the parent stays");
  }

  @Test
  void aMissingFolderIsNothingToDelete() {
    assertFalse(RunFolder.delete(tmp.resolve("none")));
    assertEquals(tmp.resolve("none"), RunFolder.fresh(tmp.resolve("none")));
  }

  @Test
  void aLinkInsideIsRemovedNotFollowed() throws IOException {
    Path outside = Files.writeString(tmp.resolve("keep.txt"), "kept");
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.createSymbolicLink(run.resolve("link"), outside);
    Files.createSymbolicLink(run.resolve("dirlink"), tmp);
    assertTrue(RunFolder.delete(run));
    assertFalse(Files.exists(run));
    assertEquals("kept", Files.readString(outside));
  }
}
