package ghn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.cli.EvalCommand;
import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code eval} as a Spark job on {@code local[2]}: the same rows as {@code ./ghn4j eval} in one
 * JVM, the same files, and a re-run after a kill evaluates only the missing nets.
 */
class SparkEvalTest {

  @TempDir static Path tmp;
  static Path data;
  static Path ckpt;
  static JavaSparkContext sc;

  @BeforeAll
  static void setUp() throws IOException {
    data = SparkTestData.cifar(tmp, 1, 5);
    ckpt = SparkTestData.trainedGhn();
    sc = SparkSetup.open("local[2]", "ghn4j-test", Map.of());
  }

  @AfterAll
  static void tearDown() {
    if (sc != null) {
      sc.close();
    }
  }

  /** The single-JVM command's results in {@code out}. */
  static List<Evaluator.NetResult> singleJvm(Path ckpt, Path data, Path netsRoot, Path out) {
    int rc =
        new CommandLine(new EvalCommand())
            .execute(
                "--ckpt",
                ckpt.toString(),
                "--split",
                "test,deep",
                "--nets",
                "2",
                "--ghn4j-nets",
                "--nets-root",
                netsRoot.toString(),
                "--data-dir",
                data.toString(),
                "--batch-size",
                "16",
                "--out",
                out.toString());
    assertEquals(0, rc);
    return EvalResults.read(out.resolve("results.csv"));
  }

  static SparkEval.Job job(Path ckpt, Path data, Path netsRoot, Path out) {
    return new SparkEval.Job(
        ckpt,
        List.of("test", "deep"),
        2,
        new TestImages(data.toString(), null, 224, 0),
        16,
        netsRoot,
        null,
        out);
  }

  /** What must agree between two runs: everything but the timings. */
  static List<String> comparable(List<Evaluator.NetResult> rows) {
    return rows.stream()
        .map(
            r ->
                String.format(
                    "%s,%s,%d,%d,%.2f", r.split(), r.net(), r.params(), r.nodes(), r.accuracy()))
        .toList();
  }

  @Test
  void sparkEvalWritesTheSingleJvmResultsAndResumes() throws IOException {
    Path noSplits = tmp.resolve("no-splits");
    List<Evaluator.NetResult> single = singleJvm(ckpt, data, noSplits, tmp.resolve("single"));
    assertEquals(4, single.size());
    assertTrue(
        single.stream().mapToDouble(Evaluator.NetResult::accuracy).distinct().count() > 1,
        "nets that all score the same compare nothing: " + single);

    Path out = tmp.resolve("spark");
    List<Evaluator.NetResult> rows = SparkEval.run(sc, job(ckpt, data, noSplits, out), System.out);
    assertEquals(comparable(single), comparable(rows));
    assertEquals(comparable(single), comparable(EvalResults.read(out.resolve("results.csv"))));
    assertEquals(
        Files.readString(tmp.resolve("single/config.json")),
        Files.readString(out.resolve("config.json")));
    assertEquals(4, Files.readAllLines(out.resolve("results.jsonl")).size());

    // a run killed after three nets: the re-run evaluates only the fourth and keeps the others'
    // rows as they were
    List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
    Files.write(out.resolve("results.jsonl"), lines.subList(0, 3));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Evaluator.NetResult> resumed =
        SparkEval.run(sc, job(ckpt, data, noSplits, out), new PrintStream(log, true));
    assertTrue(log.toString().contains("3 of 4 nets already evaluated; 1 to go"), log.toString());
    assertEquals(comparable(single), comparable(resumed));
    assertEquals(
        lines.subList(0, 3), Files.readAllLines(out.resolve("results.jsonl")).subList(0, 3));
    assertEquals(comparable(single), comparable(EvalResults.read(out.resolve("results.csv"))));

    // a finished run: nothing to do
    log.reset();
    SparkEval.run(sc, job(ckpt, data, noSplits, out), new PrintStream(log, true));
    assertTrue(log.toString().contains("4 of 4 nets already evaluated; 0 to go"), log.toString());
  }

  @Test
  void refusesToMixResultsOfAnotherConfiguration() throws IOException {
    Path out = tmp.resolve("mixed");
    Path noSplits = tmp.resolve("no-splits");
    SparkEval.Job one =
        new SparkEval.Job(
            ckpt,
            List.of("test"),
            1,
            new TestImages(data.toString(), null, 224, 0),
            16,
            noSplits,
            null,
            out);
    SparkEval.run(sc, one, System.out);
    SparkEval.Job other =
        new SparkEval.Job(
            ckpt,
            List.of("test"),
            1,
            new TestImages(data.toString(), null, 224, 0),
            8,
            noSplits,
            null,
            out);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SparkEval.run(sc, other, System.out));
    assertTrue(
        e.getMessage().contains("config.json: results of another evaluation"), e.getMessage());
  }
}
