package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.KernelRegistry;
import ghn4j.nn.Mode;
import ghn4j.nn.OpKernel;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes an executable {@link Graph} with its parameters as an ONNX model (opset {@value #OPSET},
 * float32, dynamic batch axis): every {@link Ops} record becomes standard ONNX ops with {@link
 * ghn4j.nn.StandardKernels}' PyTorch semantics, initializers are named by the {@code state_dict}
 * names of the parameters (BatchNorm buffers as PyTorch names them), the input is {@code input}
 * {@code [batch, C, H, W]} and the output {@code logits}. Shape constants are {@code Constant}
 * nodes, so the initializers are exactly the tensors of the state_dict.
 *
 * <p>Static sizes that some ops need (token counts, adaptive-pooling matrices, linear layers on 2-D
 * vs token inputs) come from one forward pass of our executor on a zero batch of the export's input
 * size. This class checks the input, probes those sizes and wraps the model; the graph's nodes are
 * written by {@link OnnxGraphEmitter}.
 */
public final class OnnxWriter {

  /**
   * The opset the written models import (ONNX 1.12+; LayerNormalization and HardSwish are in it,
   * Gelu is not).
   */
  public static final int OPSET = 17;

  /** The IR version written (ONNX 1.13). */
  public static final long IR_VERSION = 8;

  /** The graph's input name. */
  public static final String INPUT = "input";

  /** The graph's output name. */
  public static final String OUTPUT = "logits";

  private OnnxWriter() {}

  /**
   * The ONNX model of {@code graph} with {@code params} ({@code state_dict} name → array).
   *
   * @param stats running statistics for {@link BnForm#RUNNING_STATS} (e.g. {@link BnState#initial}
   *     or a calibrated state); ignored, and may be null, for {@link BnForm#BATCH_STATS}
   * @throws IllegalArgumentException naming the parameter or node when parameters are missing or
   *     mis-shaped, or a BatchNorm has no running statistics
   */
  public static OnnxMl.ModelProto toModel(
      Graph graph, Map<String, NDArray> params, BnState stats, BnForm form, InputShape input) {
    GraphExecutor probe = new GraphExecutor(graph);
    probe.checkParams(params);
    if (form == BnForm.RUNNING_STATS && stats == null && hasBn(graph)) {
      throw new IllegalArgumentException(
          "BnForm.RUNNING_STATS needs running statistics (a BnState: calibrated, or "
              + "BnState.initial for PyTorch's 0/1); use BnForm.BATCH_STATS for ppuda's batch-statistics evaluation");
    }
    Map<Node, long[]> shapes = probeShapes(graph, params, input);
    OnnxGraphEmitter e = new OnnxGraphEmitter(graph, params, stats, form, shapes);
    OnnxMl.GraphProto g = e.emit(input);
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("ghn4j")
        .setProducerVersion("0.1")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(g)
        .build();
  }

  private static boolean hasBn(Graph graph) {
    return graph.nodes().stream().anyMatch(n -> n.op() instanceof Ops.BatchNorm);
  }

  /** Output shapes of every node from one batch-statistics forward pass on zeros (batch 2). */
  private static Map<Node, long[]> probeShapes(
      Graph graph, Map<String, NDArray> params, InputShape in) {
    Map<Node, long[]> shapes = new IdentityHashMap<>();
    KernelRegistry standard = KernelRegistry.standard();
    KernelRegistry recording = standard;
    java.util.Set<Class<?>> wrapped = new java.util.HashSet<>();
    for (Node n : graph.nodes()) {
      Op op = n.op();
      if (op instanceof Ops.Input || !wrapped.add(op.getClass())) {
        continue;
      }
      OpKernel k =
          standard
              .kernelFor(op)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no kernel for op '"
                              + op.kind()
                              + "' at node "
                              + n.name()
                              + ": cannot export it"));
      recording =
          recording.with(
              op.getClass(),
              (node, inputs, ps, mode) -> {
                NDArray out = k.apply(node, inputs, ps, mode);
                shapes.put(node, out.getShape().getShape());
                return out;
              });
    }
    GraphExecutor exec = new GraphExecutor(graph, recording);
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager m = Devices.newManager()) {
      NDArray any = params.values().stream().findFirst().orElse(null);
      NDArray x =
          m.zeros(
              new Shape(2, in.channels(), in.height(), in.width()),
              any == null ? ai.djl.ndarray.types.DataType.FLOAT32 : any.getDataType());
      shapes.put(graph.node(0), x.getShape().getShape());
      exec.forward(x, params, Mode.batchStats());
    } finally {
      JniUtils.setGradMode(grad);
    }
    return shapes;
  }

  /**
   * The [out, size] matrix of adaptive average pooling along one axis (as StandardKernels computes
   * it).
   */
  static float[] poolMatrix(int out, int size) {
    float[] m = new float[out * size];
    for (int i = 0; i < out; i++) {
      int start = (int) Math.floor((double) i * size / out);
      int end = (int) Math.ceil((double) (i + 1) * size / out);
      for (int j = start; j < end; j++) {
        m[i * size + j] = (float) (1.0 / (end - start));
      }
    }
    return m;
  }

  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }
}
