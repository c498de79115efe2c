package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code nets/*.json} fixture of kind deepnets1m (discovered, never listed): parameter
 * counts, the live state dict, and the primitive view against ppuda's graph.
 */
class NetworkBuilderFixtureTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Path> deepnetsFixtures() throws IOException {
    Path dir = Fixtures.dir().resolve("nets");
    List<Path> nets = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        if (JSON.readTree(f.toFile()).path("kind").asText().equals("deepnets1m")) {
          nets.add(f);
        }
      }
    }
    assertFalse(nets.isEmpty(), "no deepnets1m fixtures in " + dir);
    return nets;
  }

  private static String netName(Path f) {
    String s = f.getFileName().toString();
    return s.substring(0, s.length() - ".json".length());
  }

  private static List<String> specs(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : list) {
      int[] shape = new int[e.get(1).size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.get(1).get(i).asInt();
      }
      out.add(e.get(0).asText() + Arrays.toString(shape));
    }
    return out;
  }

  private static List<String> specs(List<ParamSpec> params) {
    return params.stream().map(p -> p.name() + Arrays.toString(p.shape())).toList();
  }

  @TestFactory
  Stream<DynamicTest> parameterCountsAndStateDicts() throws IOException {
    return deepnetsFixtures().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    netName(f),
                    () -> {
                      JsonNode root = JSON.readTree(f.toFile());
                      NetArgs args = NetSpecs.readNet(f);
                      assertEquals(
                          root.get("num_params").asLong(),
                          NetworkBuilder.countParams(args),
                          "countParams");
                      BuiltNetwork net = NetworkBuilder.build(args);
                      assertEquals(
                          specs(root.get("state_dict")),
                          specs(net.stateDict()),
                          "state_dict as built");
                      assertEquals(
                          specs(root.get("live_state_dict")),
                          specs(net.liveStateDict()),
                          "live_state_dict");
                      assertEquals(
                          root.get("live_params").asLong(),
                          net.graph().numParams(),
                          "graph parameters");
                      // The graph holds the same parameters in node (forward) order.
                      assertEquals(
                          new HashSet<>(specs(net.liveStateDict())),
                          new HashSet<>(specs(net.graph().params())));
                    }));
  }

  /** Strict isomorphism with ppuda's graph, msa and cse nodes included (see AutogradTrace). */
  @TestFactory
  Stream<DynamicTest> primitiveViewMatchesReferenceGraph() throws IOException {
    return deepnetsFixtures().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    netName(f),
                    () -> {
                      Path refFile =
                          f.getParent().resolveSibling("graphs").resolve(f.getFileName());
                      Graph ref = ReferenceGraphJson.read(refFile);
                      Graph ours = NetworkBuilder.graph(NetSpecs.readNet(f)).primitiveView();
                      assertEquals(ref.nCells(), ours.nCells(), "n_cells");
                      assertEquals(
                          ref.node(ref.size() - 1).name(),
                          ours.node(ours.size() - 1).name(),
                          "last node");
                      assertEquals(
                          ref.node(ref.size() - 2).name(),
                          ours.node(ours.size() - 2).name(),
                          "second-last node");
                      GraphIsomorphism.Result strict = GraphIsomorphism.compare(ours, ref);
                      assertTrue(strict.isomorphic(), strict.message());
                    }));
  }
}
