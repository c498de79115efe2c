package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.io.SafeTensors;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ppuda's classifier with {@code fc_layers > 1} is {@code Linear, ReLU, Dropout(0.5), Linear}, and
 * its nets drop in {@code train()} — meta-training and SGD. The built network must carry that
 * dropout as a node (without primitive: ppuda's graph has none), so that a mode with dropout on
 * drops there; before this test the node was missing and "classifier dropout on" was a no-op for
 * DeepNets nets.
 */
class ClassifierDropoutTest {

  private static Graph build(String net) {
    return NetworkBuilder.build(NetSpecs.readNet(Fixtures.dir().resolve("nets/" + net + ".json")))
        .graph();
  }

  private static List<Node> dropouts(Graph g) {
    return g.nodes().stream().filter(n -> n.op() instanceof Ops.Dropout).toList();
  }

  @Test
  void oneDropoutBetweenTwoClassifierLayersNoneForOne() {
    Graph two = build("bnfree-000"); // fc_layers 2
    List<Node> d = dropouts(two);
    assertEquals(1, d.size(), "dropout nodes of a 2-layer classifier");
    assertEquals("classifier.2", d.get(0).name());
    assertNull(d.get(0).primitive(), "ppuda's graph has no dropout node");
    assertEquals(0.5, ((Ops.Dropout) d.get(0).op()).p());
    int at = two.nodes().indexOf(d.get(0));
    assertEquals("relu", two.node(at - 1).name(), "dropout follows the classifier's ReLU");
    assertTrue(two.node(at + 1).name().startsWith("classifier.3"), two.node(at + 1).name());
    assertEquals(0, dropouts(build("bnfree-001")).size(), "fc_layers 1: no dropout"); // fc_layers 1
  }

  @Test
  void dropsWhenTheModeSaysSoAndOnlyThen() {
    Path fx = Fixtures.dir();
    String net = "dense-000"; // fc_layers 2
    Graph g = build(net);
    GraphExecutor ex = new GraphExecutor(g);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = SafeTensors.read(fx.resolve("inputs.safetensors"), m).get("input");
      Map<String, NDArray> params =
          SafeTensors.read(fx.resolve("predictions/ghn2-random/" + net + ".safetensors"), m);
      float[] off = ex.forward(x, params, Mode.batchStats()).toFloatArray();
      float[] on1 =
          ex.forward(x, params, Mode.batchStats().withDropout(true).withDropoutSeed(7))
              .toFloatArray();
      float[] on1Again =
          ex.forward(x, params, Mode.batchStats().withDropout(true).withDropoutSeed(7))
              .toFloatArray();
      float[] on2 =
          ex.forward(x, params, Mode.batchStats().withDropout(true).withDropoutSeed(8))
              .toFloatArray();
      assertFalse(java.util.Arrays.equals(off, on1), "dropout on changed nothing");
      assertArrayEquals(on1, on1Again, "same seed, same masks");
      assertFalse(java.util.Arrays.equals(on1, on2), "another seed, same masks");
    }
  }
}
