package ghn4j.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ghn4j.deepnets.NetSpecs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.graph.Graph;
import ghn4j.io.SafeTensors;
import ghn4j.nn.BnState;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference logits of a tracked-BN net (DARTS, with ppuda's own predicted tensors, so only
 * BatchNorm's statistics are in question): they are reproduced with the statistics ppuda's graph
 * trace left in the net ({@link TrackedBnStats}), and not with PyTorch's initial buffers (mean 0,
 * variance 1) that the fixture README names — which is why the derived statistics are needed.
 */
class TrackedBnStatsTest {

  @Test
  void dartsLogitsNeedTheStatisticsOfPpudasGraphTrace() {
    Path fx = Fixtures.dir();
    String net = "darts-c16-8cells";
    Graph g =
        NetworkBuilder.build(
                NetSpecs.fromNetJson(NetFixture.read(fx.resolve("nets/" + net + ".json")).json()))
            .graph();
    GraphExecutor ex = new GraphExecutor(g);
    Path expected = fx.resolve("logits/ghn2-random/" + net + ".safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = SafeTensors.read(fx.resolve("inputs.safetensors"), m).get("input");
      Map<String, NDArray> params =
          SafeTensors.read(fx.resolve("predictions/ghn2-random/" + net + ".safetensors"), m);
      BnState traced = TrackedBnStats.forNet(net, g, m).orElseThrow();
      PredictionCheck.Report withTrace =
          PredictionCheck.againstTensors(
              Map.of("logits", ex.forward(x, params, Mode.eval(traced))),
              expected,
              ParityCheck.LOGITS);
      assertTrue(withTrace.ok(), "with the traced statistics: " + withTrace.failures());
      assertTrue(withTrace.maxAbsError() < 1e-6, "max |Δ| " + withTrace.maxAbsError());
      PredictionCheck.Report initial =
          PredictionCheck.againstTensors(
              Map.of(
                  "logits",
                  ex.forward(x, params, Mode.eval(BnState.initial(g, m, DataType.FLOAT32)))),
              expected,
              ParityCheck.LOGITS);
      assertFalse(
          initial.ok(),
          "the initial 0/1 buffers reproduce the fixture too: the derived statistics are moot");
      PredictionCheck.Report batch =
          PredictionCheck.againstTensors(
              Map.of("logits", ex.forward(x, params, Mode.batchStats())),
              expected,
              ParityCheck.LOGITS);
      assertFalse(batch.ok(), "batch statistics reproduce the fixture too");
    }
  }
}
