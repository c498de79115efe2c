package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitFilesTest {

  private static final ApproxParamCounter COUNTER = new ApproxParamCounter();

  private static SplitGenerator gen(long seed) {
    return new SplitGenerator(Split.TEST, seed, COUNTER, null);
  }

  private static byte[][] contents(Path dir, int shards) throws IOException {
    byte[][] out = new byte[shards][];
    for (int s = 0; s < shards; s++) {
      out[s] = Files.readAllBytes(SplitFiles.shardPath(dir, s));
    }
    return out;
  }

  @Test
  void resumesAfterDeletedShardAndInterruptedTempFile(@TempDir Path dir) throws IOException {
    List<Integer> progress = new ArrayList<>();
    SplitFiles.Result r = SplitFiles.write(gen(3), dir, 15, 5, progress::add);
    assertEquals(3, r.shardsWritten());
    assertEquals(List.of(0, 5, 10, 15), progress);
    byte[][] before = contents(dir, 3);
    List<SampledNet> nets = SplitFiles.readAll(dir);
    assertEquals(gen(3).first(15), nets);

    Files.delete(SplitFiles.shardPath(dir, 2));
    Path tmp = dir.resolve("shard-00002.jsonl.tmp");
    Files.writeString(tmp, "{\"index\": 10, \"net_args\": {trunc"); // what kill -9 mid-shard leaves
    SplitFiles.Result again = SplitFiles.write(gen(3), dir, 15, 5, p -> {});
    assertEquals(1, again.shardsWritten());
    assertEquals(2, again.shardsKept());
    assertEquals(1, again.tempFilesRemoved());
    assertFalse(Files.exists(tmp));
    byte[][] after = contents(dir, 3);
    for (int s = 0; s < 3; s++) {
      assertArrayEquals(before[s], after[s], "shard " + s);
    }
  }

  @Test
  void extendingARunRegeneratesItsShortLastShard(@TempDir Path dir) throws IOException {
    SplitFiles.write(gen(4), dir, 12, 5, p -> {});
    assertEquals(2, Files.readAllLines(SplitFiles.shardPath(dir, 2)).size());
    SplitFiles.Result r = SplitFiles.write(gen(4), dir, 20, 5, p -> {});
    assertEquals(2, r.shardsWritten()); // shard 2 (was short) and shard 3
    assertEquals(gen(4).first(20), SplitFiles.readAll(dir));
  }

  @Test
  void refusesToMixRuns(@TempDir Path dir) throws IOException {
    SplitFiles.write(gen(5), dir, 5, 5, p -> {});
    IOException e =
        assertThrows(IOException.class, () -> SplitFiles.write(gen(6), dir, 10, 5, p -> {}));
    assertTrue(e.getMessage().contains("seed"), e.getMessage());
    assertThrows(IOException.class, () -> SplitFiles.write(gen(5), dir, 10, 4, p -> {}));
    assertTrue(Files.readString(SplitFiles.manifestPath(dir)).contains("\"split\" : \"test\""));
  }

  /** Generation on several threads writes the same files, bit for bit, and resumes the same way. */
  @Test
  void workersWriteTheSameFiles(@TempDir Path dir) throws IOException {
    Path seq = dir.resolve("seq");
    Path par = dir.resolve("par");
    SplitFiles.write(gen(5), seq, 23, 10, p -> {});
    SplitFiles.write(gen(5).withWorkers(3), par, 23, 10, p -> {});
    byte[][] a = contents(seq, 3);
    byte[][] b = contents(par, 3);
    for (int s = 0; s < 3; s++) {
      assertArrayEquals(a[s], b[s], "shard " + s);
    }
    assertEquals(
        gen(5).shard(1, 10, 10),
        gen(5).withWorkers(4).shard(1, 10, 10),
        "nets and rejection counts");
    Files.delete(SplitFiles.shardPath(par, 1));
    assertEquals(1, SplitFiles.write(gen(5).withWorkers(2), par, 23, 10, p -> {}).shardsWritten());
    assertArrayEquals(a[1], contents(par, 3)[1], "regenerated shard 1");
    // with graphs built for node counts (the CLI's generator) too
    SplitGenerator withGraphs =
        new SplitGenerator(Split.WIDE, 9, NetworkBuilder::countParams, NetworkBuilder::graph);
    assertEquals(withGraphs.first(6), withGraphs.withWorkers(3).first(6));
  }
}
