package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.ParamSpec;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Imported networks compute what PyTorch computes: narrow torchvision variants ({@code
 * tiny_torchvision.py}: ShuffleNetV2 with its split and channel shuffle, MobileNetV3 with
 * hard-swish and SE gates, EfficientNet with SiLU, DenseNet with Pad + average pooling) with random
 * weights, run by our executor with the file's own weights on the stored input, BatchNorm on batch
 * statistics, against PyTorch 1.13's logits.
 */
class TinyTorchvisionNumericsTest {

  private static float[] floats(Path f) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }

  @Test
  void logitsMatchPyTorch() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("tiny").toURI());
    float[] input = floats(dir.resolve("input.bin"));
    for (String name :
        List.of("shufflenet_tiny", "mobilenet_v3_tiny", "efficientnet_tiny", "densenet_tiny")) {
      OnnxModel m = OnnxModel.read(dir.resolve(name + ".onnx"));
      float[] expected = floats(dir.resolve(name + ".logits.bin"));
      try (NDManager manager = Devices.newManager()) {
        Map<String, NDArray> params = new HashMap<>();
        Map<String, int[]> shapes = new HashMap<>();
        for (ParamSpec p : m.graph().params()) {
          shapes.put(p.name(), p.shape());
        }
        for (ParamBinding b : m.bindings()) {
          int[] s = shapes.get(b.param());
          float[] v = m.initializerValues(b.initializer());
          NDArray a =
              b.transposed()
                  ? manager.create(v, new Shape(s[1], s[0])).transpose()
                  : manager.create(
                      v, new Shape(java.util.Arrays.stream(s).asLongStream().toArray()));
          params.put(b.param(), a.toType(DataType.FLOAT32, false));
        }
        NDArray x = manager.create(input, new Shape(4, 3, 32, 32));
        float[] y =
            new GraphExecutor(m.graph()).forward(x, params, Mode.batchStats()).toFloatArray();
        assertEquals(expected.length, y.length, name);
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
          worst =
              Math.max(worst, Math.abs(y[i] - expected[i]) / (1e-3 + 1e-3 * Math.abs(expected[i])));
        }
        // the fixture README's logits tolerance: |a - b| <= 1e-3 + 1e-3 |b|
        assertTrue(worst <= 1, name + ": worst error " + worst + " × tolerance");
      }
    }
  }
}
