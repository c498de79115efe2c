package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ghn4j.graph.Graph;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.nn.Devices;
import ghn4j.parity.PredictionCheck;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ghn3's {@code is_ghn2} mode (a GHN-2 checkpoint loaded as ghn3's {@code from_pretrained} does):
 * its config comes from the weights when the JSON does not say, its 4-D decoder weights are
 * squeezed, and since GHN-2's embeddings and gated GNN are unchanged in that mode, its node
 * embeddings equal ppuda's on every reference graph (the decoders differ — ghn3's {@code
 * ConvDecoder3} — so predictions are not compared).
 */
class Ghn3Ghn2ModeTest {

  @Test
  void ppudaGhn2LoadsInGhn2ModeWithPpudasEmbeddings() throws IOException {
    Path dir = Fixtures.dir();
    try (Ghn3 ghn = Ghn3.load(dir.resolve("ghn").resolve("ghn2-random.safetensors"));
        NDManager m = Devices.newManager()) {
      assertTrue(ghn.config().isGhn2());
      assertInstanceOf(GatedGnn.class, ghn.hypernet());
      assertEquals(2, ghn.parameters().get("decoder.conv.0.weight").getShape().dimension());
      List<Path> graphs;
      try (var s = Files.list(dir.resolve("graphs"))) {
        graphs = s.sorted().toList();
      }
      assertFalse(graphs.isEmpty());
      int checked = 0;
      for (Path f : graphs) {
        String net = f.getFileName().toString().replaceFirst("\\.json$", "");
        Path emb = dir.resolve("embeddings").resolve("ghn2-random").resolve(net + ".safetensors");
        if (!Files.exists(emb)) {
          continue;
        }
        Graph g = ReferenceGraphJson.read(f);
        Predictions p = ghn.predict(List.of(g), m);
        PredictionCheck.Report r =
            PredictionCheck.embeddings(p.embeddings(0), emb, PredictionCheck.Tolerance.PREDICTIONS);
        assertTrue(r.ok(), r.toString());
        assertFalse(p.params(0).isEmpty(), net);
        checked++;
      }
      assertTrue(checked > 0, "no reference embeddings found");
    }
  }
}
