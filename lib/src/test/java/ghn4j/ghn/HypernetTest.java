package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.graph.Graph;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.nn.Devices;
import ghn4j.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@link Hypernet} extension point: what a GNN receives, and that a plugged-in one replaces the
 * built-in one.
 */
class HypernetTest {

  @Test
  void builtInsSitBehindTheInterface() {
    try (NDManager m = Devices.newManager()) {
      assertInstanceOf(GatedGnn.class, Ghn.create(GhnConfig.ghn2(), m, 1).hypernet());
      assertInstanceOf(NodeMlp.class, Ghn.create(GhnConfig.mlp(), m, 1).hypernet());
    }
  }

  @Test
  void aPluggedInHypernetReceivesTheBatchAndReplacesTheGatedGnn() {
    Path2 f = new Path2();
    try (NDManager m = Devices.newManager();
        Ghn ghn = Ghn.load(f.ghn())) {
      List<Graph> graphs = List.of(f.graph(0), f.graph(1));
      List<GnnInput> seen = new ArrayList<>();
      Hypernet builtIn = ghn.hypernet();
      Hypernet recording =
          (in, mm) -> {
            seen.add(in);
            return builtIn.propagate(in, mm);
          };
      Predictions reference = ghn.predict(graphs, m);
      Predictions plugged = ghn.withHypernet(recording).predict(graphs, m);
      assertEquals(1, seen.size());
      GnnInput in = seen.get(0);
      assertEquals(2, in.graphCount());
      assertEquals(graphs.get(0).primitiveView().size(), in.graphSize(0));
      assertEquals(in.size(), in.features().getShape().get(0));
      for (int k = 0; k < in.edges().size(); k++) {
        int g = in.edges().src()[k] < in.offset(1) ? 0 : 1;
        int dst = in.edges().dst()[k];
        assertTrue(
            dst >= in.offset(g) && dst < in.offset(g) + in.graphSize(g),
            "edges stay within a graph");
      }
      for (int g = 0; g < 2; g++) {
        for (Map.Entry<String, NDArray> e : reference.params(g).entrySet()) {
          assertArrayEquals(
              e.getValue().toFloatArray(), plugged.param(g, e.getKey()).toFloatArray(), 0f);
        }
      }
      // identity message passing: a different GNN gives different embeddings
      Predictions none = ghn.withHypernet((x, mm) -> x.features()).predict(graphs, m);
      float[] a = reference.embeddings(0).toFloatArray();
      float[] b = none.embeddings(0).toFloatArray();
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
      }
      assertTrue(diff > 1e-3, "the plugged-in GNN was used: " + diff);
    }
  }

  /** The first two reference fixture graphs and the random GHN-2. */
  private static final class Path2 {
    private final java.nio.file.Path dir = Fixtures.dir();

    java.nio.file.Path ghn() {
      return dir.resolve("ghn").resolve("ghn2-random.safetensors");
    }

    Graph graph(int i) {
      try (var s = java.nio.file.Files.list(dir.resolve("graphs"))) {
        return ReferenceGraphJson.read(s.sorted().toList().get(i));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
