package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.io.SafeTensors;
import ghn4j.testing.TinyCifar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kills: {@code ./ghn4j train} and {@code ./ghn4j sgd} run as child JVMs (the test's own
 * classpath, {@code ghn4j.cli.Main}) on a tiny CIFAR-shaped cache, are killed with SIGKILL ({@link
 * Process#destroyForcibly}) at random points, while a checkpoint is being written (a kill as soon
 * as a checkpoint's temporary file shows, when one is caught) and between the checkpoint and the
 * GHN export (held open by the test seam {@code GHN4J_TEST_PAIR_PAUSE_MS}), resumed each time, and
 * at the end compared with an uninterrupted run of the same seed: the same metrics (everything but
 * timings and memory) and bit-identical final weights. Before one resume a torn last metrics line
 * is appended, as a kill in the middle of a line would leave it.
 */
class KillResumeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Metrics fields that measure the machine (time, memory), not the training. */
  private static final List<String> VOLATILE =
      List.of("s_per_step", "elapsed_s", "cpu_s", "rss_mb", "seconds");

  @TempDir static Path work;
  private static Path data;

  @BeforeAll
  static void data() throws IOException {
    data = TinyCifar.prepare(work, 4, 2);
  }

  @Test
  void metaTrainingSurvivesKills() throws Exception {
    List<String> args =
        List.of(
            "train",
            "--data-dir",
            data.toString(),
            "--train-images",
            "40",
            "-m",
            "1",
            "-b",
            "8",
            "--steps",
            "7",
            "--checkpoint-every",
            "1",
            "--prefetch",
            "1",
            "--seed",
            "5",
            "--no-progress");
    Path ref = work.resolve("meta-ref");
    assertEquals(0, run(args, ref, false, Map.of()).waitFor(), log(ref));
    Path dir = work.resolve("meta-killed");
    Random rnd = new Random(7);
    List<String> kills = new ArrayList<>();
    // 1: at a random point after the first step was logged
    killAt(
        args,
        dir,
        Map.of(),
        () -> lines(dir.resolve("metrics.jsonl")) >= 1,
        200 + rnd.nextInt(1500),
        kills);
    // 2: between the checkpoint and the GHN export (the pair is inconsistent on disk at that
    // moment)
    FileTime before = mtime(dir.resolve("checkpoint.safetensors"));
    killAt(
        args,
        dir,
        Map.of("GHN4J_TEST_PAIR_PAUSE_MS", "4000"),
        () -> !mtime(dir.resolve("checkpoint.safetensors")).equals(before),
        300,
        kills);
    assertFalse(
        sameGhnWeights(dir), "the kill was to land between the checkpoint and the GHN export");
    // 3: as soon as a checkpoint's temporary file appears (a kill during the write), else at a
    // random point
    killAt(
        args,
        dir,
        Map.of(),
        () -> tempFileIn(dir) || lines(dir.resolve("metrics.jsonl")) >= 6,
        0,
        kills);
    // a torn last line, as a kill in the middle of writing one leaves it
    Files.writeString(
        dir.resolve("metrics.jsonl"), "{\"type\":\"step\",\"step\":", StandardOpenOption.APPEND);
    Process last = run(args, dir, Files.exists(dir.resolve("checkpoint.safetensors")), Map.of());
    assertEquals(0, last.waitFor(), log(dir));
    System.out.println("meta-training kills: " + kills);
    assertTrue(kills.stream().filter(k -> !k.startsWith("none")).count() >= 3, kills.toString());

    assertEquals(metrics(ref, "step"), metrics(dir, "step"));
    assertWeightsEqual(ref.resolve("ghn.safetensors"), dir.resolve("ghn.safetensors"));
    assertTrue(sameGhnWeights(dir), "ghn.safetensors is the checkpoint's GHN");
    assertFalse(tempFileIn(dir), "temporary files left behind");
  }

  @Test
  void sgdSurvivesKills() throws Exception {
    List<String> args =
        List.of(
            "sgd",
            "--arch",
            "mobilenet_v2",
            "--data-dir",
            data.toString(),
            "--shots",
            "1",
            "--images",
            "10",
            "--epochs",
            "6",
            "-b",
            "8",
            "--eval-batch-size",
            "10",
            "--prefetch",
            "1",
            "--seed",
            "3");
    Path ref = work.resolve("sgd-ref");
    assertEquals(0, run(args, ref, false, Map.of()).waitFor(), log(ref));
    Path dir = work.resolve("sgd-killed");
    Random rnd = new Random(11);
    List<String> kills = new ArrayList<>();
    killAt(
        args,
        dir,
        Map.of(),
        () -> lines(dir.resolve("metrics.jsonl")) >= 1,
        rnd.nextInt(600),
        kills);
    killAt(
        args,
        dir,
        Map.of(),
        () -> tempFileIn(dir) || lines(dir.resolve("metrics.jsonl")) >= 3,
        0,
        kills);
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"epoch\":", StandardOpenOption.APPEND);
    killAt(
        args,
        dir,
        Map.of(),
        () -> lines(dir.resolve("metrics.jsonl")) >= 4,
        rnd.nextInt(400),
        kills);
    Process last = run(args, dir, Files.exists(dir.resolve("checkpoint.safetensors")), Map.of());
    assertEquals(0, last.waitFor(), log(dir));
    System.out.println("sgd kills: " + kills);
    assertTrue(kills.stream().filter(k -> !k.startsWith("none")).count() >= 2, kills.toString());

    assertEquals(metrics(ref, "epoch"), metrics(dir, "epoch"));
    assertWeightsEqual(
        ref.resolve("checkpoint.safetensors"), dir.resolve("checkpoint.safetensors"));
    assertFalse(tempFileIn(dir), "temporary files left behind");
  }

  /**
   * Starts (or resumes, when {@code dir} holds a checkpoint) the command, waits until {@code when}
   * holds (at most 5 minutes), then {@code delayMs} more, and kills it with SIGKILL; records where
   * the kill landed.
   */
  private static void killAt(
      List<String> args,
      Path dir,
      Map<String, String> env,
      BooleanSupplier when,
      long delayMs,
      List<String> kills)
      throws Exception {
    boolean resume = Files.exists(dir.resolve("checkpoint.safetensors"));
    Process p = run(args, dir, resume, env);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!when.getAsBoolean()) {
      if (!p.isAlive()) {
        assertEquals(0, p.exitValue(), log(dir));
        kills.add("none: the run ended before the kill point");
        return;
      }
      assertTrue(System.nanoTime() < deadline, "kill point not reached in 5 min: " + log(dir));
      Thread.sleep(2);
    }
    if (delayMs > 0) {
      Thread.sleep(delayMs);
    }
    boolean midWrite = tempFileIn(dir);
    boolean alive = p.isAlive();
    p.destroyForcibly();
    p.waitFor();
    kills.add(
        alive
            ? String.format(
                "after %d metrics lines%s",
                lines(dir.resolve("metrics.jsonl")), midWrite ? " (a temporary file was open)" : "")
            : "none: the run ended first");
  }

  private static Process run(List<String> args, Path dir, boolean resume, Map<String, String> env)
      throws IOException {
    Files.createDirectories(dir);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp",
                System.getProperty("java.class.path"),
                "ghn4j.cli.Main"));
    cmd.addAll(args);
    cmd.addAll(List.of("--run-dir", dir.toString()));
    if (resume) {
      cmd.add("--resume");
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    dir.resolveSibling(dir.getFileName() + ".log").toFile()));
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String log(Path dir) {
    try {
      String s = Files.readString(dir.resolveSibling(dir.getFileName() + ".log"));
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static long lines(Path f) {
    try {
      return Files.isRegularFile(f)
          ? Files.readAllLines(f).stream().filter(l -> l.endsWith("}")).count()
          : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static FileTime mtime(Path f) {
    try {
      return Files.exists(f) ? Files.getLastModifiedTime(f) : FileTime.fromMillis(0);
    } catch (IOException e) {
      return FileTime.fromMillis(0); // renamed over while we looked
    }
  }

  private static boolean tempFileIn(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The metrics lines of {@code type} "step" lines (meta-training) or all lines (SGD), without
   * machine fields.
   */
  private static List<String> metrics(Path dir, String key) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode o = JSON.readTree(line);
      VOLATILE.forEach(((com.fasterxml.jackson.databind.node.ObjectNode) o)::remove);
      out.add(o.toString());
    }
    assertFalse(out.isEmpty(), "no metrics in " + dir);
    for (int i = 0; i < out.size(); i++) {
      assertEquals(
          i,
          JSON.readTree(out.get(i)).path(key).asInt(),
          "line " + i + " of " + dir + ": " + out.get(i));
    }
    return out;
  }

  private static void assertWeightsEqual(Path expected, Path actual) {
    Map<String, SafeTensors.Tensor> a = SafeTensors.read(expected);
    Map<String, SafeTensors.Tensor> b = SafeTensors.read(actual);
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k).data(), b.get(k).data(), 0f, k);
    }
  }

  /** Whether ghn.safetensors holds the GHN weights of checkpoint.safetensors. */
  private static boolean sameGhnWeights(Path dir) {
    Map<String, SafeTensors.Tensor> ck = SafeTensors.read(dir.resolve("checkpoint.safetensors"));
    Map<String, SafeTensors.Tensor> ghn = SafeTensors.read(dir.resolve("ghn.safetensors"));
    for (Map.Entry<String, SafeTensors.Tensor> e : ghn.entrySet()) {
      SafeTensors.Tensor c = ck.get("ghn." + e.getKey());
      if (c == null || !java.util.Arrays.equals(c.data(), e.getValue().data())) {
        return false;
      }
    }
    return true;
  }
}
