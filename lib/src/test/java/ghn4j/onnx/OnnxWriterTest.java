package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.Presets;
import ghn4j.graph.Graph;
import ghn4j.graph.ParamSpec;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.parity.ZooArchitectures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zoo networks written to ONNX and run in ONNX Runtime: logits must match our executor on the same
 * parameters and images, with BatchNorm on running statistics ({@link BnForm#RUNNING_STATS} vs
 * {@code Mode.eval}, random running statistics) and on batch statistics ({@link BnForm#BATCH_STATS}
 * vs {@code Mode.batchStats()}).
 *
 * <p>Tolerance: every logit within {@value #ATOL} + {@value #RTOL} × max |logit| (float32 in both
 * runtimes, different kernels and summation orders), and the same arg-max in every row.
 */
class OnnxWriterTest {

  static final double ATOL = 1e-4;
  static final double RTOL = 1e-3;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "resnet50", "mobilenet_v2", "vgg11_bn", "ViT"})
  void zooNetRunsInOnnxRuntimeWithOurLogits(String arch) throws Exception {
    Graph g =
        arch.equals("ViT")
            ? NetworkBuilder.graph(Presets.vit(10, false))
            : ZooArchitectures.build(arch, 10).orElseThrow();
    check(arch, g, tmp);
  }

  @Test
  void largeModelsGoToExternalDataThatOnnxRuntimeReads() throws Exception {
    Graph g = ZooArchitectures.build("resnet18", 10).orElseThrow();
    try (NDManager m = Devices.newManager()) {
      Map<String, NDArray> params = ExportNets.params(g, 1, m);
      BnState stats = ExportNets.randomStats(g, 2, m);
      OnnxMl.ModelProto model =
          OnnxWriter.toModel(g, params, stats, BnForm.RUNNING_STATS, InputShape.cifar10());
      Path file = tmp.resolve("big/resnet18.onnx");
      OnnxFiles.write(model, file, 1_000_000); // as if 1 MB were the protobuf limit
      assertTrue(Files.size(file) < 1_000_000, "model file " + Files.size(file) + " bytes");
      assertTrue(Files.size(file.resolveSibling("resnet18.onnx.data")) > 40_000_000);
      NDArray x = ExportNets.images(m, 2, 32, 3);
      try (OrtRunner external = OrtRunner.open(file);
          OrtRunner inMemory = OrtRunner.open(model)) {
        float[][] a = external.run(x);
        float[][] b = inMemory.run(x);
        for (int r = 0; r < a.length; r++) {
          assertArrayEquals(b[r], a[r]);
        }
      }
    }
  }

  @Test
  void runningStatisticsFormWithoutStatisticsIsRefused() {
    Graph g = ZooArchitectures.build("resnet18", 10).orElseThrow();
    try (NDManager m = Devices.newManager()) {
      Map<String, NDArray> params = ExportNets.params(g, 1, m);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  OnnxWriter.toModel(g, params, null, BnForm.RUNNING_STATS, InputShape.cifar10()));
      assertTrue(e.getMessage().contains("BnState"), e.getMessage());
      params.remove("fc.weight");
      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> OnnxWriter.toModel(g, params, null, BnForm.BATCH_STATS, InputShape.cifar10()));
      assertTrue(missing.getMessage().contains("fc.weight"), missing.getMessage());
    }
  }

  /**
   * Writes {@code g} in both BN forms, runs both files in ORT, compares with the executor; returns
   * the file.
   */
  static void check(String what, Graph g, Path dir) throws Exception {
    try (NDManager m = Devices.newManager()) {
      Map<String, NDArray> params = ExportNets.params(g, 7, m);
      BnState stats = ExportNets.randomStats(g, 8, m);
      NDArray x = ExportNets.images(m, 4, 32, 9);
      for (BnForm form : BnForm.values()) {
        OnnxMl.ModelProto model = OnnxWriter.toModel(g, params, stats, form, InputShape.cifar10());
        Path file = dir.resolve(what.replace('/', '_') + "-" + form + ".onnx");
        OnnxFiles.write(model, file);
        assertInitializersAreTheStateDict(g, OnnxFiles.read(file), form);
        try (OrtRunner ort = OrtRunner.open(file)) {
          RuntimeComparison.Result r = RuntimeComparison.compare(ort, g, params, stats, form, x);
          System.out.printf("%s %s: %s%n", what, form, r);
          assertTrue(r.within(ATOL, RTOL), what + " " + form + ": " + r);
          assertEquals(1.0, r.argmaxAgreement(), what + " " + form + ": " + r);
        }
      }
    }
  }

  static void assertInitializersAreTheStateDict(Graph g, OnnxMl.ModelProto model, BnForm form) {
    Set<String> expected =
        g.params().stream().map(ParamSpec::name).collect(Collectors.toCollection(TreeSet::new));
    if (form == BnForm.RUNNING_STATS) {
      g.nodes().stream()
          .filter(n -> n.op() instanceof ghn4j.graph.Ops.BatchNorm)
          .forEach(
              n -> {
                expected.add(ghn4j.nn.StateDict.modulePrefix(n) + ".running_mean");
                expected.add(ghn4j.nn.StateDict.modulePrefix(n) + ".running_var");
              });
    }
    Set<String> actual =
        model.getGraph().getInitializerList().stream()
            .map(OnnxMl.TensorProto::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, actual);
  }
}
