package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ghn4j parity --fixtures <ghn3 root>}: exits 0 when every row passes and 1 when one does
 * not (a copy of the ResNet-18 case without its ONNX file, with one digest sample changed, with the
 * embeddings removed).
 */
class Ghn3ParityCommandTest {

  @TempDir Path tmp;

  @Test
  void exitsZeroOnlyWhenEveryRowPasses() throws IOException {
    Path src = Fixtures.ghn3Dir();
    Path dst = tmp.resolve("ghn3");
    for (String f :
        List.of(
            "cases.json",
            "ghn/ghn3-random.json",
            "ghn/ghn3-random.safetensors",
            "ghn/ghn3-random.zlib.joblib",
            "nets/resnet18.json",
            "graphs/resnet18.json",
            "onnx/resnet18.onnx.gz",
            "predictions/ghn3-random/resnet18.digest.json",
            "predictions/ghn3-random/resnet18.not-predicted.json",
            "embeddings/ghn3-random/resnet18.safetensors")) {
      Files.createDirectories(dst.resolve(f).getParent());
      Files.copy(src.resolve(f), dst.resolve(f));
    }
    assertEquals(0, run("parity", "--fixtures", dst.toString()));

    Path onnx = dst.resolve("onnx/resnet18.onnx.gz");
    Path aside = tmp.resolve("resnet18.onnx.gz");
    Files.move(onnx, aside);
    assertEquals(
        1,
        run("parity", "--fixtures", dst.toString()),
        "a net whose ONNX graph cannot be built fails");
    Files.move(aside, onnx);

    Path digest = dst.resolve("predictions/ghn3-random/resnet18.digest.json");
    ObjectMapper json = new ObjectMapper();
    ObjectNode d = (ObjectNode) json.readTree(digest.toFile());
    ArrayNode samples = (ArrayNode) d.get("layer1.0.conv1.weight").get("samples");
    samples.set(3, samples.get(3).asDouble() + 1e-3);
    json.writeValue(digest.toFile(), d);
    assertEquals(1, run("parity", "--fixtures", dst.toString()), "a changed digest sample fails");

    Files.delete(dst.resolve("embeddings/ghn3-random/resnet18.safetensors"));
    assertEquals(1, run("parity", "--fixtures", dst.toString()), "a missing embedding file fails");
  }

  private static int run(String... args) {
    return Main.run(args, new PrintWriter(new StringWriter(), true));
  }
}
