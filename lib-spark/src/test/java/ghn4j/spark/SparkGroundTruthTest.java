package ghn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.cli.PropertiesCommand;
import ghn4j.properties.NetProperties;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./ghn4j properties --spark}: the SGD ground truth trained as Spark tasks equals the
 * single-JVM one record for record (timings aside), in the same cache file, and a re-run trains
 * only the nets missing from it.
 */
class SparkGroundTruthTest {

  @TempDir Path tmp;

  static final String[] BUDGET = {
    "--width",
    "8",
    "--epochs",
    "2",
    "--train-per-class",
    "2",
    "--test-per-class",
    "1",
    "-b",
    "10",
    "--val",
    "2",
    "--test",
    "1",
    "--ground-truth-only",
    "--no-progress"
  };

  static String[] args(Path data, Path cache, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of(BUDGET));
    a.addAll(List.of("--data-dir", data.toString(), "--cache", cache.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** What must agree between two runs: everything but the timings. */
  static List<String> comparable(Path cache) throws java.io.IOException {
    return Files.readAllLines(cache).stream()
        .filter(l -> !l.isBlank())
        .map(l -> NetProperties.fromJsonLine(l, cache.toString()))
        .map(
            p ->
                String.join(
                    ",",
                    p.key(),
                    p.budget(),
                    String.valueOf(p.params()),
                    String.valueOf(p.nodes()),
                    String.valueOf(p.depth()),
                    String.valueOf(p.accuracy()),
                    String.valueOf(p.noiseAccuracy()),
                    String.valueOf(p.convergeTime()),
                    p.trainCurve().toString()))
        .sorted()
        .toList();
  }

  @Test
  void groundTruthOnSparkEqualsTheSingleJvmOneAndResumes() throws Exception {
    Path data = SparkTestData.cifar(tmp, 2, 1);
    Path single = tmp.resolve("single.jsonl");
    assertEquals(0, new CommandLine(new PropertiesCommand()).execute(args(data, single)));
    List<String> expected = comparable(single);
    assertEquals(3, expected.size());

    Path spark = tmp.resolve("spark.jsonl");
    StringWriter err = new StringWriter();
    String[] sparkArgs = args(data, spark, "--spark", "--master", "local[2]");
    String[] withCommand = new String[sparkArgs.length + 1];
    withCommand[0] = "properties";
    System.arraycopy(sparkArgs, 0, withCommand, 1, sparkArgs.length);
    assertEquals(0, SparkMain.run(withCommand, new PrintWriter(err, true)), err.toString());
    assertEquals(expected, comparable(spark));

    // killed after two nets: the re-run trains the third only
    List<String> lines = Files.readAllLines(spark);
    Files.write(spark, lines.subList(0, 2));
    PrintStream stdout = System.out;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setOut(new PrintStream(log, true));
    try {
      assertEquals(0, SparkMain.run(withCommand, new PrintWriter(err, true)), err.toString());
    } finally {
      System.setOut(stdout);
    }
    assertTrue(
        log.toString()
            .contains("ground truth: 2 of 3 nets in " + spark + "; 1 to train as Spark tasks"),
        log.toString());
    assertEquals(lines.subList(0, 2), Files.readAllLines(spark).subList(0, 2));
    assertEquals(expected, comparable(spark));
  }
}
