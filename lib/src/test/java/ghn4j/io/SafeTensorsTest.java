package ghn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path tmp;

  @Test
  void floatTensorsRoundTrip() throws IOException {
    Path f = tmp.resolve("a.safetensors");
    var a = new SafeTensors.Tensor("w", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f});
    var b = new SafeTensors.Tensor("b", new int[] {1}, new float[] {7});
    SafeTensors.write(f, List.of(a, b), Map.of("note", "x"));
    Map<String, SafeTensors.Tensor> back = SafeTensors.read(f);
    assertEquals(List.of("w", "b"), List.copyOf(back.keySet()));
    assertArrayEquals(a.data(), back.get("w").data());
    assertArrayEquals(new int[] {2, 3}, back.get("w").shape());
    assertEquals((8 + Files.size(f)) % 8, (8 + Files.size(f)) % 8);
    assertEquals(0, (Files.size(f) - 24 - 4) % 8, "header padded to 8 bytes");
  }

  @Test
  void ndArraysRoundTripKeepingDtype() throws IOException {
    Path f = tmp.resolve("n.safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> in = new LinkedHashMap<>();
      in.put("f", m.create(new float[] {1.5f, -2}, new Shape(2, 1)));
      in.put("d", m.create(new double[] {3.25}));
      in.put("l", m.create(new long[] {1L << 40, -3}));
      SafeTensors.write(f, in);
      Map<String, NDArray> out = SafeTensors.read(f, m);
      assertEquals(DataType.FLOAT32, out.get("f").getDataType());
      assertEquals(new Shape(2, 1), out.get("f").getShape());
      assertEquals(DataType.FLOAT64, out.get("d").getDataType());
      assertArrayEquals(new long[] {1L << 40, -3}, out.get("l").toLongArray());
      assertEquals(3.25f, SafeTensors.read(f).get("d").data()[0]);
    }
  }

  @Test
  void readsTheFixtureHeader() {
    Path ghn = ghn4j.testing.Fixtures.dir().resolve("ghn/ghn2-random.safetensors");
    var entries = SafeTensors.list(ghn);
    assertTrue(entries.stream().anyMatch(e -> e.name().equals("gnn.gru.weight_ih")));
    assertEquals(31, entries.size());
  }

  @Test
  void truncatedFileIsNamed() throws IOException {
    Path f = tmp.resolve("t.safetensors");
    SafeTensors.write(f, List.of(new SafeTensors.Tensor("w", new int[] {100}, new float[100])));
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 10));
    var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(f));
    assertTrue(
        e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"),
        e.getMessage());
    Files.write(f, Arrays.copyOf(all, 5));
    e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void corruptHeaderIsNamed() throws IOException {
    Path f = tmp.resolve("c.safetensors");
    byte[] bytes = new byte[16];
    bytes[0] = 8;
    System.arraycopy("{not jso".getBytes(), 0, bytes, 8, 8);
    Files.write(f, bytes);
    var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(f));
    assertTrue(
        e.getMessage().contains("corrupt") && e.getMessage().contains(f.toString()),
        e.getMessage());
  }

  @Test
  void noTempFileIsLeftBehind() throws IOException {
    Path f = tmp.resolve("x.safetensors");
    SafeTensors.write(f, List.of(new SafeTensors.Tensor("w", new int[] {1}, new float[] {1})));
    SafeTensors.write(f, List.of(new SafeTensors.Tensor("w", new int[] {1}, new float[] {2})));
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(f), s.toList());
    }
    assertEquals(2f, SafeTensors.read(f).get("w").data()[0]);
  }
}
