package ghn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ghn4j.cli.GenerateCommand;
import ghn4j.deepnets.Split;
import ghn4j.deepnets.SplitFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code generate --spark} on {@code local[2]} writes the single-JVM command's files byte for byte,
 * and resumes.
 */
class SparkGenerateTest {

  @TempDir Path tmp;

  /** Every file of a split directory, by name. */
  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  static void assertSameFiles(Path expected, Path actual) throws IOException {
    Map<String, byte[]> e = files(expected);
    Map<String, byte[]> a = files(actual);
    assertEquals(e.keySet(), a.keySet());
    e.forEach((name, bytes) -> assertArrayEquals(bytes, a.get(name), name));
  }

  static Path singleJvm(Path root, String split, int n, int shardSize) {
    int rc =
        new CommandLine(new GenerateCommand())
            .execute(
                "--split",
                split,
                "-n",
                String.valueOf(n),
                "--out",
                root.toString(),
                "--shard-size",
                String.valueOf(shardSize),
                "--workers",
                "1");
    assertEquals(0, rc);
    return root.resolve(split);
  }

  @Test
  void sparkWritesTheSingleJvmFilesAndResumes() throws IOException {
    Path single = singleJvm(tmp.resolve("single"), "val", 7, 3);
    Path root = tmp.resolve("spark");
    try (JavaSparkContext sc = SparkSetup.open("local[2]", "ghn4j-generate-test", Map.of())) {
      // 7 nets, shards of 3: ranges of 2 nets (one or two per shard), back in any order
      SplitFiles.Result r =
          SparkGenerate.run(sc, Split.VAL, 7, root, Split.VAL.seed(), 3, done -> {});
      assertEquals(List.of(7, 3, 0), List.of(r.total(), r.shardsWritten(), r.shardsKept()));
      assertSameFiles(single, root.resolve("val"));

      // an interrupted run: the last shard gone, a temp file left; the re-run writes only that
      // shard
      Files.delete(SplitFiles.shardPath(root.resolve("val"), 2));
      Files.writeString(root.resolve("val").resolve("shard-00002.jsonl.tmp"), "{\"cut");
      r = SparkGenerate.run(sc, Split.VAL, 7, root, Split.VAL.seed(), 3, done -> {});
      assertEquals(
          List.of(1, 2, 1), List.of(r.shardsWritten(), r.shardsKept(), r.tempFilesRemoved()));
      assertSameFiles(single, root.resolve("val"));
    }
  }
}
