package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs an ONNX model in ONNX Runtime (Microsoft's inference engine, a second runtime next to our
 * PyTorch-backed executor): how written models are checked, and how a notebook runs an exported
 * model without ghn4j's executor. One intra-op thread by default, so results do not depend on the
 * machine's load. Close it to free the session.
 */
public final class OrtRunner implements AutoCloseable {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;

  private OrtRunner(OrtEnvironment env, OrtSession session) throws OrtException {
    this.env = env;
    this.session = session;
    this.inputName = session.getInputNames().iterator().next();
  }

  /** A session over a model file (external data is resolved next to it). */
  public static OrtRunner open(Path model) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions o = options()) {
        return new OrtRunner(env, env.createSession(model.toAbsolutePath().toString(), o));
      }
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
    }
  }

  /** A session over an in-memory model (no external data). */
  public static OrtRunner open(OnnxMl.ModelProto model) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions o = options()) {
        return new OrtRunner(env, env.createSession(model.toByteArray(), o));
      }
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
  }

  private static OrtSession.SessionOptions options() throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    o.setInterOpNumThreads(1);
    return o;
  }

  /**
   * The model's first output for {@code input} ({@code [N, C, H, W]}, any float type; read, not
   * changed).
   */
  public float[][] run(NDArray input) {
    float[] data;
    if (input.getDataType() == DataType.FLOAT32) {
      data = input.toFloatArray();
    } else {
      try (NDArray f = input.toType(DataType.FLOAT32, false)) {
        data = f.toFloatArray();
      }
    }
    return run(data, input.getShape().getShape());
  }

  /**
   * The model's first output, a matrix {@code [N, classes]}, for float32 {@code data} of {@code
   * shape}.
   */
  public float[][] run(float[] data, long[] shape) {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
        OrtSession.Result r = session.run(Map.of(inputName, t))) {
      OnnxValue v = r.get(0);
      Object out = v.getValue();
      if (!(out instanceof float[][] m)) {
        throw new IllegalStateException("the model's output is not a float matrix: " + v.getInfo());
      }
      return m;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
