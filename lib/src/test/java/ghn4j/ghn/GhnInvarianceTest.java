package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Predictions must not depend on the topological order of the nodes nor on which graphs share a
 * meta-batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GhnInvarianceTest {

  private Ghn ghn;

  @BeforeAll
  void load() {
    ghn = Ghn.load(Fixtures.dir().resolve("ghn/ghn2-random.safetensors"));
  }

  @AfterAll
  void close() {
    ghn.close();
  }

  private static Graph graph(String net) {
    return ReferenceGraphJson.read(Fixtures.dir().resolve("graphs").resolve(net + ".json"));
  }

  @Test
  void anotherTopologicalOrderGivesTheSamePredictions() {
    Graph g = graph("darts-c16-8cells");
    int n = g.size();
    // shuffle node indices (input stays first), let Graph.fromEdges sort them topologically again
    List<Integer> perm = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      perm.add(i);
    }
    java.util.Collections.shuffle(perm, new Random(7));
    perm.add(0, 0);
    int[] pos = new int[n]; // original index -> shuffled index
    for (int k = 0; k < n; k++) {
      pos[perm.get(k)] = k;
    }
    Node[] shuffled = new Node[n];
    List<int[]> edges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shuffled[pos[i]] = g.node(i).withInputs(new int[0]);
      for (int src : g.node(i).inputs()) {
        edges.add(new int[] {pos[src], pos[i]});
      }
    }
    Graph h = Graph.fromEdges(Arrays.asList(shuffled), edges, g.nCells());
    int[] origOf = kahnOrder(shuffled.length, edges); // new index -> shuffled index
    int[] inv = new int[n];
    for (int i = 0; i < n; i++) {
      inv[pos[i]] = i;
    }
    boolean differs = false;
    for (int j = 0; j < n; j++) {
      int orig = inv[origOf[j]];
      assertEquals(g.node(orig).name(), h.node(j).name(), "mapping of node " + j);
      differs |= orig != j;
    }
    assertTrue(differs, "the shuffled graph must have another node order");
    try (NDManager m = NDManager.newBaseManager()) {
      Predictions a = ghn.predict(List.of(g), m);
      Predictions b = ghn.predict(List.of(h), m);
      assertEquals(a.params(0).keySet(), b.params(0).keySet());
      double worst = 0;
      for (Map.Entry<String, NDArray> e : a.params(0).entrySet()) {
        worst = Math.max(worst, maxDiff(e.getValue(), b.param(0, e.getKey()), e.getKey()));
      }
      float[] ea = a.embeddings(0).toFloatArray();
      float[] eb = b.embeddings(0).toFloatArray();
      int hid = ghn.config().hid();
      for (int j = 0; j < n; j++) {
        int orig = inv[origOf[j]];
        for (int c = 0; c < hid; c++) {
          worst =
              Math.max(
                  worst, close(ea[orig * hid + c], eb[j * hid + c], "embedding of node " + orig));
        }
      }
      System.out.println("[invariance] topological order: max |Δ| " + worst);
    }
  }

  @Test
  void metaBatchGivesTheSamePredictionsAsSingleGraphs() {
    List<Graph> graphs = List.of(graph("resnet18"), graph("train-001"), graph("bnfree-001"));
    try (NDManager m = NDManager.newBaseManager()) {
      Predictions batch = ghn.predict(graphs, m);
      assertEquals(3, batch.graphCount());
      double worst = 0;
      for (int g = 0; g < graphs.size(); g++) {
        Predictions single = ghn.predict(List.of(graphs.get(g)), m);
        assertEquals(single.params(0).keySet(), batch.params(g).keySet());
        for (Map.Entry<String, NDArray> e : single.params(0).entrySet()) {
          worst = Math.max(worst, maxDiff(e.getValue(), batch.param(g, e.getKey()), e.getKey()));
        }
        worst =
            Math.max(worst, maxDiff(single.embeddings(0), batch.embeddings(g), "embeddings " + g));
      }
      System.out.println("[invariance] meta-batch: max |Δ| " + worst);
    }
  }

  @Test
  void fineTuningLeavesTheClassifierOut() {
    Graph g = graph("resnet18");
    try (NDManager m = NDManager.newBaseManager()) {
      Predictions all = ghn.predict(List.of(g), m, true);
      Predictions body = ghn.predict(List.of(g), m, false);
      assertTrue(all.params(0).containsKey("fc.weight"));
      assertFalse(body.params(0).containsKey("fc.weight"));
      assertFalse(body.params(0).containsKey("fc.bias"));
      assertEquals(all.params(0).size() - 2, body.params(0).size());
      assertEquals(
          0, maxDiff(all.param(0, "conv1.weight"), body.param(0, "conv1.weight"), "conv1"), 1e-7);
    }
  }

  /** The order Graph.fromEdges produces: Kahn's algorithm taking the lowest ready index first. */
  private static int[] kahnOrder(int n, List<int[]> edges) {
    List<List<Integer>> out = new ArrayList<>();
    int[] indeg = new int[n];
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (int[] e : edges) {
      out.get(e[0]).add(e[1]);
      indeg[e[1]]++;
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (indeg[i] == 0) {
        ready.add(i);
      }
    }
    int[] order = new int[n];
    int k = 0;
    while (!ready.isEmpty()) {
      int v = ready.poll();
      order[k++] = v;
      for (int w : out.get(v)) {
        if (--indeg[w] == 0) {
          ready.add(w);
        }
      }
    }
    return order;
  }

  private static double maxDiff(NDArray a, NDArray b, String what) {
    assertEquals(a.getShape(), b.getShape(), what);
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      worst = Math.max(worst, close(x[i], y[i], what + "[" + i + "]"));
    }
    return worst;
  }

  /** Equal up to float32 summation order (1e-6 absolute, 1e-5 relative). */
  private static double close(float a, float b, String what) {
    double d = Math.abs(a - b);
    assertTrue(d <= 1e-6 + 1e-5 * Math.abs(b), what + ": " + a + " vs " + b);
    return d;
  }
}
