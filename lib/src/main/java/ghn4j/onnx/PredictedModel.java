package ghn4j.onnx;

import ai.djl.ndarray.NDManager;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.ghn.Ghn;
import ghn4j.nn.BnState;
import ghn4j.train.BnCalibration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A user's ONNX model with every trainable parameter predicted by a GHN: the one call chain for "my network in,
 * parameters out".
 *
 * <pre>{@code
 * try (Ghn ghn = Ghn.load(ckpt); NDManager m = NDManager.newBaseManager()) {
 *   PredictedModel p = PredictedModel.of(OnnxModel.read(Path.of("my-net.onnx")), ghn, m);
 *   p.calibrate(cifar10.train().subset(range(512)), cifar10.normalization(), m) // BN running statistics
 *       .writeOnnx(Path.of("my-net-ghn.onnx"));
 * }
 * }</pre>
 *
 * <p>The written ONNX file is the input model with its initializers replaced ({@link NetworkExport#writeInto}); its
 * BatchNorm nodes normalise with running statistics, which a GHN does not predict: {@link #calibrate} re-estimates
 * them, otherwise the file's own statistics stay.
 *
 * @param source the model the parameters were predicted for
 * @param export the predicted parameters (and statistics, once calibrated) on {@code source.graph()}
 */
public record PredictedModel(OnnxModel source, NetworkExport export) {

  /** Predicts every parameter of {@code model} with {@code ghn}; the arrays live in {@code manager}. */
  public static PredictedModel of(OnnxModel model, Ghn ghn, NDManager manager) {
    return new PredictedModel(model, NetworkExport.of(ghn.predict(List.of(model.graph()), manager), 0,
        model.graph()));
  }

  /** The same prediction with BatchNorm running statistics re-estimated on {@code images} (batches of 64). */
  public PredictedModel calibrate(ImageSet images, Normalization norm, NDManager manager) {
    if (!export.hasBatchNorm()) {
      return this;
    }
    int batch = BnCalibration.DEFAULT_BATCH_SIZE;
    BnState stats = BnCalibration.calibrate(source.graph(), export.params(), images, batch, norm, manager);
    return new PredictedModel(source, export.withStats(stats, (images.size() + batch - 1) / batch));
  }

  /** Writes the input model with the predicted initializers (and calibrated statistics), atomically. */
  public PredictedModel writeOnnx(Path file) throws IOException {
    export.writeInto(source.proto(), source.file().toAbsolutePath().getParent(), file);
    return this;
  }

  /** Writes the state_dict with PyTorch's names ({@link NetworkExport#writeSafetensors}). */
  public PredictedModel writeSafetensors(Path file) throws IOException {
    export.writeSafetensors(file);
    return this;
  }
}
