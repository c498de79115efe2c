package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ghn4j.ghn.Ghn3;
import ghn4j.io.SafeTensors;
import ghn4j.nn.Devices;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GHN-3 predictions for ONNX models of the GHN-3 fixtures (torchvision ImageNet nets, opset 14):
 * the written files carry exactly the predicted tensors (read back), a CNN comes with its
 * executable import, ViT does not (and keeps its class token), ConvNeXt keeps its 18 layer scales,
 * and the results run in ONNX Runtime.
 */
class Ghn3PredictionTest {

  @TempDir Path tmp;

  private static Path fixture(String rel) {
    return Fixtures.require(Fixtures.ghn3Dir().resolve(rel), "GHN-3 fixture " + rel);
  }

  private static Map<String, OnnxMl.TensorProto> initializers(Path onnx) throws Exception {
    return OnnxFiles.read(onnx).getGraph().getInitializerList().stream()
        .collect(Collectors.toMap(OnnxMl.TensorProto::getName, t -> t));
  }

  private static void assertWritten(
      Map<String, NDArray> predicted, Map<String, OnnxMl.TensorProto> inits) {
    for (Map.Entry<String, NDArray> e : predicted.entrySet()) {
      OnnxMl.TensorProto t = inits.get(e.getKey());
      assertNotNull(t, e.getKey());
      float[] want = e.getValue().toFloatArray();
      float[] got = OnnxTensors.floats(t, null);
      long[] dims = OnnxTensors.dims(t);
      if (dims.length == 2 && dims[0] != e.getValue().getShape().get(0)) {
        float[] tr = new float[got.length]; // written transposed: compare in PyTorch's layout
        int rows = (int) dims[0];
        int cols = (int) dims[1];
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) {
            tr[j * rows + i] = got[i * cols + j];
          }
        }
        got = tr;
      }
      assertArrayEquals(want, got, e.getKey());
    }
  }

  @Test
  void aCnnIsPredictedWrittenAndRunsLikeOurExecutor() throws Exception {
    Path model = fixture("onnx/mobilenet_v3_small.onnx.gz");
    try (Ghn3 ghn = Ghn3.load(fixture("ghn/ghn3-random.joblib"));
        NDManager m = Devices.newManager()) {
      Ghn3Prediction p = Ghn3Prediction.of(model, ghn, m);
      assertEquals(List.of(), p.notPredicted());
      PredictedModel exec = p.executable();
      assertNotNull(exec, p.whyNotExecutable());
      long total = p.params().values().stream().mapToLong(a -> a.getShape().size()).sum();
      assertEquals(
          2_542_856, total, "every parameter of mobilenet_v3_small (the fixture's num_params)");
      Path out = tmp.resolve("mnv3.onnx");
      exec.writeOnnx(out);
      assertWritten(p.params(), initializers(out));
      // the direct route (initializers replaced in the model as read, used for non-executable nets)
      // writes the same
      Path plain = tmp.resolve("mnv3-direct.onnx");
      p.writeOnnx(plain);
      assertWritten(p.params(), initializers(plain));
      assertTrue(p.graphSeconds() > 0 && p.forwardSeconds() > 0);
      assertTrue(
          p.nodeTypes().containsKey("conv") && p.nodeTypes().containsKey("cse"),
          p.nodeTypes().toString());
    }
  }

  @Test
  void vitIsWrittenWithoutAnExecutorAndKeepsItsClassToken() throws Exception {
    Path model = fixture("onnx/vit_b_16.onnx.gz");
    try (Ghn3 ghn = Ghn3.load(fixture("ghn/ghn3-random.joblib"));
        NDManager m = Devices.newManager()) {
      Ghn3Prediction p = Ghn3Prediction.of(model, ghn, m);
      assertNull(p.executable());
      assertTrue(p.whyNotExecutable().contains("not supported"), p.whyNotExecutable());
      assertEquals(List.of("class_token"), p.notPredicted());
      Path out = tmp.resolve("vit.onnx");
      p.writeOnnx(out);
      assertWritten(p.params(), initializers(out));
      long[] shape = p.inputShape(2);
      assertArrayEquals(new long[] {2, 3, 224, 224}, shape);
      try (OrtRunner ort = OrtRunner.open(out)) {
        float[] x = new float[2 * 3 * 224 * 224];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) Math.sin(i * 0.001);
        }
        float[][] logits = ort.run(x, shape);
        assertEquals(1000, logits[0].length);
        for (float v : logits[0]) {
          assertTrue(Float.isFinite(v));
        }
      }
      Path st = tmp.resolve("vit.safetensors");
      p.writeSafetensors(st);
      assertEquals(
          p.params().keySet(),
          SafeTensors.list(st).stream().map(SafeTensors.Entry::name).collect(Collectors.toSet()));
    }
  }

  /**
   * PyTorch's exporter writes equal tensors (the all-ones BatchNorm weights of an untrained net)
   * once and the others as Identity nodes named by their own state_dict names: GHN-3 sees them as
   * parameters and the writer replaces them.
   */
  @Test
  void exporterDeduplicatedInitializersAreParameters() throws Exception {
    Path gz = fixture("onnx/resnet18.onnx.gz");
    com.google.protobuf.CodedInputStream cin =
        com.google.protobuf.CodedInputStream.newInstance(ModelBytes.read(gz));
    cin.setSizeLimit(Integer.MAX_VALUE);
    OnnxMl.ModelProto full = OnnxMl.ModelProto.parseFrom(cin);
    OnnxMl.GraphProto.Builder g = full.getGraph().toBuilder();
    int idx = -1;
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals("layer1.0.bn1.weight")) {
        idx = i;
      }
    }
    g.removeInitializer(idx);
    g.addNode(
        0,
        OnnxMl.NodeProto.newBuilder()
            .setOpType("Identity")
            .setName("dedup")
            .addInput("bn1.weight")
            .addOutput("layer1.0.bn1.weight"));
    Path deduped = tmp.resolve("r18-dedup.onnx");
    OnnxFiles.write(full.toBuilder().setGraph(g).build(), deduped);
    var original =
        Ghn3Graphs.read(gz).params().stream()
            .map(p -> p.name() + java.util.Arrays.toString(p.shape()))
            .toList();
    var withAlias =
        Ghn3Graphs.read(deduped).params().stream()
            .map(p -> p.name() + java.util.Arrays.toString(p.shape()))
            .toList();
    assertEquals(original, withAlias);
    try (Ghn3 ghn = Ghn3.load(fixture("ghn/ghn3-random.joblib"));
        NDManager m = Devices.newManager()) {
      Ghn3Prediction p = Ghn3Prediction.of(deduped, ghn, m);
      Path out = tmp.resolve("r18-dedup-ghn3.onnx");
      p.writeOnnx(out);
      assertWritten(p.params(), initializers(out));
    }
  }

  @Test
  void convnextKeepsItsLayerScales() throws Exception {
    try (Ghn3 ghn = Ghn3.load(fixture("ghn/ghn3-random.joblib"));
        NDManager m = Devices.newManager()) {
      Ghn3Prediction p = Ghn3Prediction.of(fixture("onnx/convnext_tiny.onnx.gz"), ghn, m);
      assertNull(p.executable());
      List<String> kept = p.notPredicted();
      assertEquals(18, kept.size(), kept.toString());
      assertTrue(kept.stream().allMatch(n -> n.endsWith("layer_scale")), kept.toString());
    }
  }
}
