package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's error contract: one line on stderr, documented exit codes, stack traces only
 * on request.
 */
class MainTest {

  private record Outcome(int code, String err) {}

  private static Outcome run(String... args) {
    StringWriter sw = new StringWriter();
    int code = Main.run(args, new PrintWriter(sw, true));
    return new Outcome(code, sw.toString());
  }

  @Test
  void noCommandPrintsUsageAndExits2() {
    // usage goes to System.err, not to the writer; the code is what scripts see
    assertEquals(Main.USAGE, run().code());
  }

  @Test
  void unknownCommandAndOptionAreUsageErrors() {
    Outcome o = run("nosuch");
    assertEquals(Main.USAGE, o.code());
    assertTrue(o.err().startsWith("ghn4j: Unmatched argument"), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    Outcome p = run("parity");
    assertEquals(Main.USAGE, p.code());
    assertTrue(p.err().startsWith("ghn4j: parity: Missing required option"), p.err());
  }

  @Test
  void badInputIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
    Path ckpt = dir.resolve("broken.safetensors");
    Files.writeString(ckpt, "not a checkpoint");
    // predict reads the GHN before any data set, so the outcome does not depend on CIFAR-10 being
    // prepared
    Outcome o =
        run(
            "predict",
            "--ckpt",
            ckpt.toString(),
            "--arch",
            "resnet18",
            "--out",
            dir.resolve("x.onnx").toString());
    assertEquals(Main.ERROR, o.code());
    assertTrue(o.err().startsWith("ghn4j: predict: "), o.err());
    assertTrue(o.err().contains("broken"), o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line:\n" + o.err());
    assertFalse(o.err().contains("\tat "), o.err());
  }

  @Test
  void debugPrintsTheStackTrace(@TempDir Path dir) {
    Outcome o =
        run(
            "--debug",
            "predict",
            "--ckpt",
            dir.resolve("missing.pt").toString(),
            "--arch",
            "resnet18",
            "--out",
            dir.resolve("x.onnx").toString());
    assertEquals(Main.ERROR, o.code());
    assertTrue(o.err().contains("\tat "), o.err());
    assertTrue(o.err().strip().endsWith("no such checkpoint file"), o.err());
  }

  @Test
  void causesAreJoinedOnOneLine() {
    Exception e =
        new IllegalArgumentException(
            "model.onnx: not an ONNX model",
            new java.nio.file.NoSuchFileException("/x/model.onnx"));
    assertEquals(
        "model.onnx: not an ONNX model: NoSuchFileException: /x/model.onnx", Main.oneLine(e));
  }
}
