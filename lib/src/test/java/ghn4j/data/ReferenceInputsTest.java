package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.data.ImageDecoder.Encoded;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Our JPEG decoding + scaling + normalisation against the reference {@code inputs.safetensors} (the
 * same 16 test JPEGs decoded by PIL and normalised by torchvision in the reference).
 */
class ReferenceInputsTest {

  @Test
  void decodingAndNormalisationMatchTheReferenceInputs() throws IOException {
    Path archive = TestData.sharedArchive();
    Path fixture = Fixtures.dir().resolve("inputs.safetensors");
    float[] expected = readF32(fixture, "input", new long[] {16, 3, 32, 32});

    // test/<class>/0000.jpg for the 10 classes in sorted order, then 0001.jpg for the first 6.
    Map<String, TreeMap<String, List<Encoded>>> splits = ImageFolder.scanArchive(archive);
    TreeMap<String, List<Encoded>> test = splits.get("test");
    assertEquals(TestData.CLASSES, new ArrayList<>(test.keySet()));
    List<Encoded> picked = new ArrayList<>();
    int[] labels = new int[16];
    for (int k = 0; k < 16; k++) {
      String cls = TestData.CLASSES.get(k % 10);
      Encoded e = test.get(cls).get(k / 10);
      assertTrue(e.name().endsWith("test/" + cls + "/000" + (k / 10) + ".jpg"), e.name());
      picked.add(e);
      labels[k] = k % 10;
    }
    byte[] pixels = ImageDecoder.decodeAll(picked, 32, 32, n -> {});
    ImageSet set = new ImageSet(pixels, labels, TestData.CLASSES, 3, 32, 32);

    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = set.toNDArray(manager, null, true);
      assertArrayEquals(new long[] {16, 3, 32, 32}, x.getShape().getShape());
      float[] got = x.toFloatArray();
      double maxAbs = 0;
      int maxLevels = 0;
      long differing = 0;
      int[] histogram = new int[4];
      float[] std = {0.2470f, 0.2435f, 0.2616f};
      for (int i = 0; i < got.length; i++) {
        double d = Math.abs(got[i] - expected[i]);
        maxAbs = Math.max(maxAbs, d);
        int c = (i / 1024) % 3;
        int levels = (int) Math.round(d * std[c] * 255);
        maxLevels = Math.max(maxLevels, levels);
        histogram[Math.min(levels, 3)]++;
        if (d > 0) {
          differing++;
        }
      }
      System.out.printf(
          "reference inputs: max |diff| %.3g (normalised units) = %d level(s)/255; %d of %d values "
              + "differ; |diff| in levels 0/1/2/3+: %d/%d/%d/%d%n",
          maxAbs,
          maxLevels,
          differing,
          got.length,
          histogram[0],
          histogram[1],
          histogram[2],
          histogram[3]);
      // Measured: bit-identical (javax.imageio's IJG libjpeg and PIL's libjpeg-turbo both use the
      // integer IDCT and
      // fancy chroma upsampling; ToTensor/Normalize are reproduced in float32 in the same order).
      assertTrue(
          maxLevels <= 1,
          "decoding differs from PIL by " + maxLevels + " levels/255 (max |diff| " + maxAbs + ")");
      assertTrue(
          maxAbs <= 1e-6,
          "decoding/normalisation differs from the reference: max |diff| " + maxAbs);
    }
  }

  /**
   * Minimal safetensors reader (8-byte LE header length, JSON header, LE data) for one F32 tensor.
   */
  static float[] readF32(Path file, String name, long[] shape) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = Math.toIntExact(buf.getLong(0));
    JsonNode header =
        new ObjectMapper().readTree(new String(all, 8, headerLen, StandardCharsets.UTF_8));
    JsonNode t = header.get(name);
    assertEquals("F32", t.get("dtype").asText(), file + ": dtype of " + name);
    long[] s = new long[t.get("shape").size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = t.get("shape").get(i).asLong();
    }
    assertArrayEquals(shape, s, file + ": shape of " + name);
    int begin = 8 + headerLen + t.get("data_offsets").get(0).asInt();
    int end = 8 + headerLen + t.get("data_offsets").get(1).asInt();
    float[] out = new float[(end - begin) / 4];
    ByteBuffer.wrap(all, begin, end - begin)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(out);
    return out;
  }
}
