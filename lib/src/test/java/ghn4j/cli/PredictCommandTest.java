package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ghn4j.data.ImageNetTree;
import ghn4j.io.SafeTensors;
import ghn4j.onnx.OnnxFiles;
import ghn4j.onnx.OnnxTensors;
import ghn4j.testing.CommandRun;
import ghn4j.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./ghn4j predict} end to end with the random GHN-2 fixture: ONNX (checked in ONNX Runtime
 * by the command, which exits 1 on a mismatch) and safetensors outputs, recalibration on an
 * ImageNet-style folder, and a clear refusal when --calibrate has no data.
 */
class PredictCommandTest {

  @TempDir Path tmp;

  private static String ghn() {
    return Fixtures.dir().resolve("ghn").resolve("ghn2-random.safetensors").toString();
  }

  @Test
  void writesOnnxCheckedInOnnxRuntimeAndAStateDict() throws Exception {
    Path onnx = tmp.resolve("net.onnx");
    assertEquals(
        0,
        new CommandLine(new PredictCommand())
            .execute(
                "--ckpt",
                ghn(),
                "--split",
                "test",
                "--index",
                "1",
                "--nets-root",
                tmp.resolve("none").toString(),
                "--out",
                onnx.toString()));
    OnnxMl.ModelProto model = OnnxFiles.read(onnx);
    assertEquals("logits", model.getGraph().getOutput(0).getName());
    Path st = tmp.resolve("r18.safetensors");
    assertEquals(
        0,
        new CommandLine(new PredictCommand())
            .execute("--ckpt", ghn(), "--arch", "resnet18", "--out", st.toString()));
    Set<String> names =
        SafeTensors.list(st).stream().map(SafeTensors.Entry::name).collect(Collectors.toSet());
    assertTrue(
        names.contains("layer4.1.bn2.running_var") && names.contains("fc.weight"),
        names.toString());
  }

  @Test
  void calibratesOnAFolderAndWritesRunningStatistics() throws Exception {
    Path root = tmp.resolve("imagenet");
    ImageNetTree.write(root);
    Path onnx = tmp.resolve("r18.onnx");
    String out =
        run(
            0,
            "--ckpt",
            ghn(),
            "--arch",
            "resnet18",
            "--image-folder",
            root.toString(),
            "--image-size",
            "64",
            "--calibrate",
            "6",
            "--calibrate-batch",
            "3",
            "--out",
            onnx.toString());
    assertTrue(out.contains("re-estimated on 6"), out);
    OnnxMl.TensorProto mean =
        OnnxFiles.read(onnx).getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("bn1.running_mean"))
            .findFirst()
            .orElseThrow();
    float[] v = OnnxTensors.floats(mean, null);
    boolean nonZero = false;
    for (float f : v) {
      nonZero |= f != 0;
    }
    assertTrue(nonZero, "bn1.running_mean is still PyTorch's initial 0");
  }

  @Test
  void calibrateWithoutDataSaysSoAndWritesNothing() throws Exception {
    Path onnx = tmp.resolve("x.onnx");
    String out =
        run(
            Main.ERROR,
            "--ckpt",
            ghn(),
            "--arch",
            "resnet18",
            "--calibrate",
            "10",
            "--data-dir",
            tmp.resolve("empty").toString(),
            "--out",
            onnx.toString());
    assertTrue(out.contains("no training images available"), out);
    assertFalse(Files.exists(onnx));
  }

  @Test
  void yourOwnOnnxModelInPredictedOnnxOut() throws Exception {
    Path in =
        Fixtures.require(
            Fixtures.dir().resolveSibling("onnx").resolve("onnx/squeezenet1_1.onnx"),
            "ONNX fixtures");
    Path onnx = tmp.resolve("sq-ghn.onnx");
    // exit 0 includes the command's own ONNX Runtime check of the written file against our executor
    String out = run(0, "--ckpt", ghn(), "--onnx", in.toString(), "--out", onnx.toString());
    assertTrue(out.contains("ONNX Runtime check") && out.contains("OK"), out);
    OnnxMl.ModelProto written = OnnxFiles.read(onnx);
    OnnxMl.ModelProto original = OnnxFiles.read(in);
    assertEquals(
        original.getGraph().getNodeCount(), written.getGraph().getNodeCount(), "same network");
    OnnxMl.TensorProto w =
        written.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("features.0.weight"))
            .findFirst()
            .orElseThrow();
    OnnxMl.TensorProto w0 =
        original.getGraph().getInitializerList().stream()
            .filter(t -> t.getName().equals("features.0.weight"))
            .findFirst()
            .orElseThrow();
    assertFalse(
        java.util.Arrays.equals(
            OnnxTensors.floats(w, in.getParent()), OnnxTensors.floats(w0, in.getParent())),
        "the first conv still holds the exported constants");
    Path st = tmp.resolve("sq.safetensors");
    run(0, "--ckpt", ghn(), "--onnx", in.toString(), "--out", st.toString());
    Set<String> names =
        SafeTensors.list(st).stream().map(SafeTensors.Entry::name).collect(Collectors.toSet());
    assertTrue(
        names.contains("features.0.weight") && names.contains("classifier.1.weight"),
        names.toString());
  }

  /** Runs the command, asserts its exit code, returns what it printed (stdout + stderr). */
  private static String run(int expected, String... args) {
    return CommandRun.run(new CommandLine(new PredictCommand()), expected, args);
  }
}
