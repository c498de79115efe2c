package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test tooling: copies an ONNX model with every float initializer of more than 64 values replaced
 * by an external-data reference to a file that is not shipped, so that a model's structure (names,
 * shapes, nodes) can live in the test resources at a few kB. The importer reads only names and
 * shapes of parameters, so such a file imports as the original does. Usage: {@code StripWeights
 * in.onnx out.onnx}.
 */
final class StripWeights {

  private StripWeights() {}

  public static void main(String[] args) throws IOException {
    OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(Path.of(args[0])));
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      OnnxMl.TensorProto t = g.getInitializer(i);
      if (t.getDataType() == 1 && OnnxTensors.numel(t) > 64) {
        g.setInitializer(
            i,
            t.toBuilder()
                .clearRawData()
                .clearFloatData()
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(
                    OnnxMl.StringStringEntryProto.newBuilder()
                        .setKey("location")
                        .setValue("weights-not-shipped.bin"))
                .addExternalData(
                    OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                .addExternalData(
                    OnnxMl.StringStringEntryProto.newBuilder()
                        .setKey("length")
                        .setValue(Long.toString(OnnxTensors.numel(t) * 4))));
      }
    }
    Files.write(Path.of(args[1]), m.toBuilder().setGraph(g).build().toByteArray());
  }
}
