package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.io.SafeTensors;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.nn.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A network with parameters ready to be written: its graph, its parameters by {@code state_dict}
 * name (e.g. a GHN's {@link Predictions}) and, when known, BatchNorm running statistics (from
 * {@code ghn4j.eval.BnCalibration}). Writes ONNX (inference form with running statistics when there
 * are any, else ppuda's batch-statistics form), safetensors state_dicts with PyTorch's names, or
 * the parameters into an existing ONNX model. Arrays stay the caller's.
 *
 * @param graph the executable graph
 * @param params parameters by state_dict name
 * @param stats running statistics, or null (not calibrated)
 * @param calibrationBatches how many batches {@code stats} averages (PyTorch's {@code
 *     num_batches_tracked}), 0 without
 */
public record NetworkExport(
    Graph graph, Map<String, NDArray> params, BnState stats, long calibrationBatches) {

  /** The predicted parameters of graph {@code index} of {@code predictions}, not calibrated. */
  public static NetworkExport of(Predictions predictions, int index, Graph graph) {
    return new NetworkExport(graph, predictions.params(index), null, 0);
  }

  /** The same network with running statistics. */
  public NetworkExport withStats(BnState newStats, long batches) {
    return new NetworkExport(graph, params, newStats, batches);
  }

  /** Whether the graph has BatchNorm layers (whose statistics matter for an inference export). */
  public boolean hasBatchNorm() {
    return graph.nodes().stream().anyMatch(n -> n.op() instanceof Ops.BatchNorm);
  }

  /** The BatchNorm form an ONNX export uses by default: running statistics when there are any. */
  public BnForm defaultForm() {
    return stats != null ? BnForm.RUNNING_STATS : BnForm.BATCH_STATS;
  }

  /** Writes ONNX in {@link #defaultForm()}. */
  public void writeOnnx(Path file, InputShape input) throws IOException {
    writeOnnx(file, defaultForm(), input);
  }

  /** Writes ONNX in {@code form} (see {@link BnForm}), atomically. */
  public void writeOnnx(Path file, BnForm form, InputShape input) throws IOException {
    OnnxFiles.write(OnnxWriter.toModel(graph, params, stats, form, input), file);
  }

  /**
   * Writes the state_dict as safetensors ({@link StateDict}: parameters and the buffers of tracking
   * BatchNorm layers), atomically. In Python: {@code
   * model.load_state_dict(safetensors.torch.load_file(file))}.
   */
  public void writeSafetensors(Path file) throws IOException {
    try (NDManager m = Devices.newManager()) {
      SafeTensors.write(
          file,
          StateDict.of(graph, params, stats, calibrationBatches, m),
          Map.of("format", "pt", "producer", "ghn4j"));
    }
  }

  /**
   * Writes {@code model} (read from {@code modelDir}) with its initializers replaced by this
   * network's parameters and, when calibrated, its BatchNorm statistics: for each of our BatchNorm
   * layers, the mean and variance inputs of the model's {@code BatchNormalization} node whose scale
   * is that layer's weight (torch-exported models name them {@code <module>.running_mean}/{@code
   * .running_var}). See {@link Initializers#replace}.
   */
  public void writeInto(OnnxMl.ModelProto model, Path modelDir, Path file) throws IOException {
    Map<String, NDArray> all = new LinkedHashMap<>(params);
    if (stats != null) {
      Set<String> inits =
          Initializers.names(
              model); // deduplicated statistics are Identity nodes of one initializer
      Map<String, OnnxMl.NodeProto> byScale = new HashMap<>();
      for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
        if (n.getOpType().equals("BatchNormalization") && n.getInputCount() == 5) {
          byScale.put(n.getInput(1), n);
        }
      }
      for (Node n : graph.nodes()) {
        if (n.op() instanceof Ops.BatchNorm) {
          OnnxMl.NodeProto bn = byScale.get(n.params().get(0).name());
          if (bn != null && inits.contains(bn.getInput(3)) && inits.contains(bn.getInput(4))) {
            all.put(bn.getInput(3), stats.runningMean(n.name()));
            all.put(bn.getInput(4), stats.runningVar(n.name()));
          }
        }
      }
    }
    OnnxFiles.write(Initializers.replace(model, all, modelDir), file);
  }

  /** Writes ONNX or safetensors by the file's extension ({@code .onnx}, {@code .safetensors}). */
  public void write(Path file, InputShape input) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".onnx")) {
      writeOnnx(file, input);
    } else if (name.endsWith(".safetensors")) {
      writeSafetensors(file);
    } else {
      throw new IllegalArgumentException(file + ": write .onnx or .safetensors");
    }
  }
}
