package ghn4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ghn4j.data.Batch;
import ghn4j.data.BatchLoader;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.optim.ParamArrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Evaluates parameters predicted by a GHN (or any parameters) on an image set the way ppuda's
 * {@code eval_ghn.py} does: top-1 accuracy over the test images (in the fixed, class-mixing order
 * of {@link EvalOrder}, where ppuda takes the official test set's stored order), batch 64,
 * BatchNorm in batch-statistics mode (ppuda sets {@code track_running_stats = False} on predicted
 * nets), one net at a time. Per-split results are summarised as mean ± standard error (population
 * std / √n, ppuda's {@code AvgrageMeter('se')}) — the shape of the paper's Table 2.
 *
 * <p>For notebooks: {@link #accuracy} and {@link #predictAndEvaluate}. For the CLI: {@link
 * #evaluate}.
 */
public final class Evaluator {

  /** ppuda's {@code --test_batch_size} default. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  private Evaluator() {}

  /** Accuracy and timing of one net with predicted parameters. */
  public record Evaluation(double accuracy, double predictSeconds, double evalSeconds) {}

  /** One row of a split evaluation (JSON line / CSV row). */
  public record NetResult(
      String split,
      String net,
      long params,
      int nodes,
      double accuracy,
      double predictSeconds,
      double evalSeconds) {}

  /** Mean ± standard error of a split's accuracies (Table 2 cell). */
  public record Summary(
      String split, int nets, double mean, double stdErr, double meanPredictSeconds) {
    @Override
    public String toString() {
      return String.format(
          "%s: %.1f ± %.1f %% top-1 over %d nets (prediction %.3f s/net)",
          split, mean, stdErr, nets, meanPredictSeconds);
    }
  }

  /**
   * Top-1 accuracy (%) of {@code graph} with {@code params} on {@code images} (CIFAR-10
   * normalisation, in {@link EvalOrder}, batches of {@code batchSize}), BatchNorm with batch
   * statistics. Parameters are only read.
   */
  public static double accuracy(
      Graph graph, Map<String, NDArray> params, ImageSet images, int batchSize) {
    return accuracy(graph, params, images, batchSize, Normalization.cifar10(), Mode.batchStats());
  }

  /** {@link #accuracy(Graph, Map, ImageSet, int)} with another normalisation and BatchNorm mode. */
  public static double accuracy(
      Graph graph,
      Map<String, NDArray> params,
      ImageSet images,
      int batchSize,
      Normalization normalization,
      Mode mode) {
    GraphExecutor exec = new GraphExecutor(graph);
    // a fixed shuffle, not the stored order: with batch statistics a one-class batch loses its
    // class
    BatchLoader loader = BatchLoader.forTesting(EvalOrder.of(images), batchSize, normalization);
    long correct = 0;
    boolean gradMode = ParamArrays.setGradMode(false);
    try (NDManager m = Devices.newManager();
        BatchLoader.Prefetch batches = loader.epoch(0, 2)) {
      while (batches.hasNext()) {
        Batch b = batches.next();
        try (NDManager step = m.newSubManager()) {
          NDArray x = b.images(step);
          NDArray logits = exec.forward(x, params, mode);
          correct += countCorrect(logits, b.labels());
        }
      }
    } finally {
      ParamArrays.setGradMode(gradMode);
    }
    return 100.0 * correct / images.size();
  }

  /** Number of rows whose arg-max equals the label (also the training accuracy of a batch). */
  public static long countCorrect(NDArray logits, long[] labels) {
    long[] pred = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
    long c = 0;
    for (int i = 0; i < labels.length; i++) {
      if (pred[i] == labels[i]) {
        c++;
      }
    }
    return c;
  }

  /**
   * Predicts {@code graph}'s parameters with {@code ghn} (timed, no gradients) and evaluates them
   * (CIFAR-10).
   */
  public static Evaluation predictAndEvaluate(
      Ghn ghn, Graph graph, ImageSet images, int batchSize) {
    return predictAndEvaluate(ghn, graph, images, batchSize, Normalization.cifar10());
  }

  /**
   * As {@link #predictAndEvaluate(Ghn, Graph, ImageSet, int)} with the images' own normalisation.
   */
  public static Evaluation predictAndEvaluate(
      Ghn ghn, Graph graph, ImageSet images, int batchSize, Normalization normalization) {
    boolean gradMode = ParamArrays.setGradMode(false);
    try (NDManager m = Devices.newManager()) {
      long t0 = System.nanoTime();
      Predictions p = ghn.predict(List.of(graph), m);
      Map<String, NDArray> params = p.params(0);
      // force the lazy work to finish before stopping the clock
      for (NDArray a : params.values()) {
        a.getShape();
      }
      double predict = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      double acc = accuracy(graph, params, images, batchSize, normalization, Mode.batchStats());
      return new Evaluation(acc, predict, (System.nanoTime() - t1) / 1e9);
    } finally {
      ParamArrays.setGradMode(gradMode);
    }
  }

  /**
   * Evaluates every net of a split (one at a time, as ppuda), calling {@code onEach} after each
   * (for JSON lines / CSV / progress), and returns the rows.
   */
  public static List<NetResult> evaluate(
      Ghn ghn,
      String split,
      List<NamedGraph> nets,
      ImageSet images,
      int batchSize,
      Consumer<NetResult> onEach) {
    return evaluate(ghn, split, nets, images, batchSize, Normalization.cifar10(), onEach);
  }

  /**
   * As {@link #evaluate(Ghn, String, List, ImageSet, int, Consumer)} with the images' own
   * normalisation.
   */
  public static List<NetResult> evaluate(
      Ghn ghn,
      String split,
      List<NamedGraph> nets,
      ImageSet images,
      int batchSize,
      Normalization normalization,
      Consumer<NetResult> onEach) {
    return evaluate(ghn, split, nets, images, batchSize, normalization, 1, 1, onEach);
  }

  /**
   * As {@link #evaluate(Ghn, String, List, ImageSet, int, Normalization, Consumer)} with the nets
   * evaluated on {@code workers} threads of {@code intraOpThreads} intra-op threads each ({@link
   * NetWorkers}): the same rows in the same order ({@code onEach} is called in net order), only the
   * timings differ. The GHN is shared read-only (no autograd), each net's arrays live in its own
   * manager.
   */
  public static List<NetResult> evaluate(
      Ghn ghn,
      String split,
      List<NamedGraph> nets,
      ImageSet images,
      int batchSize,
      Normalization normalization,
      int workers,
      int intraOpThreads,
      Consumer<NetResult> onEach) {
    return NetWorkers.map(
        nets,
        workers,
        intraOpThreads,
        n -> {
          Evaluation e = predictAndEvaluate(ghn, n.graph(), images, batchSize, normalization);
          return new NetResult(
              split,
              n.name(),
              n.numParams(),
              n.numNodes(),
              e.accuracy(),
              e.predictSeconds(),
              e.evalSeconds());
        },
        onEach);
  }

  /** Mean ± standard error of the accuracies (population std / √n, as ppuda). */
  public static Summary summarize(String split, List<NetResult> results) {
    int n = results.size();
    if (n == 0) {
      return new Summary(split, 0, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = results.stream().mapToDouble(NetResult::accuracy).average().orElseThrow();
    double var =
        results.stream().mapToDouble(r -> (r.accuracy() - mean) * (r.accuracy() - mean)).sum() / n;
    double pt = results.stream().mapToDouble(NetResult::predictSeconds).average().orElseThrow();
    return new Summary(split, n, mean, Math.sqrt(var) / Math.sqrt(n), pt);
  }
}
