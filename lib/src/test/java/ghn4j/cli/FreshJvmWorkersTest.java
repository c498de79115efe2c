package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.testing.TinyCifar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --workers} asks PyTorch for its thread count; {@code properties} does so before anything
 * else has loaded the engine, which in a fresh JVM used to end in an {@code UnsatisfiedLinkError}
 * (the JNI library is linked only when the engine loads). The test JVM has long loaded it, so the
 * command runs in a JVM of its own, on a tiny CIFAR-shaped cache (one val and one test net, one
 * epoch).
 */
class FreshJvmWorkersTest {

  @TempDir Path work;

  @Test
  void propertiesWithTwoWorkersInAFreshJvm() throws Exception {
    Path data = TinyCifar.prepare(work, 4, 2);
    Path cache = work.resolve("groundtruth.jsonl");
    Path log = work.resolve("properties.log");
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx2g",
            "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_threads=2",
            "-Dai.djl.pytorch.num_interop_threads=1",
            "-cp",
            System.getProperty("java.class.path"),
            "ghn4j.cli.Main",
            "properties",
            "--ground-truth-only",
            "--data-dir",
            data.toString(),
            "--val",
            "1",
            "--test",
            "1",
            "--epochs",
            "1",
            "--width",
            "8",
            "--train-per-class",
            "4",
            "--test-per-class",
            "2",
            "--workers",
            "2",
            "--no-progress",
            "--cache",
            cache.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "properties did not end in 5 minutes");
    String out = Files.readString(log);
    assertFalse(out.contains("UnsatisfiedLinkError"), out);
    assertEquals(0, p.exitValue(), out);
    assertEquals(2, Files.readAllLines(cache).size(), out);
  }
}
