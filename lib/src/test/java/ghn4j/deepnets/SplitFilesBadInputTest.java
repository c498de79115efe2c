package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of {@code docs/bad-inputs.md}: a malformed split directory (a corrupt shard line when
 * reading, a broken manifest when resuming or extending it) is an error naming the file.
 */
class SplitFilesBadInputTest {

  private static void write(Path dir) throws Exception {
    SplitFiles.write(
        new SplitGenerator(Split.TEST, 3, new ApproxParamCounter(), null), dir, 4, 2, p -> {});
  }

  @Test
  void corruptShardLineIsNamed(@TempDir Path dir) throws Exception {
    write(dir);
    Path shard = SplitFiles.shardPath(dir, 1);
    List<String> lines = Files.readAllLines(shard);
    Files.writeString(shard, lines.get(0) + "\n{\"index\": 3, \"net_args\": {trunc\n");
    Exception e = assertThrows(Exception.class, () -> SplitFiles.readAll(dir));
    assertTrue(e.getMessage().contains(shard.getFileName().toString()), e.getMessage());
  }

  @Test
  void brokenManifestIsNamed(@TempDir Path dir) throws Exception {
    write(dir);
    Path manifest = SplitFiles.manifestPath(dir);
    Files.writeString(manifest, "{\"split\": ");
    // the manifest is what extending or resuming a split reads (readAll reads the shards)
    Exception e = assertThrows(Exception.class, () -> write(dir));
    assertTrue(e.getMessage().contains(manifest.getFileName().toString()), e.getMessage());
  }
}
