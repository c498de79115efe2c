package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.GraphJson;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The families of ppuda's {@code examples/all_torch_models.py} beyond the shipped ONNX fixtures
 * (and two more with SiLU and grouped convolutions; AlexNet at 224 px, whose adaptive pooling
 * exports as a 1×1 AveragePool): each {@code families/<arch>.onnx} was exported from {@code
 * torchvision.models.<arch>(num_classes=10)} after ppuda's {@code adjust_net} exactly as the ONNX
 * fixtures were (opset 13, BatchNorm kept), its large weights then replaced by references to a file
 * that is not shipped ({@link StripWeights}); {@code <arch>.graph.json} is ppuda's {@code Graph} of
 * the same module ({@code torchvision_families.py} made both). Our import must be isomorphic to
 * ppuda's graph, hold the same parameters, and run.
 */
class TorchvisionFamiliesTest {

  @Test
  void importedGraphsAreIsomorphicToPpudasAndRun() throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("families").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
    }
    assertTrue(files.size() >= 10, "families found: " + files);
    try (NDManager m = Devices.newManager()) {
      for (Path f : files) {
        String arch = f.getFileName().toString().replace(".onnx", "");
        OnnxModel model = OnnxModel.read(f);
        Graph ref = ReferenceGraphJson.read(dir.resolve(arch + ".graph.json"));
        GraphIsomorphism.Result r = GraphIsomorphism.compare(model.graph().primitiveView(), ref);
        assertTrue(r.isomorphic(), arch + ": " + r.message());
        assertEquals(ref.numParams(), model.graph().numParams(), arch);
        // the new ops (channel shuffle, narrow, ceil-mode pooling, SiLU) survive our JSON format
        assertEquals(
            model.graph().nodes(),
            GraphJson.fromJson(GraphJson.toJson(model.graph())).nodes(),
            arch);
        assertEquals(
            ref.params().stream().map(ParamSpec::name).sorted().toList(),
            model.graph().params().stream().map(ParamSpec::name).sorted().toList(),
            arch);
        try (NDManager sub = m.newSubManager()) {
          Map<String, NDArray> params = new HashMap<>();
          for (ParamSpec p : model.graph().params()) {
            long[] shape = java.util.Arrays.stream(p.shape()).asLongStream().toArray();
            params.put(p.name(), sub.randomNormal(0, 0.1f, new Shape(shape), DataType.FLOAT32));
          }
          long[] in = model.inputShape();
          NDArray x = sub.randomNormal(new Shape(2, 3, in[2], in[3]));
          NDArray y = new GraphExecutor(model.graph()).forward(x, params, Mode.batchStats());
          assertArrayEquals(new long[] {2, 10}, y.getShape().getShape(), arch);
        }
      }
    }
  }
}
