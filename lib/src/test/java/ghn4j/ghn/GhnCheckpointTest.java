package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.io.SafeTensors;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GhnCheckpointTest {

  @TempDir Path tmp;

  @Test
  void ppudaCheckpointLoadsTheSameWeightsAsSafetensors() {
    Path dir = Fixtures.dir().resolve("ghn");
    try (Ghn pt = Ghn.load(dir.resolve("ghn2-random.pt"));
        Ghn st = Ghn.load(dir.resolve("ghn2-random.safetensors"))) {
      assertEquals(GhnConfig.ghn2(), pt.config());
      assertEquals(st.config(), pt.config());
      assertEquals(st.parameters().keySet(), pt.parameters().keySet());
      for (Map.Entry<String, NDArray> e : st.parameters().entrySet()) {
        NDArray p = pt.parameters().get(e.getKey());
        assertEquals(e.getValue().getShape(), p.getShape(), e.getKey());
        assertArrayEquals(e.getValue().toFloatArray(), p.toFloatArray(), 0f, e.getKey());
      }
    }
  }

  @Test
  void fixtureConfigsMatchThePresets() {
    Path dir = Fixtures.dir().resolve("ghn");
    assertEquals(GhnConfig.ghn2(), GhnConfig.read(dir.resolve("ghn2-random.json")));
    assertEquals(GhnConfig.ghn1(), GhnConfig.read(dir.resolve("ghn1-random.json")));
    assertEquals(GhnConfig.mlp(), GhnConfig.read(dir.resolve("mlp-random.json")));
  }

  @Test
  void layoutMatchesTheFixtureStateDicts() {
    Path dir = Fixtures.dir().resolve("ghn");
    for (String name : new String[] {"ghn2-random", "ghn1-random", "mlp-random"}) {
      GhnConfig c = GhnConfig.read(dir.resolve(name + ".json"));
      Map<String, long[]> layout = GhnWeights.layout(c);
      var entries = SafeTensors.list(dir.resolve(name + ".safetensors"));
      assertEquals(entries.size(), layout.size(), name);
      for (SafeTensors.Entry e : entries) {
        assertArrayEquals(e.shape(), layout.get(e.name()), name + " " + e.name());
      }
    }
  }

  @Test
  void saveAndLoadRoundTrip() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      Ghn ghn = Ghn.create(GhnConfig.ghn2(), m, 42);
      Path f = tmp.resolve("my-ghn.safetensors");
      ghn.save(f);
      assertTrue(Files.exists(tmp.resolve("my-ghn.json")));
      try (Ghn back = Ghn.load(f)) {
        assertEquals(ghn.config(), back.config());
        for (Map.Entry<String, NDArray> e : ghn.parameters().entrySet()) {
          assertArrayEquals(
              e.getValue().toFloatArray(), back.parameters().get(e.getKey()).toFloatArray(), 0f);
        }
      }
      Ghn again = Ghn.create(GhnConfig.ghn2(), m, 42);
      assertArrayEquals(
          ghn.parameters().get("decoder.fc.0.weight").toFloatArray(),
          again.parameters().get("decoder.fc.0.weight").toFloatArray(),
          0f,
          "same seed, same weights");
    }
  }

  @Test
  void badCheckpointsNameTheProblem() throws IOException {
    Path src = Fixtures.dir().resolve("ghn/ghn2-random.safetensors");
    Map<String, SafeTensors.Tensor> weights = SafeTensors.read(src);
    GhnConfig c = GhnConfig.ghn2();

    Map<String, SafeTensors.Tensor> missing = new LinkedHashMap<>(weights);
    missing.remove("gnn.gru.bias_hh");
    assertMessage(write("missing", c, missing), "missing key 'gnn.gru.bias_hh'");

    Map<String, SafeTensors.Tensor> extra = new LinkedHashMap<>(weights);
    extra.put("foo.weight", new SafeTensors.Tensor("foo.weight", new int[] {1}, new float[] {0}));
    assertMessage(write("extra", c, extra), "unexpected key 'foo.weight'");

    Map<String, SafeTensors.Tensor> shape = new LinkedHashMap<>(weights);
    shape.put("ln.weight", new SafeTensors.Tensor("ln.weight", new int[] {31}, new float[31]));
    assertMessage(write("shape", c, shape), "'ln.weight' has shape");

    Path pt = Fixtures.dir().resolve("ghn/ghn2-random.pt");
    byte[] bytes = Files.readAllBytes(pt);
    Path cut = tmp.resolve("cut.pt");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    assertMessage(cut, "cut.pt");
    Path junk = tmp.resolve("junk.pt");
    Files.writeString(junk, "this is not a checkpoint");
    assertMessage(junk, "junk.pt");
  }

  private Path write(String name, GhnConfig c, Map<String, SafeTensors.Tensor> tensors)
      throws IOException {
    Path f = tmp.resolve(name + ".safetensors");
    SafeTensors.write(f, tensors.values());
    c.write(tmp.resolve(name + ".json"));
    return f;
  }

  private static void assertMessage(Path f, String part) {
    var e = assertThrows(IllegalArgumentException.class, () -> Ghn.load(f).close());
    assertTrue(
        e.getMessage().contains(part) && e.getMessage().contains(f.getFileName().toString()),
        e.getMessage());
  }
}
