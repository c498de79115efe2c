package ghn4j.properties;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import ghn4j.eval.NetWorkers;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.nn.Mode;
import ghn4j.train.SgdTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains networks with SGD under a {@link Budget} and measures the paper's four properties, as
 * ppuda's {@code train_net.py} runs give them: clean accuracy and accuracy under Gaussian noise
 * (ppuda's {@code transforms_cifar(noise=True)}: {@code clip(x + N(0, 0.08²), 0, 1)} on [0, 1]
 * pixels, before normalisation) with BatchNorm's running statistics ({@code model.eval()}),
 * inference throughput, and convergence speed.
 *
 * <p>Differences from the paper: properties are measured on a narrow net after a short run on an
 * n-shot subset (the paper: full training for 50 epochs at the published width); accuracies are on
 * a fixed subset of the test images (the paper: on its 5,000 validation images); the noise is drawn
 * once with a fixed seed and shared by all nets; time is CPU images/s (the paper: GPU); convergence
 * is defined by us on the per-epoch training accuracy (ppuda's code for it is not published).
 */
public final class GroundTruth {

  /** Inference batch size for the time measurement (ppuda's test batch size). */
  public static final int TIME_BATCH = 64;

  private final Budget budget;
  private final ImageSet train;
  private final ImageSet test;
  private float[] noisyTest;

  /** Ground truth on {@code train} / {@code test} subsets already chosen by the caller. */
  public GroundTruth(Budget budget, ImageSet train, ImageSet test) {
    this.budget = budget;
    this.train = train;
    this.test = test;
  }

  /**
   * The budget's subsets of CIFAR-10: {@code trainPerClass} per class drawn with the seed, a fixed
   * test subset.
   */
  public static GroundTruth of(Budget budget, ImageSet cifarTrain, ImageSet cifarTest) {
    return new GroundTruth(
        budget,
        cifarTrain.stratified(budget.trainPerClass(), budget.seed()),
        cifarTest.stratified(budget.testPerClass(), 0));
  }

  public Budget budget() {
    return budget;
  }

  public ImageSet trainImages() {
    return train;
  }

  public ImageSet testImages() {
    return test;
  }

  /**
   * {@code args} at the budget's width: the network that is trained, and whose graph the features
   * describe.
   */
  public NetArgs narrow(NetArgs args) {
    return args.withC(budget.width());
  }

  /**
   * Trains and measures every net of {@code nets} not yet in {@code cache}, one at a time,
   * appending each record before starting the next; {@code onEach} sees every record, cached or
   * new, in order.
   */
  public List<NetProperties> run(
      String split, List<SampledNet> nets, PropertyCache cache, Consumer<NetProperties> onEach)
      throws IOException {
    return run(split, nets, cache, 1, 1, onEach);
  }

  /**
   * As {@link #run(String, List, PropertyCache, Consumer)} with the nets trained on {@code workers}
   * threads of {@code intraOpThreads} intra-op threads each ({@link NetWorkers}). Records are
   * appended to the cache in net order as soon as a net and all before it are done, so the cache
   * file is the sequential run's; a kill loses at most the finished nets still waiting for an
   * earlier one (they are trained again on resume). The accuracies, convergence and counts equal
   * the sequential ones (each net's initialisation, data order and dropout derive from the budget's
   * seed alone); the timings ({@code images_per_second}, {@code train_seconds}) are measured while
   * other workers run, so measure the speed property with {@code workers = 1}.
   */
  public List<NetProperties> run(
      String split,
      List<SampledNet> nets,
      PropertyCache cache,
      int workers,
      int intraOpThreads,
      Consumer<NetProperties> onEach)
      throws IOException {
    noisyTest(); // drawn once, before any worker reads it
    List<SampledNet> todo = nets.stream().filter(n -> cache.get(split, n.index()) == null).toList();
    Map<Integer, NetProperties> fresh = new HashMap<>();
    List<NetProperties> out = new ArrayList<>();
    // hands the records to onEach in net order, as far as they are known (cached or freshly
    // measured)
    Runnable emit =
        () -> {
          while (out.size() < nets.size()) {
            int index = nets.get(out.size()).index();
            NetProperties p = fresh.containsKey(index) ? fresh.get(index) : cache.get(split, index);
            if (p == null) {
              return;
            }
            out.add(p);
            if (onEach != null) {
              onEach.accept(p);
            }
          }
        };
    emit.run();
    try {
      NetWorkers.map(
          todo,
          workers,
          intraOpThreads,
          n -> measure(split, n.index(), n.args()),
          p -> {
            try {
              cache.append(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            fresh.put(p.index(), p);
            emit.run();
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    emit.run();
    return out;
  }

  /**
   * Trains net {@code index} of {@code split} (given by its arguments at any width) and measures
   * it.
   */
  public NetProperties measure(String split, int index, NetArgs args) {
    long t0 = System.nanoTime();
    Graph graph = NetworkBuilder.graph(narrow(args));
    Graph view = graph.primitiveView();
    try (SgdTrainer t = SgdTrainer.fromInit(graph, budget.sgd())) {
      List<Double> curve = new ArrayList<>();
      try {
        // no per-epoch test pass (it would cost as much as the training here): the curve is the
        // training accuracy
        // of each epoch, as ppuda's extended results record it (training_acc per epoch)
        t.run(train, null, null, r -> curve.add(r.trainAcc()));
      } catch (IOException e) {
        throw new IllegalStateException("unreachable: no metrics file", e);
      }
      double[] eval = evaluate(t);
      return new NetProperties(
          split,
          index,
          budget.tag(),
          budget.width(),
          graph.numParams(),
          view.size(),
          Features.depth(view),
          eval[0],
          eval[1],
          eval[2],
          convergeTime(curve, budget.convergeFraction()),
          curve,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Fraction of the epochs after which the (training) accuracy first reaches {@code fraction} × its
   * final value: (first epoch e, 1-based, with curve[e] ≥ fraction · curve[last]) / epochs.
   */
  public static double convergeTime(List<Double> curve, double fraction) {
    double target = fraction * curve.get(curve.size() - 1);
    for (int e = 0; e < curve.size(); e++) {
      if (curve.get(e) >= target) {
        return (e + 1.0) / curve.size();
      }
    }
    return 1.0;
  }

  /** {clean accuracy %, noisy accuracy %, images/s} of the trained net in eval mode. */
  private double[] evaluate(SgdTrainer t) {
    float[] noisy = noisyTest();
    Normalization norm = Normalization.cifar10();
    int per = test.channels() * test.height() * test.width();
    long correctClean = 0;
    long correctNoisy = 0;
    long timedImages = 0;
    long timedNanos = 0;
    Mode mode = Mode.eval(t.bnState());
    try (NDManager m = Devices.newManager()) {
      for (int start = 0, b = 0; start < test.size(); start += TIME_BATCH, b++) {
        int n = Math.min(TIME_BATCH, test.size() - start);
        int[] idx = new int[n];
        long[] labels = new long[n];
        for (int k = 0; k < n; k++) {
          idx[k] = start + k;
          labels[k] = test.label(start + k);
        }
        try (NDManager step = m.newSubManager()) {
          NDArray x = test.toNDArray(step, idx, true);
          if (b == 0) { // an untimed pass first: warms up the executor and the engine
            t.forward(x, mode).argMax(1).toLongArray();
          }
          long s = System.nanoTime();
          long[] pred = t.forward(x, mode).argMax(1).toType(DataType.INT64, false).toLongArray();
          timedNanos += System.nanoTime() - s;
          timedImages += n;
          correctClean += count(pred, labels);
          float[] xs = new float[n * per];
          System.arraycopy(noisy, start * per, xs, 0, n * per);
          normalizeInPlace(xs, norm, test.channels(), test.height() * test.width());
          NDArray xn = step.create(xs, new Shape(n, test.channels(), test.height(), test.width()));
          correctNoisy +=
              count(
                  t.forward(xn, mode).argMax(1).toType(DataType.INT64, false).toLongArray(),
                  labels);
        }
      }
    }
    double ips = timedImages / (timedNanos / 1e9);
    return new double[] {
      100.0 * correctClean / test.size(), 100.0 * correctNoisy / test.size(), ips
    };
  }

  /**
   * The test images in [0, 1] with the noise added and clipped, drawn once (seed: the budget's).
   */
  private synchronized float[] noisyTest() {
    if (noisyTest == null) {
      try (NDManager m = Devices.newManager()) {
        float[] x = test.toNDArray(m, false).toFloatArray();
        Random rng = new Random(budget.seed() * 31 + 0x6E6F697365L);
        for (int i = 0; i < x.length; i++) {
          double v = x[i] + rng.nextGaussian() * budget.noiseStd();
          x[i] = (float) Math.min(1, Math.max(0, v));
        }
        noisyTest = x;
      }
    }
    return noisyTest;
  }

  private static void normalizeInPlace(float[] x, Normalization norm, int channels, int plane) {
    for (int i = 0; i < x.length; i++) {
      int c = (i / plane) % channels;
      x[i] = (x[i] - norm.mean()[c]) / norm.std()[c];
    }
  }

  private static long count(long[] pred, long[] labels) {
    long c = 0;
    for (int i = 0; i < labels.length; i++) {
      if (pred[i] == labels[i]) {
        c++;
      }
    }
    return c;
  }
}
