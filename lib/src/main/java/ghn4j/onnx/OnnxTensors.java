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
 * Reads the values of an ONNX {@code TensorProto}: inline {@code raw_data} (little-endian) or the
 * typed fields ({@code float_data}, {@code int64_data}, ...), or external data ({@code
 * data_location: EXTERNAL} with {@code location}, {@code offset}, {@code length} relative to the
 * model's folder). Values come back as doubles (shape arithmetic and attributes) or floats
 * (parameters); and made from NDArrays or Java arrays (little-endian {@code raw_data}, as every
 * exporter writes them) for the writers.
 */
public final class OnnxTensors {

  private OnnxTensors() {}

  /** The tensor's dimensions. */
  public static long[] dims(OnnxMl.TensorProto t) {
    long[] d = new long[t.getDimsCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.getDims(i);
    }
    return d;
  }

  /** Number of elements. */
  public static long numel(OnnxMl.TensorProto t) {
    long n = 1;
    for (long d : dims(t)) {
      n *= d;
    }
    return n;
  }

  /**
   * The values as float32 (float, double, float16 are not converted: float and double only, ints
   * cast).
   */
  public static float[] floats(OnnxMl.TensorProto t, Path modelDir) {
    double[] d = doubles(t, modelDir);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** The values as doubles; integer types exactly up to 2^53. */
  public static double[] doubles(OnnxMl.TensorProto t, Path modelDir) {
    int n = Math.toIntExact(numel(t));
    int type = t.getDataType();
    ByteBuffer raw = null;
    if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
      raw = external(t, modelDir);
    } else if (!t.getRawData().isEmpty()) {
      raw = t.getRawData().asReadOnlyByteBuffer();
    }
    double[] out = new double[n];
    if (raw != null) {
      raw = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int width = width(t);
      if ((long) raw.remaining() < (long) n * width) {
        throw new IllegalArgumentException(
            "tensor '"
                + t.getName()
                + "' has "
                + raw.remaining()
                + " bytes of data, "
                + "expected "
                + ((long) n * width)
                + " (truncated file?)");
      }
      for (int i = 0; i < n; i++) {
        out[i] =
            switch (type) {
              case 1 -> raw.getFloat();
              case 11 -> raw.getDouble();
              case 7 -> raw.getLong();
              case 6 -> raw.getInt();
              case 9, 2 -> raw.get() & 0xff;
              case 3 -> raw.get();
              default -> throw unsupportedType(t);
            };
      }
      return out;
    }
    int count;
    switch (type) {
      case 1 -> {
        count = t.getFloatDataCount();
        for (int i = 0; i < Math.min(n, count); i++) {
          out[i] = t.getFloatData(i);
        }
      }
      case 11 -> {
        count = t.getDoubleDataCount();
        for (int i = 0; i < Math.min(n, count); i++) {
          out[i] = t.getDoubleData(i);
        }
      }
      case 7 -> {
        count = t.getInt64DataCount();
        for (int i = 0; i < Math.min(n, count); i++) {
          out[i] = t.getInt64Data(i);
        }
      }
      case 6, 9, 2, 3 -> {
        count = t.getInt32DataCount();
        for (int i = 0; i < Math.min(n, count); i++) {
          out[i] = t.getInt32Data(i);
        }
      }
      default -> throw unsupportedType(t);
    }
    if (count != n) {
      throw new IllegalArgumentException(
          "tensor '"
              + t.getName()
              + "' holds "
              + count
              + " values, its dims "
              + java.util.Arrays.toString(dims(t))
              + " need "
              + n);
    }
    return out;
  }

  private static int width(OnnxMl.TensorProto t) {
    return switch (t.getDataType()) {
      case 1, 6 -> 4;
      case 7, 11 -> 8;
      case 2, 3, 9 -> 1;
      default -> throw unsupportedType(t);
    };
  }

  private static IllegalArgumentException unsupportedType(OnnxMl.TensorProto t) {
    return new IllegalArgumentException(
        "tensor '"
            + t.getName()
            + "' has ONNX data type "
            + OnnxMl.TensorProto.DataType.forNumber(t.getDataType())
            + "; supported: FLOAT, DOUBLE, INT64, INT32, "
            + "INT8, UINT8, BOOL");
  }

  /** Whether the tensor keeps its values in an external file. */
  public static boolean isExternal(OnnxMl.TensorProto t) {
    return t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL;
  }

  /** The external data entries {@code location}, {@code offset}, {@code length} of a tensor. */
  private static ByteBuffer external(OnnxMl.TensorProto t, Path modelDir) {
    String location = null;
    long offset = 0;
    long length = -1;
    for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
      switch (e.getKey()) {
        case "location" -> location = e.getValue();
        case "offset" -> offset = Long.parseLong(e.getValue());
        case "length" -> length = Long.parseLong(e.getValue());
        default -> {}
      }
    }
    if (location == null) {
      throw new IllegalArgumentException(
          "tensor '" + t.getName() + "' is EXTERNAL but names no location");
    }
    Path file = modelDir.resolve(location).normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "tensor '"
              + t.getName()
              + "': external data file "
              + file
              + " does not exist (keep it next to the model)");
    }
    long need = length >= 0 ? length : numel(t) * width(t);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      if (offset + need > f.length()) {
        throw new IllegalArgumentException(
            "tensor '"
                + t.getName()
                + "': external data "
                + file
                + " has "
                + f.length()
                + " bytes, the tensor needs bytes "
                + offset
                + ".."
                + (offset + need)
                + " (truncated?)");
      }
      byte[] b = new byte[Math.toIntExact(need)];
      f.seek(offset);
      f.readFully(b);
      return ByteBuffer.wrap(b);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "tensor '" + t.getName() + "': cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code array} (converted to float32 when it is not) as an initializer named {@code name}. */
  public static OnnxMl.TensorProto of(String name, NDArray array) {
    float[] v = array.getDataType() == DataType.FLOAT32 ? array.toFloatArray() : floats(array);
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
          "tensor "
              + name
              + ": shape "
              + Arrays.toString(dims)
              + " holds "
              + n
              + " values, got "
              + v.length);
    }
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return raw(name, OnnxMl.TensorProto.DataType.FLOAT, dims, b);
  }

  /** An int64 tensor (shapes, axes, slice bounds of the written graph). */
  public static OnnxMl.TensorProto ofLongs(String name, long[] dims, long[] v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    return raw(name, OnnxMl.TensorProto.DataType.INT64, dims, b);
  }

  private static OnnxMl.TensorProto raw(
      String name, OnnxMl.TensorProto.DataType type, long[] dims, ByteBuffer data) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(type.getNumber())
            .setRawData(ByteString.copyFrom(data.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }
}
