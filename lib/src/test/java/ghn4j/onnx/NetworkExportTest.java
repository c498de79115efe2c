package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.io.SafeTensors;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.parity.ZooArchitectures;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writing a network with (predicted) parameters: the safetensors state_dict carries PyTorch's names
 * (the same float tensors as the PyTorch-exported fixture models, whose initializers are
 * torchvision's state_dict), and our parameters with running statistics put into the torchvision
 * fixture models give our executor's logits in ONNX Runtime — the torch-exported graph and ours
 * compute the same network.
 */
class NetworkExportTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "mobilenet_v2"})
  void stateDictNamesAreTorchvisionsAndOurParametersRunInTheTorchExportedModel(String arch)
      throws Exception {
    Path dir = Fixtures.onnxDir();
    OnnxMl.ModelProto model = OnnxFiles.read(dir.resolve("onnx/" + arch + ".onnx"));
    Graph g = ZooArchitectures.build(arch, 10).orElseThrow();
    try (NDManager m = Devices.newManager()) {
      Map<String, NDArray> params = ExportNets.params(g, 11, m);
      BnState stats = ExportNets.randomStats(g, 12, m);
      NetworkExport net = new NetworkExport(g, params, stats, 5);
      Path st = tmp.resolve(arch + ".safetensors");
      net.writeSafetensors(st);
      List<SafeTensors.Entry> entries = SafeTensors.list(st);
      Set<String> floats =
          entries.stream()
              .filter(e -> e.dtype().equals("F32"))
              .map(SafeTensors.Entry::name)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> torch =
          model.getGraph().getInitializerList().stream()
              .filter(t -> t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber())
              .map(OnnxMl.TensorProto::getName)
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(torch, floats);
      for (SafeTensors.Entry e : entries) {
        if (e.name().endsWith(".num_batches_tracked")) {
          assertEquals("I64", e.dtype(), e.name());
          assertEquals(0, e.shape().length, e.name());
        }
      }
      Map<String, SafeTensors.Tensor> back = SafeTensors.read(st);
      String first = g.params().get(0).name();
      assertArrayEquals(params.get(first).toFloatArray(), back.get(first).data());

      Path out = tmp.resolve(arch + "-ours.onnx");
      net.writeInto(model, dir.resolve("onnx"), out);
      NDArray x = ExportNets.images(m, 4, 32, 13);
      try (OrtRunner ort = OrtRunner.open(out)) {
        RuntimeComparison.Result r =
            RuntimeComparison.compare(ort, g, params, stats, BnForm.RUNNING_STATS, x);
        System.out.printf("torch-exported %s with our parameters and statistics: %s%n", arch, r);
        assertTrue(r.within(OnnxWriterTest.ATOL, OnnxWriterTest.RTOL), arch + ": " + r);
      }
    }
  }

  @Test
  void predictionsWriteOnnxAndSafetensorsByExtension() throws Exception {
    Graph g = ZooArchitectures.build("resnet18", 10).orElseThrow();
    try (Ghn ghn = Ghn.load(Fixtures.dir().resolve("ghn").resolve("ghn2-random.safetensors"));
        NDManager m = Devices.newManager()) {
      Predictions p = ghn.predict(List.of(g), m);
      NetworkExport net = NetworkExport.of(p, 0, g);
      assertEquals(BnForm.BATCH_STATS, net.defaultForm());
      Path onnx = tmp.resolve("r18.onnx");
      net.write(onnx, InputShape.cifar10());
      net.write(tmp.resolve("r18.safetensors"), InputShape.cifar10());
      assertEquals(
          g.params().size() + 3 * 20, SafeTensors.list(tmp.resolve("r18.safetensors")).size());
      try (OrtRunner ort = OrtRunner.open(onnx)) {
        RuntimeComparison.Result r =
            RuntimeComparison.compare(
                ort, g, p.params(0), null, BnForm.BATCH_STATS, ExportNets.images(m, 4, 32, 1));
        assertTrue(r.within(OnnxWriterTest.ATOL, OnnxWriterTest.RTOL), r.toString());
      }
      IllegalArgumentException bad =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class,
              () -> net.write(tmp.resolve("r18.pt"), InputShape.cifar10()));
      assertTrue(bad.getMessage().contains("r18.pt"), bad.getMessage());
    }
  }
}
