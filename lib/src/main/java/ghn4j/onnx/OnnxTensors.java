package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * float32 tensors in ONNX form ({@code TensorProto}): made from NDArrays (little-endian {@code raw_data}, as every
 * exporter writes them) and read back to Java floats from any of the three places ONNX keeps values ({@code raw_data},
 * {@code float_data}, or an external file next to the model).
 */
public final class OnnxTensors {

  private OnnxTensors() {}

  /** {@code array} (converted to float32 when it is not) as an initializer named {@code name}. */
  public static OnnxMl.TensorProto of(String name, NDArray array) {
    float[] v = array.getDataType() == DataType.FLOAT32 ? array.toFloatArray()
        : floats(array);
    return of(name, array.getShape().getShape(), v);
  }

  private static float[] floats(NDArray a) {
    try (NDArray f = a.toType(DataType.FLOAT32, false)) {
      return f.toFloatArray();
    }
  }

  /** A float32 tensor of {@code dims} with values {@code v} (row-major). */
  public static OnnxMl.TensorProto of(String name, long[] dims, float[] v) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    if (n != v.length) {
      throw new IllegalArgumentException(
          "tensor " + name + ": shape " + Arrays.toString(dims) + " holds " + n + " values, got " + v.length);
    }
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(b.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  /** An int64 tensor (shapes, axes, slice bounds of the written graph). */
  public static OnnxMl.TensorProto ofLongs(String name, long[] dims, long[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
        .setRawData(ByteString.copyFrom(b.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  /** The tensor's dimensions. */
  public static long[] dims(OnnxMl.TensorProto t) {
    return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  /** Whether the tensor's values live in an external file ({@code data_location = EXTERNAL}). */
  public static boolean isExternal(OnnxMl.TensorProto t) {
    return t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL;
  }

  /**
   * The values of a float32 tensor, wherever they are stored; {@code baseDir} resolves external data (may be null when
   * the model has none). Errors name the tensor.
   */
  public static float[] floats(OnnxMl.TensorProto t, Path baseDir) {
    if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
      throw new IllegalArgumentException("tensor " + t.getName() + ": data type "
          + OnnxMl.TensorProto.DataType.forNumber(t.getDataType()) + ", only FLOAT is supported");
    }
    long n = 1;
    for (long d : dims(t)) {
      n *= d;
    }
    float[] v = new float[Math.toIntExact(n)];
    if (isExternal(t)) {
      ByteBuffer b = ByteBuffer.wrap(readExternal(t, baseDir, 4L * n)).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().get(v);
    } else if (!t.getRawData().isEmpty()) {
      if (t.getRawData().size() != 4L * n) {
        throw new IllegalArgumentException("tensor " + t.getName() + ": raw_data has " + t.getRawData().size()
            + " bytes, shape " + Arrays.toString(dims(t)) + " needs " + 4L * n);
      }
      t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    } else if (t.getFloatDataCount() == n) {
      for (int i = 0; i < n; i++) {
        v[i] = t.getFloatData(i);
      }
    } else {
      throw new IllegalArgumentException("tensor " + t.getName() + ": float_data has " + t.getFloatDataCount()
          + " values, shape " + Arrays.toString(dims(t)) + " needs " + n);
    }
    return v;
  }

  /** The key {@code key} of the tensor's external-data entries, or null. */
  static String externalEntry(OnnxMl.TensorProto t, String key) {
    for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
      if (e.getKey().equals(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static byte[] readExternal(OnnxMl.TensorProto t, Path baseDir, long expected) {
    String location = externalEntry(t, "location");
    if (location == null) {
      throw new IllegalArgumentException("tensor " + t.getName() + ": external data without a location");
    }
    if (baseDir == null) {
      throw new IllegalArgumentException("tensor " + t.getName() + ": external data in " + location
          + ", but no model directory was given to resolve it");
    }
    Path file = baseDir.resolve(location);
    long offset = parseLong(t, externalEntry(t, "offset"), 0);
    long length = parseLong(t, externalEntry(t, "length"), expected);
    if (length != expected) {
      throw new IllegalArgumentException("tensor " + t.getName() + ": external length " + length + " bytes, shape "
          + Arrays.toString(dims(t)) + " needs " + expected);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("tensor " + t.getName() + ": external data file " + file + " not found");
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      if (offset + length > f.length()) {
        throw new IllegalArgumentException("tensor " + t.getName() + ": bytes " + offset + ".." + (offset + length)
            + " lie beyond the end of " + file + " (" + f.length() + " bytes)");
      }
      byte[] b = new byte[Math.toIntExact(length)];
      f.seek(offset);
      f.readFully(b);
      return b;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("tensor " + t.getName() + ": reading " + file, e);
    }
  }

  private static long parseLong(OnnxMl.TensorProto t, String s, long dflt) {
    if (s == null) {
      return dflt;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tensor " + t.getName() + ": external-data entry '" + s + "' is no number");
    }
  }
}
