package ghn4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.zoo.MobileNetV2;
import ghn4j.zoo.ResNet;
import ghn4j.zoo.Vgg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphJsonDotTest {

  @Test
  void resnet18RoundTrips(@TempDir Path dir) throws IOException {
    Graph g = ResNet.resnet18(10);
    Path file = dir.resolve("resnet18.json");
    GraphJson.write(g, file);
    Graph back = GraphJson.read(file);
    assertEquals(g.nodes(), back.nodes());
    assertEquals(g.nCells(), back.nCells());
  }

  @Test
  void everyZooOpRoundTrips() {
    for (Graph g : new Graph[] {Vgg.vgg11Bn(10), MobileNetV2.mobilenetV2(10)}) {
      assertEquals(g.nodes(), GraphJson.fromJson(GraphJson.toJson(g)).nodes());
    }
  }

  @Test
  void errorsNameTheOpKindAndTheField() {
    String json = GraphJson.toJson(ResNet.resnet18(10));
    IllegalArgumentException kind =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GraphJson.fromJson(json.replaceFirst("\"kind\" : \"sum\"", "\"kind\" : \"warp\"")));
    assertTrue(kind.getMessage().contains("unknown op kind 'warp'"), kind.getMessage());
    assertTrue(kind.getMessage().contains("node "), kind.getMessage());
    IllegalArgumentException field =
        assertThrows(
            IllegalArgumentException.class,
            () -> GraphJson.fromJson(json.replaceFirst("\"groups\" : 1", "\"groupz\" : 1")));
    assertTrue(field.getMessage().contains("missing field 'groups'"), field.getMessage());
    assertTrue(field.getMessage().contains("conv1.weight"), field.getMessage());
  }

  @Test
  void dotHasOneBoxPerNodeAndColoursByPrimitive(@TempDir Path dir) throws IOException {
    Graph view = ResNet.resnet18(10).primitiveView();
    Path file = dir.resolve("r18.dot");
    GraphDot.write(view, file);
    String dot = Files.readString(file);
    assertTrue(dot.startsWith("digraph"));
    assertEquals(view.size(), dot.split("shape=box").length - 1);
    assertEquals(view.edges().size(), dot.split(" -> ").length - 1);
    assertTrue(dot.contains("fc.weight\\nconv [10, 512]"), dot);
    assertTrue(dot.contains(GraphDot.colour(Primitive.BN)));
    String full = GraphDot.toDot(ResNet.resnet18(10));
    assertTrue(full.contains("label=\"relu\""));
  }
}
