package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.deepnets.NetSpecs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.graph.Ops;
import ghn4j.io.SafeTensors;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.parity.NetFixture;
import ghn4j.parity.ReferenceFixtures;
import ghn4j.parity.ZooArchitectures;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every net of the reference fixtures with parameters predicted by the random GHN-2 fixture,
 * written to ONNX and run in ONNX Runtime on the fixture's 16 CIFAR-10 images: logits equal our
 * executor's in both BatchNorm forms ({@link OnnxWriterTest#ATOL} + {@link OnnxWriterTest#RTOL} ×
 * max |logit|), and in the batch-statistics form they equal ppuda's own logits (the fixture
 * tolerance, atol 1e-3 + rtol 1e-3, and ours relative to the largest logit) for every net whose
 * BatchNorm keeps no running statistics. The two nets whose BatchNorm tracks statistics are left
 * out of that last comparison: their fixture logits are not batch-statistics logits
 * (docs/differences.md, "Reference logits with tracked BN").
 */
class FixtureNetsExportTest {

  @TempDir Path tmp;

  @Test
  void everyFixtureNetMatchesOurExecutorAndPpudaInOnnxRuntime() throws Exception {
    ReferenceFixtures fx = ReferenceFixtures.discover(Fixtures.dir());
    int comparedWithPpuda = 0;
    try (Ghn ghn = Ghn.load(fx.ghnWeights("ghn2-random").orElseThrow());
        NDManager top = Devices.newManager()) {
      NDArray x = SafeTensors.read(fx.inputs().orElseThrow(), top).get("input");
      for (String net : fx.nets()) {
        NetFixture nf = NetFixture.read(fx.netFile(net));
        Graph g =
            nf.kind().equals("deepnets1m")
                ? NetworkBuilder.graph(NetSpecs.fromNetJson(nf.json()))
                : ZooArchitectures.build(nf.arch(), nf.numClasses()).orElseThrow();
        try (NDManager m = top.newSubManager()) {
          Map<String, NDArray> params = ghn.predict(List.of(g), m).params(0);
          BnState stats = ExportNets.randomStats(g, 4, m);
          for (BnForm form : BnForm.values()) {
            Path file = tmp.resolve(net + "-" + form + ".onnx");
            OnnxFiles.write(OnnxWriter.toModel(g, params, stats, form, InputShape.cifar10()), file);
            try (OrtRunner ort = OrtRunner.open(file)) {
              RuntimeComparison.Result r =
                  RuntimeComparison.compare(ort, g, params, stats, form, x);
              assertTrue(
                  r.within(OnnxWriterTest.ATOL, OnnxWriterTest.RTOL), net + " " + form + ": " + r);
              assertEquals(1.0, r.argmaxAgreement(), net + " " + form + ": " + r);
              String vsPpuda = "";
              boolean tracked =
                  g.nodes().stream()
                      .anyMatch(n -> n.op() instanceof Ops.BatchNorm b && b.trackRunningStats());
              if (form == BnForm.BATCH_STATS
                  && !tracked
                  && fx.logits("ghn2-random", net).isPresent()) {
                float[] ppuda =
                    SafeTensors.read(fx.logits("ghn2-random", net).get())
                        .values()
                        .iterator()
                        .next()
                        .data();
                float[][] y = ort.run(x);
                double excess = Double.NEGATIVE_INFINITY;
                double maxDiff = 0;
                double scale = 0;
                for (int i = 0; i < y.length; i++) {
                  for (int c = 0; c < y[i].length; c++) {
                    double b = ppuda[i * y[i].length + c];
                    maxDiff = Math.max(maxDiff, Math.abs(y[i][c] - b));
                    scale = Math.max(scale, Math.abs(b));
                    excess = Math.max(excess, Math.abs(y[i][c] - b) - (1e-3 + 1e-3 * Math.abs(b)));
                  }
                }
                assertTrue(
                    excess <= 0, net + ": ONNX Runtime vs ppuda's logits, max |Δ| " + maxDiff);
                // several nets have tiny logits (BN-free: up to ~0.05): also relative to their
                // scale
                assertTrue(
                    maxDiff <= OnnxWriterTest.ATOL + OnnxWriterTest.RTOL * scale,
                    net
                        + ": ONNX Runtime vs ppuda's logits, max |Δ| "
                        + maxDiff
                        + " on logits up to "
                        + scale);
                comparedWithPpuda++;
                vsPpuda = String.format("; vs ppuda's logits max |Δ| %.3g", maxDiff);
              }
              System.out.printf("%s %s: %s%s%n", net, form, r, vsPpuda);
            }
          }
        }
      }
    }
    assertTrue(
        comparedWithPpuda >= 15,
        "compared with ppuda's logits on only " + comparedWithPpuda + " nets");
  }
}
