package ghn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.cli.PropertiesCommand;
import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import ghn4j.properties.Budget;
import ghn4j.properties.PropertyCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Jobs on a real standalone cluster (environment/spark-cluster.sh: master and two workers, separate
 * JVMs on 127.0.0.1): the eval, two meta-training steps, split generation and the properties ground
 * truth equal the single-JVM ones, and killing a worker in the middle of an eval loses no finished
 * net, never leaves a damaged results file, and still ends with the single-JVM results (Spark
 * reruns the lost task).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoopbackClusterTest {

  @TempDir static Path tmp;
  static Path data;
  static Path ckpt;
  static LoopbackCluster cluster;
  static JavaSparkContext sc;

  @BeforeAll
  static void setUp() throws Exception {
    data = SparkTestData.cifar(tmp, 1, 5);
    ckpt = SparkTestData.trainedGhn();
    cluster = LoopbackCluster.start(tmp.resolve("cluster"));
    sc = SparkSetup.open(cluster.master, "ghn4j-cluster-test", cluster.conf());
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (sc != null) {
      sc.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void evalOnTheClusterEqualsTheSingleJvmEval() throws IOException {
    Path noSplits = tmp.resolve("no-splits");
    List<Evaluator.NetResult> single =
        SparkEvalTest.singleJvm(ckpt, data, noSplits, tmp.resolve("single"));
    Path out = tmp.resolve("cluster-eval");
    List<Evaluator.NetResult> rows =
        SparkEval.run(sc, SparkEvalTest.job(ckpt, data, noSplits, out), System.out);
    assertEquals(SparkEvalTest.comparable(single), SparkEvalTest.comparable(rows));
    assertEquals(
        SparkEvalTest.comparable(single),
        SparkEvalTest.comparable(EvalResults.read(out.resolve("results.csv"))));
    // both workers took part
    assertEquals(2, sc.sc().getExecutorMemoryStatus().size() - 1, "executors besides the driver");
  }

  @Test
  @Order(2)
  void twoMetaTrainingStepsOnTheClusterStepLikeOneProcess() throws IOException {
    Path trainData = SparkTestData.cifar(tmp.resolve("train-data"), 2, 1);
    Path single = tmp.resolve("train-single");
    List<ghn4j.train.GradientShard> totals = MetaTrainEquality.singleProcess(trainData, single);
    Path kept = Files.createDirectories(cluster.state.resolve("gradients"));
    Path run = tmp.resolve("train-cluster");
    List<SparkMetaTrain.StepCost> costs =
        SparkMetaTrain.run(
            sc,
            new SparkMetaTrain.Job(run, trainData, MetaTrainEquality.TASKS, Long.MAX_VALUE),
            MetaTrainEquality.config(),
            System.out);
    SparkMetaTrain.report(costs, MetaTrainEquality.TASKS, System.out);
    assertEquals(2, costs.size());
    MetaTrainEquality.assertSameGradient(
        totals.get(0),
        ghn4j.train.GradientShard.fromBytes(Files.readAllBytes(kept.resolve("exchange-0.bin"))));
    MetaTrainEquality.assertSameRun(single, run);
  }

  @Test
  @Order(3)
  void generateOnTheClusterWritesTheSingleJvmFiles() throws IOException {
    Path single = SparkGenerateTest.singleJvm(tmp.resolve("single-gen"), "deep", 6, 4);
    Path root = tmp.resolve("cluster-gen");
    SparkGenerate.run(
        sc, ghn4j.deepnets.Split.DEEP, 6, root, ghn4j.deepnets.Split.DEEP.seed(), 4, done -> {});
    SparkGenerateTest.assertSameFiles(single, root.resolve("deep"));
  }

  @Test
  @Order(4)
  void propertiesGroundTruthOnTheClusterEqualsTheSingleJvmOne() throws Exception {
    Path gtData = SparkTestData.cifar(tmp.resolve("gt-data"), 2, 1);
    Path single = tmp.resolve("gt-single.jsonl");
    assertEquals(
        0,
        new CommandLine(new PropertiesCommand())
            .execute(SparkGroundTruthTest.args(gtData, single)));
    List<String> expected = SparkGroundTruthTest.comparable(single);
    assertEquals(3, expected.size());
    // the budget of SparkGroundTruthTest.BUDGET: width 8, 2 epochs, 2 train / 1 test image per
    // class, batch 10
    Budget d = Budget.cpuDefault();
    Budget budget = new Budget(8, 2, 2, 1, 10, d.noiseStd(), d.convergeFraction(), d.seed());
    Path onCluster = tmp.resolve("gt-cluster.jsonl");
    List<SparkGroundTruth.Net> nets = new ArrayList<>(SparkGroundTruth.first("val", 2));
    nets.addAll(SparkGroundTruth.first("test", 1));
    int trained =
        SparkGroundTruth.run(
            sc, budget, gtData, nets, PropertyCache.open(onCluster, budget.tag()), System.out);
    assertEquals(3, trained);
    assertEquals(expected, SparkGroundTruthTest.comparable(onCluster));
  }

  @Test
  @Order(9)
  void killingAWorkerMidJobLosesNothingAndEndsWithTheSingleJvmResults() throws Exception {
    Path noSplits = tmp.resolve("no-splits");
    SparkEval.Job job =
        new SparkEval.Job(
            ckpt,
            List.of("test"),
            6,
            new TestImages(data.toString(), null, 224, 0),
            16,
            noSplits,
            null,
            tmp.resolve("killed"));
    Path csv = job.out().resolve("results.csv");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<List<String>> seen = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger lost =
        new java.util.concurrent.atomic.AtomicInteger();
    sc.sc()
        .addSparkListener(
            new org.apache.spark.scheduler.SparkListener() {
              @Override
              public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                if (end.reason() instanceof org.apache.spark.ExecutorLostFailure) {
                  lost.incrementAndGet();
                }
              }
            });
    Thread runner =
        new Thread(
            () -> {
              try {
                SparkEval.run(sc, job, System.out);
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    runner.start();
    // wait for the first finished net, then kill worker 1 (the other keeps going; worker 1's task
    // is rerun there)
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (!Files.isRegularFile(csv) && System.nanoTime() < deadline && runner.isAlive()) {
      Thread.sleep(50);
    }
    List<String> before = SparkEvalTest.comparable(EvalResults.read(csv));
    assertTrue(before.size() >= 1 && before.size() < 6, "killed in the middle: " + before);
    long pid = cluster.workerPid(1);
    new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor();
    System.out.println("killed worker 1 (pid " + pid + ") after " + before.size() + " of 6 nets");
    // while the job goes on, the file always parses and never loses a row it had
    while (runner.isAlive()) {
      List<String> now = SparkEvalTest.comparable(EvalResults.read(csv));
      assertTrue(now.containsAll(before), "lost rows: " + before + " -> " + now);
      seen.add(now);
      Thread.sleep(100);
    }
    runner.join();
    assertNull(failure.get(), () -> "the job failed: " + failure.get());
    // the killed worker's running task was lost with its executor and rerun on the other
    assertTrue(lost.get() >= 1, "tasks lost with the executor: " + lost.get());
    List<Evaluator.NetResult> single = new ArrayList<>();
    int rc =
        new picocli.CommandLine(new ghn4j.cli.EvalCommand())
            .execute(
                "--ckpt",
                ckpt.toString(),
                "--split",
                "test",
                "--nets",
                "6",
                "--ghn4j-nets",
                "--nets-root",
                noSplits.toString(),
                "--data-dir",
                data.toString(),
                "--batch-size",
                "16",
                "--out",
                tmp.resolve("single6").toString());
    assertEquals(0, rc);
    single.addAll(EvalResults.read(tmp.resolve("single6/results.csv")));
    assertEquals(SparkEvalTest.comparable(single), SparkEvalTest.comparable(EvalResults.read(csv)));
    assertEquals(6, Files.readAllLines(job.out().resolve("results.jsonl")).size());
    cluster.restart();
  }
}
