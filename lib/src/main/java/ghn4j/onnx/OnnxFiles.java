package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import ghn4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes ONNX models to disk, atomically (temporary file, then rename). A protobuf message cannot
 * exceed 2 GiB, so a model whose initializers add up to more than {@link #EXTERNAL_THRESHOLD} bytes
 * is written with ONNX external data: every initializer of at least 1 KiB goes to {@code
 * <file>.data} beside the model (offset and length recorded in the tensor, {@code data_location =
 * EXTERNAL}), which ONNX Runtime and {@code onnx.load} read back.
 */
public final class OnnxFiles {

  /**
   * Total initializer bytes above which initializers are stored externally (well under protobuf's 2
   * GiB).
   */
  public static final long EXTERNAL_THRESHOLD = 1_800_000_000L;

  private static final int SMALL = 1024;

  private OnnxFiles() {}

  /**
   * Reads a model (external data, if any, stays external: resolve it with {@link
   * OnnxTensors#floats}).
   */
  public static OnnxMl.ModelProto read(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return OnnxMl.ModelProto.parseFrom(in);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IOException(file + ": not an ONNX model (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Writes {@code model} to {@code file} (with external data when large; see the class comment).
   */
  public static void write(OnnxMl.ModelProto model, Path file) throws IOException {
    write(model, file, EXTERNAL_THRESHOLD);
  }

  /** As {@link #write(OnnxMl.ModelProto, Path)} with another threshold (tests use a small one). */
  static void write(OnnxMl.ModelProto model, Path file, long externalThreshold) throws IOException {
    long total = 0;
    for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
      total += t.getRawData().size();
    }
    OnnxMl.ModelProto out = total > externalThreshold ? externalize(model, file) : model;
    AtomicFiles.write(file, o -> out.writeTo(o));
  }

  /**
   * Moves every initializer's raw_data of at least 1 KiB into {@code <file>.data}; returns the
   * model that points there.
   */
  private static OnnxMl.ModelProto externalize(OnnxMl.ModelProto model, Path file)
      throws IOException {
    String dataName = file.getFileName() + ".data";
    Path dataFile = file.resolveSibling(dataName);
    OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
    long[] offset = {0};
    AtomicFiles.write(
        dataFile,
        o -> {
          for (int i = 0; i < g.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = g.getInitializer(i);
            ByteString raw = t.getRawData();
            if (raw.size() < SMALL || OnnxTensors.isExternal(t)) {
              continue;
            }
            raw.writeTo(o);
            g.setInitializer(
                i,
                t.toBuilder()
                    .clearRawData()
                    .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", dataName))
                    .addExternalData(entry("offset", Long.toString(offset[0])))
                    .addExternalData(entry("length", Long.toString(raw.size())))
                    .build());
            offset[0] += raw.size();
          }
        });
    return model.toBuilder().setGraph(g).build();
  }

  private static OnnxMl.StringStringEntryProto entry(String key, String value) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
