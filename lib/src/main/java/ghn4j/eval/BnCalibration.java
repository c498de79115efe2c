package ghn4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.data.Batch;
import ghn4j.data.BatchLoader;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.KernelRegistry;
import ghn4j.nn.Mode;
import ghn4j.nn.OpKernel;
import ghn4j.optim.ParamArrays;
import java.util.HashMap;
import java.util.Map;

/**
 * BatchNorm recalibration: estimates the running statistics of a network whose parameters came from
 * elsewhere (a GHN predicts no running statistics; ppuda evaluates with batch statistics), so that
 * it also works in evaluation mode and can be exported for inference. Standard recalibration, as
 * PyTorch with {@code momentum=None} ({@code torch.optim.swa_utils.update_bn}): the buffers are
 * reset, the images run through the network in batches, and every BatchNorm's running mean /
 * variance becomes the plain average over the batches of its batch mean / unbiased batch variance.
 *
 * <p>Deliberate difference from {@code update_bn}, which puts the whole model in {@code train()}:
 * dropout stays off while calibrating, so the statistics are those of the network as it runs at
 * inference.
 */
public final class BnCalibration {

  /** Batch size of calibration passes when none is given. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  private BnCalibration() {}

  /**
   * Running statistics of {@code graph} with {@code params} from the images of {@code images} (in
   * {@link EvalOrder}, test-time transforms: normalisation only), in {@code manager}. Layers
   * without running statistics in PyTorch ({@code 'bn'}) are calibrated too: run the network as
   * {@link BnState#trackingAll} to use them. Parameters are only read; no gradients are recorded.
   */
  public static BnState calibrate(
      Graph graph,
      Map<String, NDArray> params,
      ImageSet images,
      int batchSize,
      Normalization normalization,
      NDManager manager) {
    DataType dtype =
        params.values().stream().findFirst().map(NDArray::getDataType).orElse(DataType.FLOAT32);
    BnState state = BnState.initial(graph, manager, dtype);
    Map<String, NDArray[]> sums = new HashMap<>();
    int[] batches = {0};
    OpKernel bn = KernelRegistry.standard().kernelFor(new Ops.BatchNorm(1e-5, 0.1)).orElseThrow();
    KernelRegistry registry =
        KernelRegistry.standard()
            .with(
                Ops.BatchNorm.class,
                (node, in, p, mode) -> {
                  accumulate(node, in.get(0), sums, manager);
                  return bn.apply(node, in, p, Mode.batchStats());
                });
    GraphExecutor exec = new GraphExecutor(graph, registry);
    // a fixed shuffle (EvalOrder): class-sorted batches would average within-class variances
    BatchLoader loader = BatchLoader.forTesting(EvalOrder.of(images), batchSize, normalization);
    boolean grad = ParamArrays.setGradMode(false);
    try (NDManager m = Devices.newManager();
        BatchLoader.Prefetch it = loader.epoch(0, 2)) {
      while (it.hasNext()) {
        Batch b = it.next();
        try (NDManager step = m.newSubManager()) {
          NDArray x = b.images(step);
          NDArray xt = dtype == DataType.FLOAT32 ? x : x.toType(dtype, false);
          exec.forward(xt, params, Mode.batchStats());
          batches[0]++;
        }
      }
    } finally {
      ParamArrays.setGradMode(grad);
    }
    for (Node n : graph.nodes()) {
      NDArray[] s = sums.get(n.name());
      if (s == null) {
        continue;
      }
      // momentum=None: the running value is the cumulative average over the calibration batches
      try (NDArray mean = s[0].div(batches[0]);
          NDArray var = s[1].div(batches[0])) {
        ParamArrays.copyInto(mean, state.runningMean(n.name()), "running_mean of " + n.name());
        ParamArrays.copyInto(var, state.runningVar(n.name()), "running_var of " + n.name());
      }
      s[0].close();
      s[1].close();
    }
    return state;
  }

  /**
   * Adds this batch's per-channel mean and unbiased variance of {@code x} ([N, C, ...]) to the
   * node's sums.
   */
  private static void accumulate(
      Node node, NDArray x, Map<String, NDArray[]> sums, NDManager manager) {
    Shape s = x.getShape();
    long c = s.get(1);
    long count = s.size() / c;
    if (count < 2) {
      throw new IllegalArgumentException(
          "BatchNorm "
              + node.name()
              + ": one value per channel in a calibration "
              + "batch (shape "
              + s
              + "); use larger batches");
    }
    try (NDArray cFirst = x.swapAxes(0, 1);
        NDArray flat = cFirst.reshape(c, -1);
        NDArray mean = flat.mean(new int[] {1});
        NDArray mean2 = mean.reshape(c, 1);
        NDArray d = flat.sub(mean2);
        NDArray sq = d.square();
        NDArray ss = sq.sum(new int[] {1});
        NDArray var = ss.div(count - 1)) {
      NDArray[] acc = sums.get(node.name());
      if (acc == null) {
        NDArray m0 = mean.duplicate();
        NDArray v0 = var.duplicate();
        m0.attach(manager);
        v0.attach(manager);
        sums.put(node.name(), new NDArray[] {m0, v0});
      } else {
        acc[0].addi(mean);
        acc[1].addi(var);
      }
    }
  }
}
