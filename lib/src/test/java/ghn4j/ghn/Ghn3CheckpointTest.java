package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.io.SafeTensors;
import ghn4j.nn.Devices;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GHN-3 checkpoints: the four layouts of the fixtures, config inference, refused compressions, save
 * and reload.
 */
class Ghn3CheckpointTest {

  @TempDir Path tmp;

  private static final List<String> LAYOUTS =
      List.of(
          "ghn3-random.safetensors",
          "ghn3-random.joblib",
          "ghn3-random.zlib.joblib",
          "ghn3-random.pt");

  @Test
  void allFourLayoutsLoadToIdenticalWeightsAndTheSameConfig() {
    Path dir = Fixtures.ghn3Dir().resolve("ghn");
    Ghn3Config expected = Ghn3Config.read(dir.resolve("ghn3-random.json"));
    assertEquals(
        List.of(32, 32, 16, 16),
        List.of(
            expected.maxShape(0),
            expected.maxShape(1),
            expected.maxShape(2),
            expected.maxShape(3)));
    try (Ghn3 reference = Ghn3.load(dir.resolve(LAYOUTS.get(0)))) {
      assertEquals(expected, reference.config());
      assertEquals(60, reference.parameters().size());
      for (String layout : LAYOUTS.subList(1, LAYOUTS.size())) {
        try (Ghn3 other = Ghn3.load(dir.resolve(layout))) {
          assertEquals(expected, other.config(), layout);
          assertEquals(
              List.copyOf(reference.parameters().keySet()),
              List.copyOf(other.parameters().keySet()),
              layout);
          for (Map.Entry<String, NDArray> e : reference.parameters().entrySet()) {
            NDArray o = other.parameters().get(e.getKey());
            assertEquals(e.getValue().getShape(), o.getShape(), layout + " " + e.getKey());
            assertArrayEquals(
                e.getValue().toFloatArray(), o.toFloatArray(), 0f, layout + " " + e.getKey());
          }
        }
      }
    }
  }

  @Test
  void formatsAreNamed() {
    Path dir = Fixtures.ghn3Dir().resolve("ghn");
    List<String> formats = List.of("safetensors", "joblib (none)", "joblib (zlib)", "torch.save");
    for (int i = 0; i < LAYOUTS.size(); i++) {
      try (Ghn3 g = Ghn3.load(dir.resolve(LAYOUTS.get(i)))) {
        assertEquals(formats.get(i), g.format(), LAYOUTS.get(i));
      }
    }
  }

  @Test
  void configIsInferredFromNamesAndShapesAsFromPretrained() {
    Ghn3Config fixture =
        Ghn3Config.read(Fixtures.ghn3Dir().resolve("ghn").resolve("ghn3-random.json"));
    assertEquals(fixture, Ghn3Config.infer(fixture.layout()));
    // wider GHNs get 16 heads (hid > 64), CIFAR-style ones an 11x11 decoder, no LayerNorm when ln.*
    // is absent
    for (Ghn3Config c :
        List.of(
            new Ghn3Config(new int[] {64, 64, 16, 16}, 1000, 128, 16, 8, false, true, true, true),
            new Ghn3Config(new int[] {64, 64, 11, 11}, 10, 64, 8, 2, false, true, true, false),
            new Ghn3Config(new int[] {64, 64, 11, 11}, 10, 32, 8, 0, true, true, true, true))) {
      assertEquals(c, Ghn3Config.infer(c.layout()), c.toString());
    }
  }

  @Test
  void embeddingsUnderGnn0AreAcceptedAndTheConfigInferredWithoutJson() throws IOException {
    Path dir = Fixtures.ghn3Dir().resolve("ghn");
    Path moved = tmp.resolve("moved.safetensors");
    try (NDManager m = Devices.newManager();
        Ghn3 reference = Ghn3.load(dir.resolve("ghn3-random.safetensors"))) {
      Map<String, NDArray> renamed = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : reference.parameters().entrySet()) {
        String n = e.getKey();
        renamed.put(
            n.endsWith("embed_in.weight")
                    || n.endsWith("embed_out.weight")
                    || n.startsWith("input_dist")
                ? "gnn.0." + n
                : n,
            e.getValue());
      }
      assertTrue(renamed.containsKey("gnn.0.centrality_embed_in.weight"));
      SafeTensors.write(moved, renamed);
      try (Ghn3 g = Ghn3.load(moved)) {
        assertEquals(reference.config(), g.config());
        assertEquals(reference.parameters().keySet(), g.parameters().keySet());
        assertArrayEquals(
            reference.parameters().get("input_dist_embed.weight").toFloatArray(),
            g.parameters().get("input_dist_embed.weight").toFloatArray(),
            0f);
      }
    }
  }

  @Test
  void otherJoblibCompressionsAreRefusedNamingTheFileAndCompression() throws IOException {
    Path plain = Fixtures.ghn3Dir().resolve("ghn").resolve("ghn3-random.joblib");
    Path gz = tmp.resolve("ghn3.gzip.joblib");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(plain, out);
    }
    Map<String, byte[]> heads = new LinkedHashMap<>();
    heads.put("bz2", new byte[] {'B', 'Z', 'h', '9', '1', 'A', 'Y', '&'});
    heads.put("xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4});
    heads.put("lzma", new byte[] {0x5d, 0, 0, (byte) 0x80, 0, 0, 0, 0});
    heads.put("lz4", new byte[] {0x04, 0x22, 0x4d, 0x18, 0, 0, 0, 0});
    Map<Path, String> cases = new LinkedHashMap<>();
    cases.put(gz, "gzip");
    for (Map.Entry<String, byte[]> h : heads.entrySet()) {
      Path f = tmp.resolve("ghn3." + h.getKey() + ".joblib");
      Files.write(f, h.getValue());
      cases.put(f, h.getKey());
    }
    for (Map.Entry<Path, String> c : cases.entrySet()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Ghn3.load(c.getKey()));
      assertTrue(e.getMessage().contains(c.getKey().toString()), e.getMessage());
      assertTrue(
          e.getMessage().contains("joblib " + c.getValue() + " compression is not supported"),
          e.getMessage());
      assertTrue(e.getMessage().contains("zlib"), "names what is supported: " + e.getMessage());
    }
  }

  @Test
  void truncatedAndForeignFilesFailNamingTheFile() throws IOException {
    Path plain = Fixtures.ghn3Dir().resolve("ghn").resolve("ghn3-random.joblib");
    Path cut = tmp.resolve("cut.joblib");
    byte[] all = Files.readAllBytes(plain);
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ghn3.load(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    Path text = tmp.resolve("notes.txt");
    Files.writeString(text, "hello");
    e = assertThrows(IllegalArgumentException.class, () -> Ghn3.load(text));
    assertTrue(
        e.getMessage().contains(text.toString()) && e.getMessage().contains("not a joblib"),
        e.getMessage());
  }

  @Test
  void savedCheckpointReloadsIdentically() throws IOException {
    Path dir = Fixtures.ghn3Dir().resolve("ghn");
    try (Ghn3 g = Ghn3.load(dir.resolve("ghn3-random.zlib.joblib"))) {
      g.save(tmp.resolve("copy"));
      assertTrue(Files.isRegularFile(tmp.resolve("copy.json")));
      try (Ghn3 back = Ghn3.load(tmp.resolve("copy.safetensors"))) {
        assertEquals(g.config(), back.config());
        for (Map.Entry<String, NDArray> e : g.parameters().entrySet()) {
          assertArrayEquals(
              e.getValue().toFloatArray(), back.parameters().get(e.getKey()).toFloatArray(), 0f);
        }
      }
    }
  }
}
