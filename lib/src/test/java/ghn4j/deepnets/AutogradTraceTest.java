package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Primitive;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AutogradTrace} against PyTorch 1.13's own trace. The resources {@code
 * ppuda-trace-bnfree-NNN.txt} hold the node list ppuda's {@code Graph} sorts and then filters for
 * two nets of the reference generator's bnfree meta file, dumped by {@code ppuda_trace.py} (beside
 * them) with Debian's PyTorch 1.13.1 and networkx 2.8.8. The node counts of all meta nets are
 * checked by {@link MetaNetsTest}.
 */
class AutogradTraceTest {

  private static List<NetArgs> bnfree() throws IOException {
    return NetSpecs.readMeta(Fixtures.dir().resolve("deepnets/bnfree_meta.json"), 32, 10, false);
  }

  private static List<String> pytorchTrace(int index) throws IOException {
    String file = String.format("ppuda-trace-bnfree-%03d.txt", index);
    try (InputStream in = AutogradTraceTest.class.getResourceAsStream(file)) {
      assertTrue(in != null, "missing resource " + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.startsWith("#"))
          .toList();
    }
  }

  private static long count(Graph g, Primitive p) {
    return g.primitiveView().nodes().stream().map(Node::primitive).filter(q -> q == p).count();
  }

  @Test
  void sortedTraceEqualsPyTorchs() throws IOException {
    List<NetArgs> nets = bnfree();
    for (int index : new int[] {0, 26}) {
      List<String> expected = pytorchTrace(index);
      List<String> ours = AutogradTrace.sortedNames(nets.get(index));
      int k = 0;
      while (k < Math.min(expected.size(), ours.size()) && expected.get(k).equals(ours.get(k))) {
        k++;
      }
      assertEquals(
          expected.size(),
          ours.size(),
          "bnfree " + index + ": trace length (first difference at " + k + ")");
      assertEquals(expected, ours, "bnfree " + index + ": first difference at " + k);
    }
  }

  /** Where ppuda keeps some and drops other gates/cores of the same net, so must we. */
  @Test
  void showsOnlyTheNodesPpudasFilterKeeps() throws IOException {
    List<NetArgs> nets = bnfree();
    List<String> trace0 = pytorchTrace(0);
    List<String> trace26 = pytorchTrace(26);
    // bnfree 0: 7 attention cores, ppuda's graph shows 2 (meta num_nodes 126); bnfree 26: 2 gates,
    // 1 shown (74)
    assertEquals(7, trace0.stream().filter(n -> n.startsWith("Clone")).count());
    assertEquals(2, trace26.stream().filter(n -> n.startsWith("Hardswish")).count());
    Graph g0 = NetworkBuilder.graph(nets.get(0));
    Graph g26 = NetworkBuilder.graph(nets.get(26));
    assertEquals(2, count(g0, Primitive.MSA));
    assertEquals(0, count(g0, Primitive.CSE));
    assertEquals(1, count(g26, Primitive.CSE));
    assertEquals(126, g0.primitiveView().size());
    assertEquals(74, g26.primitiveView().size());
  }
}
