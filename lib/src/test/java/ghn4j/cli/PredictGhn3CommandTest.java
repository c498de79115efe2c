package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.data.ImageNetTree;
import ghn4j.io.SafeTensors;
import ghn4j.testing.CommandRun;
import ghn4j.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./ghn4j predict --ckpt <GHN-3> --onnx ...} with the GHN-3 fixtures: an ImageNet CNN
 * calibrated on a generated ImageNet-style folder and checked by the command in ONNX Runtime
 * against our executor (exit 1 on a mismatch), ViT written as a state_dict, and GHN-3 with --arch
 * refused.
 */
class PredictGhn3CommandTest {

  @TempDir Path tmp;

  private static String ghn3() {
    return Fixtures.require(
            Fixtures.ghn3Dir().resolve("ghn").resolve("ghn3-random.joblib"), "GHN-3 fixture")
        .toString();
  }

  private static String onnx(String arch) {
    return Fixtures.ghn3Dir().resolve("onnx").resolve(arch + ".onnx.gz").toString();
  }

  @Test
  void aCalibratedCnnIsCheckedAgainstOurExecutor() throws Exception {
    Path root = tmp.resolve("imagenet");
    ImageNetTree.write(root);
    Path out = tmp.resolve("mnv3-ghn3.onnx");
    String text =
        run(
            0,
            "--ckpt",
            ghn3(),
            "--onnx",
            onnx("mobilenet_v3_small"),
            "--image-folder",
            root.toString(),
            "--calibrate",
            "6",
            "--calibrate-batch",
            "3",
            "--out",
            out.toString());
    assertTrue(text.contains("re-estimated on 6"), text);
    assertTrue(
        text.contains("ONNX Runtime check (running-statistics BatchNorm") && text.contains("OK"),
        text);
    assertTrue(Files.isRegularFile(out));
  }

  @Test
  void uncalibratedResnetRunsInOnnxRuntime() throws Exception {
    Path out = tmp.resolve("r18-ghn3.onnx");
    String text = run(0, "--ckpt", ghn3(), "--onnx", onnx("resnet18"), "--out", out.toString());
    assertTrue(text.contains("predicted 11,689,512 parameters"), text);
    assertTrue(text.contains("logits [2, 1000], all finite"), text);
  }

  @Test
  void vitAsAStateDict() throws Exception {
    Path out = tmp.resolve("vit.safetensors");
    String text = run(0, "--ckpt", ghn3(), "--onnx", onnx("vit_b_16"), "--out", out.toString());
    assertTrue(text.contains("executable import: no") && text.contains("class_token"), text);
    assertTrue(SafeTensors.list(out).stream().anyMatch(e -> e.name().equals("heads.head.weight")));
  }

  @Test
  void ghn3WithArchIsRefused() throws Exception {
    Path out = tmp.resolve("x.onnx");
    String text = run(Main.ERROR, "--ckpt", ghn3(), "--arch", "resnet18", "--out", out.toString());
    assertTrue(text.contains("is a GHN-3: it predicts for an ONNX model"), text);
    assertFalse(Files.exists(out));
  }

  private static String run(int expected, String... args) {
    CommandLine cl = new CommandLine(new PredictCommand());
    cl.setExecutionExceptionHandler(
        (e, c, r) -> {
          System.err.println("ghn4j: predict: " + e.getMessage());
          return Main.ERROR;
        });
    return CommandRun.run(cl, expected, args);
  }
}
