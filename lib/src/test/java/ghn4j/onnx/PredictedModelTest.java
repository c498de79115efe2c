package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import ghn4j.ghn.Ghn;
import ghn4j.nn.Tensors;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's call chain, {@code PredictedModel.of(OnnxModel.read(in), ghn, m).writeOnnx(out)},
 * on a model with the two layouts that do not map one to one onto the state_dict: a linear layer as
 * {@code MatMul} (weight stored transposed) and BatchNorm tensors shared by the exporter through
 * {@code Identity} nodes. The written file must run in ONNX Runtime with our executor's logits on
 * the predicted parameters (batch statistics: no calibration).
 */
class PredictedModelTest {

  @TempDir Path dir;

  @Test
  void transposedAndSharedTensorsAreWrittenBackSoThatOnnxRuntimeAgrees() throws Exception {
    TinyOnnx t = new TinyOnnx(13, 3, 8, 8);
    String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, false);
    x = t.bn("bn1", x, 4);
    x = t.node("Relu", "r1", new String[] {x});
    String w2 = t.node("Identity", "Identity_0", new String[] {"bn1.weight"});
    String b2 = t.node("Identity", "Identity_1", new String[] {"bn1.bias"});
    x = t.conv("c2", x, 4, 4, 3, 1, 1, 1, false);
    x =
        t.node(
            "BatchNormalization",
            "bn2",
            new String[] {
              x, w2, b2, t.weight("bn2.running_mean", 4), t.weight("bn2.running_var", 4)
            });
    x = t.node("Relu", "r2", new String[] {x});
    x = t.node("GlobalAveragePool", "pool", new String[] {x});
    x = t.node("Flatten", "flatten", new String[] {x}, "axis", 1L);
    String mm = t.node("MatMul", "fc_mm", new String[] {x, t.weight("fc.weight", 4, 5)});
    t.node("Add", "fc", new String[] {mm, t.weight("fc.bias", 5)});
    OnnxModel model = OnnxModel.read(t.write(dir, "net.onnx", "fc_out"));
    assertTrue(
        model.bindings().stream().anyMatch(ParamBinding::transposed),
        "the test needs a transposed weight");
    Path out = dir.resolve("net-ghn.onnx");
    try (Ghn ghn = Ghn.load(Fixtures.dir().resolve("ghn/ghn2-random.safetensors"));
        NDManager m = NDManager.newBaseManager()) {
      PredictedModel p = PredictedModel.of(model, ghn, m);
      // statistics of our own (PyTorch's initial 0/1) stand in for calibrated ones: they must reach
      // both BN nodes
      ghn4j.nn.BnState stats = ghn4j.nn.BnState.initial(model.graph(), m, DataType.FLOAT32);
      p = new PredictedModel(model, p.export().withStats(stats, 1)).writeOnnx(out);
      OnnxMl.ModelProto written = OnnxFiles.read(out);
      assertEquals(
          model.proto().getGraph().getNodeCount() - 2,
          written.getGraph().getNodeCount(),
          "the two Identity nodes became initializers of their own");
      double[] v = new SplittableRandom(3).doubles(4 * 3 * 8 * 8, -2, 2).toArray();
      NDArray input = Tensors.fromDoubles(m, v, new Shape(4, 3, 8, 8), DataType.FLOAT32);
      try (OrtRunner ort = OrtRunner.open(out)) {
        RuntimeComparison.Result r =
            RuntimeComparison.compare(
                ort, model.graph(), p.export().params(), stats, BnForm.RUNNING_STATS, input);
        assertTrue(r.within(1e-4, 1e-3), r.toString());
      }
    }
  }
}
