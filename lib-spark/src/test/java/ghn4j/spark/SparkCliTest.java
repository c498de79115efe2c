package ghn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.cli.TrainCommand;
import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import ghn4j.train.MetaTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./ghn4j <command> --spark}: the launcher runs lib-spark's entry point (eval equals the
 * single-JVM eval), a missing Spark module is a one-line error, a Spark training run resumes
 * without Spark.
 */
class SparkCliTest {

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run launch(Path launcher, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GHN4J_JAVA_OPTS", "-Xmx2g");
    Path out = Files.createTempFile("ghn4j-cli", ".out");
    Path err = Files.createTempFile("ghn4j-cli", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int code = p.waitFor();
    Run r = new Run(code, Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  @Test
  void evalDashDashSparkThroughTheLauncherEqualsTheSingleJvmEval() throws Exception {
    Path data = SparkTestData.cifar(tmp, 1, 5);
    Path ckpt = SparkTestData.trainedGhn();
    Path noSplits = tmp.resolve("no-splits");
    List<Evaluator.NetResult> single =
        SparkEvalTest.singleJvm(ckpt, data, noSplits, tmp.resolve("single"));
    Path out = tmp.resolve("spark");
    Run r =
        launch(
            LoopbackCluster.root().resolve("ghn4j"),
            "eval",
            "--spark",
            "--master",
            "local[2]",
            "--ckpt",
            ckpt.toString(),
            "--split",
            "test,deep",
            "--nets",
            "2",
            "--ghn4j-nets",
            "--nets-root",
            noSplits.toString(),
            "--data-dir",
            data.toString(),
            "--batch-size",
            "16",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("(Spark, local[2],"), r.out());
    assertEquals(
        SparkEvalTest.comparable(single),
        SparkEvalTest.comparable(EvalResults.read(out.resolve("results.csv"))));
  }

  @Test
  void generateDashDashSparkThroughTheLauncherWritesTheSingleJvmFiles() throws Exception {
    Path single = SparkGenerateTest.singleJvm(tmp.resolve("single-gen"), "test", 5, 2);
    Path root = tmp.resolve("spark-gen");
    Run r =
        launch(
            LoopbackCluster.root().resolve("ghn4j"),
            "generate",
            "--spark",
            "--master",
            "local[2]",
            "--split",
            "test",
            "-n",
            "5",
            "--shard-size",
            "2",
            "--out",
            root.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("3 shards written"), r.out());
    SparkGenerateTest.assertSameFiles(single, root.resolve("test"));
  }

  @Test
  void aMissingSparkModuleIsAOneLineError() throws Exception {
    // a checkout with the core jar but no lib-spark build
    Path root = tmp.resolve("checkout");
    Files.createDirectories(root.resolve("environment"));
    Files.createDirectories(root.resolve("lib/target"));
    Files.writeString(root.resolve("lib/target/ghn4j.jar"), "");
    Path src = LoopbackCluster.root();
    Files.copy(src.resolve("ghn4j"), root.resolve("ghn4j"));
    for (String f : List.of("spark-env.sh", "native-allocator.sh")) {
      Files.copy(src.resolve("environment").resolve(f), root.resolve("environment").resolve(f));
    }
    Run r = launch(root.resolve("ghn4j"), "eval", "--spark", "--ckpt", "x");
    assertEquals(3, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("ghn4j: --spark: the Spark module is not built"), r.err());
    assertTrue(r.err().contains("mvn -B -pl lib,lib-spark package -DskipTests"), r.err());
  }

  @Test
  void commandsWithoutASparkFormSaySo() {
    StringWriter err = new StringWriter();
    assertEquals(2, SparkMain.run(new String[] {"sgd", "--spark"}, new PrintWriter(err, true)));
    assertTrue(
        err.toString().startsWith("ghn4j: sgd --spark: not available as a Spark job"),
        err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, SparkMain.run(new String[] {"eval", "--spark"}, new PrintWriter(err, true)));
    assertTrue(err.toString().contains("Missing required option: '--ckpt"), err.toString());
  }

  @Test
  void trainDashDashSparkWritesARunThatTheSingleJvmTrainResumes() throws Exception {
    Path data = SparkTestData.cifar(tmp, 2, 1);
    Path run = tmp.resolve("run");
    StringWriter err = new StringWriter();
    int rc =
        SparkMain.run(
            new String[] {
              "train",
              "--spark",
              "--master",
              "local[2]",
              "--tasks",
              "2",
              "-m",
              "2",
              "-b",
              "8",
              "--steps",
              "2",
              "--session-steps",
              "1",
              "--train-images",
              "20",
              "--hid",
              "8",
              "--run-dir",
              run.toString(),
              "--data-dir",
              data.toString()
            },
            new PrintWriter(err, true));
    assertEquals(0, rc, err.toString());
    assertEquals(1, MetaTrainEquality.losses(run).size());
    // the second step without Spark, from the checkpoint the Spark session wrote
    rc =
        new CommandLine(new TrainCommand())
            .execute(
                "--resume",
                "--no-progress",
                "--run-dir",
                run.toString(),
                "--data-dir",
                data.toString());
    assertEquals(0, rc);
    assertEquals(2, MetaTrainEquality.losses(run).size());
    assertTrue(Files.isRegularFile(run.resolve(MetaTrainer.GHN)));
  }
}
