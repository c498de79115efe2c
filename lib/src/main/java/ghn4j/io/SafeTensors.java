package ghn4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}}}, then raw little-endian data), the tensor exchange
 * format with PyTorch. Supports F32, F64, I64 and I32. Tensors keep the file's order. Writes go to
 * a temporary file that is renamed into place, so a crash never leaves a half-written file under
 * the final name.
 *
 * <p>One unit (~360 lines): the format's reader and writer, which must agree byte for byte.
 */
public final class SafeTensors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** A float32 tensor as a plain Java array, row-major. */
  public record Tensor(String name, int[] shape, float[] data) {
    public Tensor {
      shape = shape.clone();
      long n = 1;
      for (int d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException(
              name + ": negative dimension in " + Arrays.toString(shape));
        }
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            name
                + ": shape "
                + Arrays.toString(shape)
                + " holds "
                + n
                + " values, data has "
                + data.length);
      }
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Number of elements. */
    public int numel() {
      return data.length;
    }
  }

  /**
   * One header entry: the tensor's dtype name ("F32", ...), shape, and byte range in the data
   * section.
   */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {}

  /** The header entries of {@code file}, in file order. */
  public static List<Entry> list(Path file) {
    byte[] bytes = readAll(file);
    return parse(file, bytes).entries;
  }

  /** Reads every tensor as float32 (F64 and integer tensors are converted). */
  public static Map<String, Tensor> read(Path file) {
    byte[] bytes = readAll(file);
    Parsed p = parse(file, bytes);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Entry e : p.entries) {
      ByteBuffer buf = slice(bytes, p.dataStart, e);
      int n = Math.toIntExact(numel(e.shape));
      float[] data = new float[n];
      switch (e.dtype) {
        case "F32" -> buf.asFloatBuffer().get(data);
        case "F64" -> {
          for (int i = 0; i < n; i++) {
            data[i] = (float) buf.getDouble();
          }
        }
        case "I64" -> {
          for (int i = 0; i < n; i++) {
            data[i] = buf.getLong();
          }
        }
        case "I32" -> {
          for (int i = 0; i < n; i++) {
            data[i] = buf.getInt();
          }
        }
        default -> throw unsupported(file, e);
      }
      out.put(e.name, new Tensor(e.name, toInt(e.shape), data));
    }
    return out;
  }

  /** Reads every tensor into {@code manager}, keeping its dtype. */
  public static Map<String, NDArray> read(Path file, NDManager manager) {
    byte[] bytes = readAll(file);
    Parsed p = parse(file, bytes);
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Entry e : p.entries) {
      DataType type = dataType(file, e);
      ByteBuffer buf = slice(bytes, p.dataStart, e);
      NDArray a = manager.create(buf, new Shape(e.shape), type);
      a.setName(e.name);
      out.put(e.name, a);
    }
    return out;
  }

  /** Writes float32 tensors (in iteration order), atomically. */
  public static void write(Path file, Iterable<Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<byte[]> blobs = new ArrayList<>();
    long offset = 0;
    for (Tensor t : tensors) {
      ByteBuffer b = ByteBuffer.allocate(t.data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(t.data);
      long[] shape = Arrays.stream(t.shape).asLongStream().toArray();
      entries.add(new Entry(t.name, "F32", shape, offset, offset + b.capacity()));
      blobs.add(b.array());
      offset += b.capacity();
    }
    writeFile(file, entries, blobs, metadata);
  }

  /** Writes float32 tensors without metadata. */
  public static void write(Path file, Iterable<Tensor> tensors) throws IOException {
    write(file, tensors, Map.of());
  }

  /** Writes NDArrays (F32, F64, I64 or I32; in map order), atomically. */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<byte[]> blobs = new ArrayList<>();
    long offset = 0;
    for (Map.Entry<String, NDArray> kv : tensors.entrySet()) {
      NDArray a = kv.getValue();
      String dtype =
          switch (a.getDataType()) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
            default ->
                throw new IllegalArgumentException(
                    file + ": tensor " + kv.getKey() + " has unsupported dtype " + a.getDataType());
          };
      ByteBuffer src = a.toByteBuffer();
      byte[] bytes = new byte[src.remaining()];
      src.order(ByteOrder.LITTLE_ENDIAN).get(bytes);
      entries.add(
          new Entry(kv.getKey(), dtype, a.getShape().getShape(), offset, offset + bytes.length));
      blobs.add(bytes);
      offset += bytes.length;
    }
    writeFile(file, entries, blobs, metadata);
  }

  /** Writes NDArrays without metadata. */
  public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
    write(file, tensors, Map.of());
  }

  private static void writeFile(
      Path file, List<Entry> entries, List<byte[]> blobs, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    for (Entry e : entries) {
      ObjectNode jn = header.putObject(e.name);
      jn.put("dtype", e.dtype);
      var s = jn.putArray("shape");
      for (long d : e.shape) {
        s.add(d);
      }
      jn.putArray("data_offsets").add(e.begin).add(e.end);
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] head = Arrays.copyOf(json, padded);
    Arrays.fill(head, json.length, padded, (byte) ' ');
    AtomicFiles.write(
        file,
        out -> {
          ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
          out.write(len.array());
          out.write(head);
          for (byte[] b : blobs) {
            out.write(b);
          }
        });
  }

  private record Parsed(List<Entry> entries, long dataStart) {}

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read safetensors file: " + e, e);
    }
  }

  private static Parsed parse(Path file, byte[] bytes) {
    if (bytes.length < 8) {
      throw new IllegalArgumentException(
          file
              + ": not a safetensors file ("
              + bytes.length
              + " bytes, shorter than the 8-byte header length)");
    }
    long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen <= 0 || headerLen > MAX_HEADER) {
      throw new IllegalArgumentException(
          file + ": not a safetensors file (header length " + headerLen + " is implausible)");
    }
    if (8 + headerLen > bytes.length) {
      throw new IllegalArgumentException(
          file
              + ": truncated safetensors file: header of "
              + headerLen
              + " bytes but the file has "
              + bytes.length
              + " bytes");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": corrupt safetensors header: " + e.getMessage(), e);
    }
    if (header == null || !header.isObject()) {
      throw new IllegalArgumentException(file + ": corrupt safetensors header (not a JSON object)");
    }
    long dataStart = 8 + headerLen;
    long dataLen = bytes.length - dataStart;
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> kv = it.next();
      if (kv.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode jn = kv.getValue();
      JsonNode dtype = jn.get("dtype");
      JsonNode shape = jn.get("shape");
      JsonNode offs = jn.get("data_offsets");
      if (dtype == null || shape == null || offs == null || offs.size() != 2) {
        throw new IllegalArgumentException(
            file
                + ": corrupt safetensors header: tensor "
                + kv.getKey()
                + " lacks dtype, shape or data_offsets");
      }
      long[] s = new long[shape.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = shape.get(i).asLong();
      }
      Entry e =
          new Entry(kv.getKey(), dtype.asText(), s, offs.get(0).asLong(), offs.get(1).asLong());
      long expected = numel(s) * elementSize(e.dtype);
      if (e.begin < 0 || e.end < e.begin || (expected >= 0 && e.end - e.begin != expected)) {
        throw new IllegalArgumentException(
            file
                + ": corrupt safetensors header: tensor "
                + e.name
                + " has data_offsets ["
                + e.begin
                + ", "
                + e.end
                + "] for "
                + e.dtype
                + Arrays.toString(s));
      }
      if (e.end > dataLen) {
        throw new IllegalArgumentException(
            file
                + ": truncated safetensors file: tensor "
                + e.name
                + " ends at byte "
                + e.end
                + " of the data section, which has only "
                + dataLen
                + " bytes");
      }
      entries.add(e);
    }
    return new Parsed(entries, dataStart);
  }

  private static ByteBuffer slice(byte[] bytes, long dataStart, Entry e) {
    return ByteBuffer.wrap(bytes, (int) (dataStart + e.begin), (int) (e.end - e.begin))
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long elementSize(String dtype) {
    return switch (dtype) {
      case "F64", "I64" -> 8;
      case "F32", "I32" -> 4;
      case "F16", "BF16", "I16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> -1;
    };
  }

  private static DataType dataType(Path file, Entry e) {
    return switch (e.dtype) {
      case "F32" -> DataType.FLOAT32;
      case "F64" -> DataType.FLOAT64;
      case "I64" -> DataType.INT64;
      case "I32" -> DataType.INT32;
      default -> throw unsupported(file, e);
    };
  }

  private static IllegalArgumentException unsupported(Path file, Entry e) {
    return new IllegalArgumentException(
        file + ": tensor " + e.name + " has dtype " + e.dtype + "; supported: F32, F64, I64, I32");
  }

  private static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static int[] toInt(long[] shape) {
    int[] s = new int[shape.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.toIntExact(shape[i]);
    }
    return s;
  }
}
