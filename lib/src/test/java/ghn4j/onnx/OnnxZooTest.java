package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.bench.OnnxImportBench;
import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.ParamSpec;
import ghn4j.testing.Fixtures;
import ghn4j.zoo.MobileNetV2;
import ghn4j.zoo.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imported ONNX graphs against our hand-written zoo builders of the same torchvision nets. */
class OnnxZooTest {

  @TempDir Path dir;

  private static void sameNetwork(Graph zoo, Graph imported, String what) {
    GraphIsomorphism.Result r =
        GraphIsomorphism.compare(imported.primitiveView(), zoo.primitiveView());
    assertTrue(r.isomorphic(), what + ": " + r.message());
    assertEquals(
        zoo.params().stream().map(ParamSpec::toString).sorted().toList(),
        imported.params().stream().map(ParamSpec::toString).sorted().toList(),
        what);
  }

  @Test
  void benchResNet50RoundTripsThroughOnnx() throws IOException {
    Path f = OnnxImportBench.writeResNet50(dir.resolve("resnet50.onnx"));
    sameNetwork(ResNet.resnet50(10), OnnxModel.read(f).graph(), "resnet50");
  }

  @Test
  void onnxFixturesMatchTheZooBuilders() {
    Path onnx = Fixtures.dir().resolve("../onnx/onnx").normalize();
    Assumptions.assumeTrue(Files.isDirectory(onnx), "no ONNX fixtures at " + onnx);
    for (Map.Entry<String, Graph> e :
        Map.of("resnet18", ResNet.resnet18(10), "mobilenet_v2", MobileNetV2.mobilenetV2(10))
            .entrySet()) {
      Path f = onnx.resolve(e.getKey() + ".onnx");
      Assumptions.assumeTrue(Files.isRegularFile(f), "missing " + f);
      sameNetwork(e.getValue(), OnnxModel.read(f).graph(), e.getKey());
    }
  }
}
