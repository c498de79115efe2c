package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DeepNets-1M nets of every split (and ViT-style train nets with attention and a positional
 * encoding) with parameters predicted by the random GHN-2 fixture, written to ONNX and run in ONNX
 * Runtime in both BatchNorm forms; logits must match our executor within {@link
 * OnnxWriterTest#ATOL} + {@link OnnxWriterTest#RTOL} × max |logit|.
 */
class DeepNetsExportTest {

  private static Ghn ghn;

  @TempDir Path tmp;

  @BeforeAll
  static void loadGhn() {
    ghn = Ghn.load(Fixtures.dir().resolve("ghn").resolve("ghn2-random.safetensors"));
  }

  @AfterAll
  static void closeGhn() {
    if (ghn != null) {
      ghn.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "test", "wide", "deep", "dense", "bnfree"})
  void firstNetsOfEverySplitMatchInOnnxRuntime(String split) throws Exception {
    // one wide net (about 43 M parameters each), two of every other split
    List<SampledNet> nets = DeepNets.standard().nets(Split.of(split), split.equals("wide") ? 1 : 2);
    for (SampledNet n : nets) {
      check(split + "/" + n.index(), NetworkBuilder.graph(n.args()));
    }
  }

  @Test
  void vitStyleNetsWithAttentionAndPositionalEncodingMatch() throws Exception {
    boolean attention = false;
    boolean posEnc = false;
    for (SampledNet n : DeepNets.standard().nets(Split.TRAIN, 400)) {
      Graph g = NetworkBuilder.graph(n.args());
      boolean a = has(g, Ops.Attention.class);
      boolean p = has(g, Ops.LearnedTensor.class) || has(g, Ops.PosEnc.class);
      if ((a && !attention) || (p && !posEnc)) {
        attention |= a;
        posEnc |= p;
        check("train/" + n.index() + (a ? " msa" : "") + (p ? " pos_enc" : ""), g);
      }
      if (attention && posEnc) {
        break;
      }
    }
    assertTrue(attention, "no train net with attention among the first 400");
    assertTrue(posEnc, "no train net with a positional encoding among the first 400");
  }

  private static boolean has(Graph g, Class<?> op) {
    for (Node n : g.nodes()) {
      if (op.isInstance(n.op())) {
        return true;
      }
    }
    return false;
  }

  private void check(String what, Graph g) throws Exception {
    try (NDManager m = Devices.newManager()) {
      Predictions pred = ghn.predict(List.of(g), m);
      Map<String, NDArray> params = pred.params(0);
      BnState stats = ExportNets.randomStats(g, 3, m);
      NDArray x = ExportNets.images(m, 4, 32, 5);
      for (BnForm form : BnForm.values()) {
        Path file = tmp.resolve(what.replaceAll("[^A-Za-z0-9]+", "_") + "-" + form + ".onnx");
        OnnxFiles.write(OnnxWriter.toModel(g, params, stats, form, InputShape.cifar10()), file);
        OnnxWriterTest.assertInitializersAreTheStateDict(g, OnnxFiles.read(file), form);
        try (OrtRunner ort = OrtRunner.open(file)) {
          RuntimeComparison.Result r = RuntimeComparison.compare(ort, g, params, stats, form, x);
          System.out.printf("%s (%d params) %s: %s%n", what, g.numParams(), form, r);
          assertTrue(
              r.within(OnnxWriterTest.ATOL, OnnxWriterTest.RTOL), what + " " + form + ": " + r);
          assertEquals(1.0, r.argmaxAgreement(), what + " " + form + ": " + r);
        }
      }
    }
  }
}
