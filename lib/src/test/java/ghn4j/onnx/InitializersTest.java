package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.io.SafeTensors;
import ghn4j.nn.Devices;
import ghn4j.nn.Tensors;
import ghn4j.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing the initializers of the torchvision fixture models ({@code ../onnx/onnx/*.onnx}) by
 * state_dict name: ppuda's GHN-2 predictions for squeezenet1_1 (a net without BatchNorm) put into
 * its ONNX file give ppuda's logits in ONNX Runtime (the fixture tolerance, atol 1e-3 + rtol 1e-3,
 * and {@link OnnxWriterTest#ATOL} + {@link OnnxWriterTest#RTOL} × max |logit|, since these logits
 * are small); random tensors go into every fixture and come back exactly; tensors stored as {@code
 * float_data} or external data are handled; bad names and shapes are named in the error.
 */
class InitializersTest {

  @TempDir Path tmp;

  @Test
  void ppudaPredictionsInSqueezenetGivePpudaLogitsInOnnxRuntime() throws Exception {
    Path dir = Fixtures.onnxDir();
    OnnxMl.ModelProto model = OnnxFiles.read(dir.resolve("onnx/squeezenet1_1.onnx"));
    try (NDManager m = Devices.newManager()) {
      Map<String, NDArray> pred =
          SafeTensors.read(
              dir.resolve("predictions/ghn2-random/onnx-squeezenet1_1.safetensors"), m);
      Path out = tmp.resolve("squeezenet-predicted.onnx");
      OnnxFiles.write(Initializers.replace(model, pred, dir.resolve("onnx")), out);
      NDArray x = SafeTensors.read(dir.resolve("inputs.safetensors"), m).get("input");
      float[] expected =
          SafeTensors.read(dir.resolve("logits/ghn2-random/onnx-squeezenet1_1.safetensors"))
              .get("logits")
              .data();
      float[][] got;
      try (OrtRunner ort = OrtRunner.open(out)) {
        got = ort.run(x);
      }
      double worst = Double.NEGATIVE_INFINITY;
      double maxDiff = 0;
      double maxAbs = 0;
      for (int r = 0; r < got.length; r++) {
        for (int c = 0; c < got[r].length; c++) {
          double b = expected[r * got[r].length + c];
          worst = Math.max(worst, Math.abs(got[r][c] - b) - (1e-3 + 1e-3 * Math.abs(b)));
          maxDiff = Math.max(maxDiff, Math.abs(got[r][c] - b));
          maxAbs = Math.max(maxAbs, Math.abs(b));
        }
      }
      System.out.printf(
          "squeezenet1_1 with ppuda's predictions in ORT vs ppuda's logits: max |Δ| %.3g%n",
          maxDiff);
      assertEquals(16, got.length);
      assertTrue(worst <= 0, "logits differ from ppuda's beyond atol 1e-3 + rtol 1e-3 by " + worst);
      // the logits are small (ReLU before the pooling head, up to ~0.06): also hold them to our
      // export tolerance
      assertTrue(maxAbs > 0.01, "ppuda's logits are all near zero: " + maxAbs);
      assertTrue(
          maxDiff <= OnnxWriterTest.ATOL + OnnxWriterTest.RTOL * maxAbs, "max |Δ| " + maxDiff);
    }
  }

  @Test
  void randomTensorsReplaceEveryStateDictEntryOfEveryFixture() throws Exception {
    Path dir = Fixtures.onnxDir();
    for (String arch : new String[] {"squeezenet1_1", "resnet18", "mobilenet_v2"}) {
      OnnxMl.ModelProto model = OnnxFiles.read(dir.resolve("onnx/" + arch + ".onnx"));
      JsonNode sd =
          new ObjectMapper()
              .readTree(dir.resolve("nets/onnx-" + arch + ".json").toFile())
              .get("state_dict");
      try (NDManager m = Devices.newManager()) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(arch.hashCode());
        for (JsonNode e : sd) {
          long[] shape = new long[e.get(1).size()];
          long n = 1;
          for (int k = 0; k < shape.length; k++) {
            shape[k] = e.get(1).get(k).asLong();
            n *= shape[k];
          }
          params.put(
              e.get(0).asText(),
              Tensors.fromDoubles(
                  m, r.doubles(n, -0.1, 0.1).toArray(), new Shape(shape), DataType.FLOAT32));
        }
        Path out = tmp.resolve(arch + ".onnx");
        OnnxFiles.write(Initializers.replace(model, params, dir.resolve("onnx")), out);
        OnnxMl.ModelProto back = OnnxFiles.read(out);
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        back.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
          assertArrayEquals(
              e.getValue().toFloatArray(),
              OnnxTensors.floats(inits.get(e.getKey()), null),
              e.getKey());
        }
        // everything else (BatchNorm buffers, ops) is the input model's
        assertEquals(model.getGraph().getNodeList(), back.getGraph().getNodeList());
        assertEquals(model.getGraph().getInitializerCount(), back.getGraph().getInitializerCount());
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
          if (!params.containsKey(t.getName())) {
            assertEquals(t, inits.get(t.getName()), t.getName());
          }
        }
        try (OrtRunner ort = OrtRunner.open(out)) {
          float[][] y = ort.run(ExportNets.images(m, 2, 32, 1));
          assertEquals(2, y.length);
          assertEquals(10, y[0].length);
          for (float[] row : y) {
            for (float v : row) {
              assertTrue(Float.isFinite(v), arch + ": non-finite logit in ONNX Runtime");
            }
          }
        }
      }
    }
  }

  @Test
  void floatDataAndExternalDataAreReadAndReplaced() throws Exception {
    Path dir = Fixtures.onnxDir();
    OnnxMl.ModelProto model = OnnxFiles.read(dir.resolve("onnx/squeezenet1_1.onnx"));
    // the same model with its first initializer as float_data and the rest in an external file
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    OnnxMl.TensorProto first = g.getInitializer(0);
    float[] firstValues = OnnxTensors.floats(first, null);
    OnnxMl.TensorProto.Builder fd = first.toBuilder().clearRawData();
    for (float v : firstValues) {
      fd.addFloatData(v);
    }
    g.setInitializer(0, fd.build());
    Path external = tmp.resolve("ext/squeezenet-external.onnx");
    Files.createDirectories(external.getParent());
    OnnxFiles.write(model.toBuilder().setGraph(g).build(), external, 0);
    assertTrue(Files.exists(external.resolveSibling("squeezenet-external.onnx.data")));
    OnnxMl.ModelProto ext = OnnxFiles.read(external);
    int big = 1;
    while (numel(ext.getGraph().getInitializer(big)) < 256) {
      big++;
    }
    int kept = big + 1;
    while (numel(ext.getGraph().getInitializer(kept)) < 256) {
      kept++;
    }
    assertTrue(OnnxTensors.isExternal(ext.getGraph().getInitializer(big)));
    assertTrue(OnnxTensors.isExternal(ext.getGraph().getInitializer(kept)));
    assertArrayEquals(
        firstValues, OnnxTensors.floats(ext.getGraph().getInitializer(0), external.getParent()));
    // ONNX Runtime reads the external file too, and gives the logits of the original
    float[][] original;
    float[][] viaExternal;
    try (NDManager m = Devices.newManager()) {
      NDArray x = ExportNets.images(m, 2, 32, 3);
      try (OrtRunner a = OrtRunner.open(model);
          OrtRunner b = OrtRunner.open(external)) {
        original = a.run(x);
        viaExternal = b.run(x);
      }
      assertArrayEquals(original[0], viaExternal[0]);
      // replace the float_data tensor and one external tensor; the others are carried over into the
      // new file
      OnnxMl.TensorProto second = ext.getGraph().getInitializer(big);
      String n0 = first.getName();
      String n1 = second.getName();
      Map<String, NDArray> repl =
          Map.of(
              n0,
                  Tensors.fromDoubles(
                      m,
                      new double[firstValues.length],
                      new Shape(OnnxTensors.dims(first)),
                      DataType.FLOAT32),
              n1,
                  Tensors.fromDoubles(
                      m,
                      new double[(int) numel(second)],
                      new Shape(OnnxTensors.dims(second)),
                      DataType.FLOAT32));
      Path out = tmp.resolve("other/replaced.onnx");
      OnnxFiles.write(Initializers.replace(ext, repl, external.getParent()), out);
      OnnxMl.ModelProto back = OnnxFiles.read(out);
      for (OnnxMl.TensorProto t : back.getGraph().getInitializerList()) {
        assertTrue(!OnnxTensors.isExternal(t), t.getName() + " still external");
      }
      assertArrayEquals(
          new float[firstValues.length],
          OnnxTensors.floats(back.getGraph().getInitializer(0), null));
      OnnxMl.TensorProto third = model.getGraph().getInitializer(kept);
      assertArrayEquals(
          OnnxTensors.floats(third, null),
          OnnxTensors.floats(back.getGraph().getInitializer(kept), null));
      assertArrayEquals(
          new float[(int) numel(second)],
          OnnxTensors.floats(back.getGraph().getInitializer(big), null));
      try (OrtRunner c = OrtRunner.open(out)) {
        assertNotEquals(original[0][0], c.run(x)[0][0]);
      }
    }
  }

  /**
   * PyTorch's exporter writes equal tensors once and the others as Identity nodes named by their
   * state_dict name: Y = (X + a) * b with b = Identity(a). Replacing a and b gives b an initializer
   * of its own and drops the Identity.
   */
  @Test
  void deduplicatedTensorsGetInitializersOfTheirOwn() throws Exception {
    try (NDManager m = Devices.newManager()) {
      OnnxMl.TypeProto type =
          OnnxMl.TypeProto.newBuilder()
              .setTensorType(
                  OnnxMl.TypeProto.Tensor.newBuilder()
                      .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                      .setShape(
                          OnnxMl.TensorShapeProto.newBuilder()
                              .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                              .addDim(
                                  OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(2))))
              .build();
      OnnxMl.GraphProto g =
          OnnxMl.GraphProto.newBuilder()
              .setName("dedup")
              .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("X").setType(type))
              .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("Y").setType(type))
              .addInitializer(
                  OnnxTensors.of(
                      "a",
                      Tensors.fromDoubles(m, new double[] {1, 1}, new Shape(2), DataType.FLOAT32)))
              .addNode(
                  OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("a").addOutput("b"))
              .addNode(
                  OnnxMl.NodeProto.newBuilder()
                      .setOpType("Add")
                      .addInput("X")
                      .addInput("a")
                      .addOutput("t"))
              .addNode(
                  OnnxMl.NodeProto.newBuilder()
                      .setOpType("Mul")
                      .addInput("t")
                      .addInput("b")
                      .addOutput("Y"))
              .build();
      OnnxMl.ModelProto model =
          OnnxMl.ModelProto.newBuilder()
              .setIrVersion(7)
              .setGraph(g)
              .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
              .build();
      assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(Initializers.names(model)));
      Map<String, NDArray> repl = new LinkedHashMap<>();
      repl.put("a", Tensors.fromDoubles(m, new double[] {2, 3}, new Shape(2), DataType.FLOAT32));
      repl.put("b", Tensors.fromDoubles(m, new double[] {5, 7}, new Shape(2), DataType.FLOAT32));
      OnnxMl.ModelProto out = Initializers.replace(model, repl, null);
      assertEquals(2, out.getGraph().getNodeCount());
      assertTrue(
          out.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Identity")));
      float[][] y;
      try (OrtRunner ort = OrtRunner.open(out)) {
        y = ort.run(new float[] {10, 20}, new long[] {1, 2});
      }
      assertArrayEquals(new float[] {(10 + 2) * 5, (20 + 3) * 7}, y[0]);
      // replacing only a leaves b the alias of the new a
      try (OrtRunner ort =
          OrtRunner.open(Initializers.replace(model, Map.of("a", repl.get("a")), null))) {
        y = ort.run(new float[] {10, 20}, new long[] {1, 2});
      }
      assertArrayEquals(new float[] {(10 + 2) * 2, (20 + 3) * 3}, y[0]);
      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class,
              () -> Initializers.replace(model, Map.of("b", m.zeros(new Shape(3))), null));
      assertTrue(
          shape.getMessage().contains("b (an Identity of a)") && shape.getMessage().contains("[2]"),
          shape.getMessage());
    }
  }

  @Test
  void unknownNamesAndWrongShapesAreNamed() throws Exception {
    Path dir = Fixtures.onnxDir();
    OnnxMl.ModelProto model = OnnxFiles.read(dir.resolve("onnx/squeezenet1_1.onnx"));
    try (NDManager m = Devices.newManager()) {
      NDArray a = m.zeros(new Shape(3));
      IllegalArgumentException unknown =
          assertThrows(
              IllegalArgumentException.class,
              () -> Initializers.replace(model, Map.of("no.such.weight", a), null));
      assertTrue(unknown.getMessage().contains("no.such.weight"), unknown.getMessage());
      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class,
              () -> Initializers.replace(model, Map.of("features.0.weight", a), null));
      assertTrue(
          shape.getMessage().contains("features.0.weight")
              && shape.getMessage().contains("[64, 3, 3, 3]"),
          shape.getMessage());
    }
  }

  private static long numel(OnnxMl.TensorProto t) {
    long n = 1;
    for (long d : OnnxTensors.dims(t)) {
      n *= d;
    }
    return n;
  }
}
