package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.eval.BnCalibration;
import ghn4j.ghn.Ghn;
import ghn4j.nn.BnState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's ONNX model with every trainable parameter predicted by a GHN: the one call chain for "my
 * network in, parameters out".
 *
 * <pre>{@code
 * try (Ghn ghn = Ghn.load(ckpt); NDManager m = NDManager.newBaseManager()) {
 *   PredictedModel p = PredictedModel.of(OnnxModel.read(Path.of("my-net.onnx")), ghn, m);
 *   p.calibrate(cifar10.train().subset(range(512)), cifar10.normalization(), m) // BN running statistics
 *       .writeOnnx(Path.of("my-net-ghn.onnx"));
 * }
 * }</pre>
 *
 * <p>The written ONNX file is the input model with its initializers replaced ({@link
 * NetworkExport#writeInto}; weights the file keeps transposed are written transposed, tensors the
 * exporter shared through {@code Identity} nodes get initializers of their own); its BatchNorm
 * nodes normalise with running statistics, which a GHN does not predict: {@link #calibrate}
 * re-estimates them, otherwise the file's own statistics stay.
 *
 * @param source the model the parameters were predicted for
 * @param export the predicted parameters (and statistics, once calibrated) on {@code
 *     source.graph()}
 */
public record PredictedModel(OnnxModel source, NetworkExport export) {

  /**
   * Predicts every parameter of {@code model} with {@code ghn}; the arrays live in {@code manager}.
   */
  public static PredictedModel of(OnnxModel model, Ghn ghn, NDManager manager) {
    return new PredictedModel(
        model, NetworkExport.of(ghn.predict(List.of(model.graph()), manager), 0, model.graph()));
  }

  /**
   * The same prediction with BatchNorm running statistics re-estimated on {@code images} (batches
   * of 64).
   */
  public PredictedModel calibrate(ImageSet images, Normalization norm, NDManager manager) {
    if (!export.hasBatchNorm()) {
      return this;
    }
    int batch = BnCalibration.DEFAULT_BATCH_SIZE;
    BnState stats =
        BnCalibration.calibrate(source.graph(), export.params(), images, batch, norm, manager);
    return new PredictedModel(source, export.withStats(stats, (images.size() + batch - 1) / batch));
  }

  /**
   * Writes the input model with the predicted initializers (and calibrated statistics), atomically.
   */
  public PredictedModel writeOnnx(Path file) throws IOException {
    // MatMul and Gemm(transB=0) keep a linear weight [out, in] as its transpose: write it back in
    // the file's layout
    Map<String, NDArray> inFileLayout = new LinkedHashMap<>(export.params());
    List<NDArray> transposed = new ArrayList<>();
    for (ParamBinding b : source.bindings()) {
      if (b.transposed()) {
        NDArray t = export.params().get(b.param()).transpose();
        transposed.add(t);
        inFileLayout.put(b.param(), t);
      }
    }
    try {
      new NetworkExport(export.graph(), inFileLayout, export.stats(), export.calibrationBatches())
          .writeInto(source.proto(), source.file().toAbsolutePath().getParent(), file);
    } finally {
      transposed.forEach(NDArray::close);
    }
    return this;
  }

  /** Writes the state_dict with PyTorch's names ({@link NetworkExport#writeSafetensors}). */
  public PredictedModel writeSafetensors(Path file) throws IOException {
    export.writeSafetensors(file);
    return this;
  }
}
