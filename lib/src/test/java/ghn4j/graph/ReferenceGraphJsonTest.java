package ghn4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReferenceGraphJsonTest {

  static Stream<Path> graphFiles() throws IOException {
    return Files.list(Fixtures.dir().resolve("graphs"))
        .filter(p -> p.toString().endsWith(".json"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("graphFiles")
  void virtualEdgesEqualTheReference(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Graph g = ReferenceGraphJson.read(file);
    assertEquals(root.get("nodes").size(), g.size());
    for (int i = 0; i < g.size(); i++) {
      assertEquals(
          root.get("nodes").get(i).get("name").asText(), g.node(i).name(), "node order kept");
    }
    Set<String> expected = new HashSet<>();
    for (JsonNode e : root.get("edges")) {
      expected.add(e.get(0).asInt() + ">" + e.get(1).asInt() + ":" + e.get(2).asInt());
    }
    EdgeList edges = VirtualEdges.compute(g, root.get("ve_cutoff").asInt());
    Set<String> actual = new HashSet<>();
    for (int k = 0; k < edges.size(); k++) {
      actual.add(edges.src()[k] + ">" + edges.dst()[k] + ":" + edges.dist()[k]);
    }
    assertEquals(expected.size(), edges.size());
    assertEquals(expected, actual);
  }

  @Test
  void cycleIsNamed() {
    Node in = new Node("input", Primitive.INPUT, null, null, 0, List.of(), new int[0]);
    Node a = new Node("a", Primitive.SUM, null, null, 0, List.of(), new int[0]);
    Node b = new Node("b", Primitive.SUM, null, null, 0, List.of(), new int[0]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Graph.fromEdges(
                    List.of(in, a, b),
                    List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {2, 1}),
                    1));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
  }

  @Test
  void unknownPrimitiveIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Primitive.of("conv9"));
    assertTrue(e.getMessage().contains("conv9"));
  }

  @Test
  void nodeNotReachingOutputIsNamed() {
    Node in = new Node("input", Primitive.INPUT, null, null, 0, List.of(), new int[0]);
    Node dead = new Node("dead", Primitive.SUM, null, null, 0, List.of(), new int[] {0});
    Node out = new Node("out", Primitive.GLOB_AVG, null, null, 0, List.of(), new int[] {0});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Graph.of(List.of(in, dead, out), 1));
    assertTrue(e.getMessage().contains("dead"), e.getMessage());
  }
}
