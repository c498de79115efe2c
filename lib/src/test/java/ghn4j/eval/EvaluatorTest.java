package ghn4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ghn4j.data.ImageSet;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.nn.ParamInit;
import ghn4j.testing.TinyData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  @Test
  void accuracyCountsArgMaxOverAllImagesIncludingTheLastPartialBatch() {
    ImageSet images = TinyData.images(10, 8, 1);
    Graph g = TinyData.darts(8, 1);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g, 3, m, DataType.FLOAT32);
      double acc = Evaluator.accuracy(g, params, images, 4);
      // brute force: the same net on the whole set at once gives the same count only per batch
      // (batch stats), so
      // check range and that it is a multiple of 10 %
      assertTrue(acc >= 0 && acc <= 100);
      assertEquals(0, Math.round(acc * 10) % 100, "10 images -> multiples of 10 %: " + acc);
      assertEquals(acc, Evaluator.accuracy(g, params, images, 4), 0.0, "deterministic");
    }
  }

  @Test
  void countCorrectComparesArgMaxWithLabels() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits =
          m.create(new float[] {0, 1, 2, 5, 0, 0, 0, 0, 9}, new ai.djl.ndarray.types.Shape(3, 3));
      assertEquals(2, Evaluator.countCorrect(logits, new long[] {2, 0, 1}));
    }
  }

  @Test
  void predictAndEvaluateAndSummaryAsPpuda() {
    ImageSet images = TinyData.images(8, 8, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 1);
      List<NamedGraph> nets =
          List.of(
              new NamedGraph("a", TinyData.darts(8, 1)),
              new NamedGraph("b", TinyData.darts(12, 2)));
      List<Evaluator.NetResult> rows = Evaluator.evaluate(ghn, "tiny", nets, images, 4, null);
      assertEquals(2, rows.size());
      assertEquals(nets.get(1).numParams(), rows.get(1).params());
      assertTrue(rows.get(0).predictSeconds() > 0);
      // population std / sqrt(n): accuracies 10 and 30 -> mean 20, std 10, se 10/sqrt(2)
      Evaluator.Summary s =
          Evaluator.summarize(
              "x",
              List.of(
                  new Evaluator.NetResult("x", "a", 1, 1, 10, 0, 0),
                  new Evaluator.NetResult("x", "b", 1, 1, 30, 0, 0)));
      assertEquals(20, s.mean(), 1e-12);
      assertEquals(10 / Math.sqrt(2), s.stdErr(), 1e-12);
    }
  }

  /**
   * Nets evaluated on worker threads give the sequential rows (timings aside), handed over in net
   * order.
   */
  @Test
  void workersGiveTheSequentialRowsInOrder() {
    ImageSet images = TinyData.images(40, 8, 3);
    List<NamedGraph> nets = new java.util.ArrayList<>();
    List<ghn4j.graph.Graph> graphs = TinyData.metaBatch(6);
    for (int i = 0; i < graphs.size(); i++) {
      nets.add(new NamedGraph("n" + i, graphs.get(i)));
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 4);
      List<Evaluator.NetResult> seq = Evaluator.evaluate(ghn, "tiny", nets, images, 16, null);
      List<String> order = new java.util.ArrayList<>();
      List<Evaluator.NetResult> par =
          Evaluator.evaluate(
              ghn,
              "tiny",
              nets,
              images,
              16,
              ghn4j.data.Normalization.cifar10(),
              3,
              1,
              r -> order.add(r.net()));
      assertEquals(List.of("n0", "n1", "n2", "n3", "n4", "n5"), order);
      assertEquals(seq.size(), par.size());
      for (int i = 0; i < seq.size(); i++) {
        Evaluator.NetResult a = seq.get(i);
        Evaluator.NetResult b = par.get(i);
        assertEquals(
            new Evaluator.NetResult(a.split(), a.net(), a.params(), a.nodes(), a.accuracy(), 0, 0),
            new Evaluator.NetResult(b.split(), b.net(), b.params(), b.nodes(), b.accuracy(), 0, 0),
            "net " + i);
      }
      assertTrue(
          seq.stream().mapToDouble(Evaluator.NetResult::accuracy).distinct().count() > 1,
          "the nets differ in accuracy (else the comparison would be weak): " + seq);
    }
  }
}
