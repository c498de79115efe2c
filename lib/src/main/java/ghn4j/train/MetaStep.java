package ghn4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ghn4j.data.Batch;
import ghn4j.eval.Evaluator;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.nn.Scalars;
import ghn4j.optim.Adam;
import ghn4j.optim.ParamArrays;
import ghn4j.optim.ParamOptimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One GHN update as ppuda's {@code Trainer.update} makes it: predict every parameter of the
 * meta-batch's nets, run each net on the same images with batch statistics (and the classifier's
 * dropout unless switched off), average the cross-entropy over the nets, back-propagate into the
 * GHN, clip the global gradient norm, one {@link Adam} step. {@link MetaTrainer} runs it every
 * step; the training-trace parity check ({@code ghn4j.parity.TrainingTraceCheck}) runs the same
 * code on ppuda's recorded updates.
 *
 * <p>Memory: ppuda sums the nets' losses and runs one backward, so the activations of all nets of
 * the meta-batch are alive at once. Here each net's forward and backward run on detached copies of
 * its predicted tensors, only the gradients w.r.t. those tensors are kept and the net's activations
 * freed; at the end one backward of {@code Σ⟨p, ∂L/∂p⟩} sends them through the GHN. Same gradients
 * up to summation order (docs/differences.md).
 *
 * <p>Data parallelism: an update is {@link #gradients} (the gradient of a set of nets' summed loss,
 * a {@link GradientShard}) followed by {@link #apply} (mean, clipping, Adam). Shards of the parts
 * of a meta-batch — from worker threads ({@link #withWorkers}) or other processes — summed and
 * applied make the update of the whole meta-batch.
 *
 * <p>Why over ~350 lines: the one update has three ways to be computed that must give the same
 * gradients — in one thread, over worker threads with a GHN replica each, and as shards for other
 * processes — and keeping them in one class keeps that equality visible in one place.
 */
public final class MetaStep implements AutoCloseable {

  /**
   * What an update did.
   *
   * @param loss mean cross-entropy over the nets (NaN/infinite when the step failed on it)
   * @param accuracy top-1 accuracy in % over all nets' predictions
   * @param gradNorm the GHN's global gradient norm before clipping (NaN when the loss was not
   *     finite)
   * @param failure why no update was made ({@code null} when it was)
   */
  public record Outcome(double loss, double accuracy, double gradNorm, String failure) {

    /** Whether the weights were updated. */
    public boolean applied() {
      return failure == null;
    }
  }

  private final Ghn ghn;
  private final Map<String, NDArray> params;
  private final NDManager manager;
  private final OptimStep update;
  private final boolean classifierDropout;
  private Consumer<Map<String, NDArray>> gradientObserver;

  /** The timed parts of an update ({@link MetaTrainer.Phases}). */
  private enum Phase {
    GHN_FORWARD,
    NETS,
    GHN_BACKWARD,
    UPDATE
  }

  /** Where the last update's time went, by {@link Phase}. */
  private final long[] phaseNanos = new long[Phase.values().length];

  private boolean gcBeforeBackward;

  private static final long DROPOUT_STREAM = 0xD50;
  private int workers = 1;
  private int workerThreads = 1;
  private ExecutorService pool;
  private final List<NDManager> workerManagers = new ArrayList<>();
  private final List<long[]> workerPhases = new ArrayList<>();

  /**
   * @param ghn the GHN whose weights are updated in place
   * @param optimizer the optimiser over {@code ghn.parameters()} (ppuda: {@link Adam})
   * @param manager where each update's arrays live (a sub-manager per update)
   * @param gradClip the global gradient-norm limit (ppuda: 5)
   * @param classifierDropout whether the nets' classifier dropout is active (ppuda's training: yes;
   *     off only to compare with recorded updates, since random masks cannot be compared across
   *     frameworks)
   */
  public MetaStep(
      Ghn ghn,
      ParamOptimizer optimizer,
      NDManager manager,
      double gradClip,
      boolean classifierDropout) {
    this.ghn = Objects.requireNonNull(ghn, "ghn");
    this.params = ghn.parameters();
    this.manager = Objects.requireNonNull(manager, "manager");
    this.update = new OptimStep(params, optimizer, manager, gradClip);
    this.classifierDropout = classifierDropout;
  }

  /**
   * Hands the GHN's gradients (by parameter name, before clipping) to {@code observer} at every
   * update; the arrays are live and change afterwards, so copy what is needed. Returns this.
   */
  public MetaStep observeGradients(Consumer<Map<String, NDArray>> observer) {
    this.gradientObserver = observer;
    return this;
  }

  /**
   * Splits every meta-batch over {@code workers} threads (1 = on the calling thread), each running
   * {@code intraOpThreads} PyTorch intra-op threads; returns this. Worker {@code i} takes a
   * contiguous share of the nets, predicts them with its own {@link Ghn#replica} (on GPU {@code i
   * mod #GPUs} when the GHN is on a GPU) and returns its {@link GradientShard}; the shards are
   * summed in worker order. Choose {@code workers × intraOpThreads ≤ cores}: more threads than
   * cores only queue for them (and PyTorch's OpenMP threads spin while they wait).
   *
   * <p>Why the parallel sum equals the sequential one: the loss is a sum over nets, and each net's
   * term depends on the GHN weights only through its own predicted parameters (the GHN treats the
   * graphs of a meta-batch independently: message passing never crosses graphs, decoding and
   * normalisation act per tensor), so the gradient of the sum is the sum of the per-share
   * gradients; dropout masks are drawn per net from {@code (seed, net index)}, whichever worker
   * runs the net. The shares are fixed by the net order and summed in worker order ({@link
   * GradientShard#sum}), so the result does not depend on which thread finishes first. It differs
   * from the sequential step only by float rounding: the summation order, and the GHN forward run
   * per share rather than over the whole meta-batch (batched products round differently, ~1e-7
   * relative in the predicted parameters; nets with badly conditioned BatchNorm can amplify that in
   * their gradients). Tested: {@code ParallelMetaStepTest}, {@code MetaTrainerTest}, and the
   * training-trace parity check with two workers.
   */
  public MetaStep withWorkers(int workers, int intraOpThreads) {
    if (workers < 1 || intraOpThreads < 1) {
      throw new IllegalArgumentException(
          "workers and intra-op threads must be ≥ 1, got " + workers + " and " + intraOpThreads);
    }
    closeWorkers();
    this.workers = workers;
    this.workerThreads = intraOpThreads;
    return this;
  }

  /** Worker threads per meta-batch (1 = sequential on the calling thread). */
  public int workers() {
    return workers;
  }

  /**
   * Where the last update's time went, with {@code graphsSeconds} spent building its graphs (the
   * parallel phases: the slowest worker's).
   */
  MetaTrainer.Phases lastPhases(double graphsSeconds) {
    return new MetaTrainer.Phases(
        graphsSeconds,
        phaseNanos[Phase.GHN_FORWARD.ordinal()] / 1e9,
        phaseNanos[Phase.NETS.ordinal()] / 1e9,
        phaseNanos[Phase.GHN_BACKWARD.ordinal()] / 1e9,
        phaseNanos[Phase.UPDATE.ordinal()] / 1e9);
  }

  /**
   * Runs a full GC between each net's forward and backward ({@code
   * GcBetweenForwardAndBackwardTest}: it must not change the gradients). Returns this.
   */
  MetaStep collectGarbageBeforeBackward(boolean on) {
    this.gcBeforeBackward = on;
    return this;
  }

  /**
   * One update on {@code graphs} with {@code batch}'s images and labels at learning rate {@code
   * lr}; the dropout masks of net {@code k} come from {@code (dropoutSeed, k)}. No update is made
   * (and the outcome says why) when the loss or the gradient norm is not finite. Equals {@code
   * apply(gradients(graphs, batch, dropoutSeed), lr)}.
   */
  public Outcome run(List<Graph> graphs, Batch batch, double lr, long dropoutSeed) {
    GradientShard total = gradients(graphs, batch, dropoutSeed);
    return apply(total, lr);
  }

  /**
   * {@link #gradients(List, int, Batch, long)} of a whole meta-batch (or of the share that starts
   * at net 0).
   */
  public GradientShard gradients(List<Graph> graphs, Batch batch, long dropoutSeed) {
    return gradients(graphs, 0, batch, dropoutSeed);
  }

  /**
   * The GHN gradient of the summed loss of {@code graphs} — a whole meta-batch or one share of it,
   * whose first net is net {@code firstNet} of the meta-batch — on {@code batch}, without changing
   * the GHN: shards of the parts of a meta-batch, summed and handed to {@link #apply}, give the
   * update {@link #run} makes with the whole meta-batch (up to float summation order). Net {@code
   * k} of the meta-batch draws its dropout masks (when dropout is on) from {@code (dropoutSeed,
   * k)}, so a net's masks do not depend on how the meta-batch is split. A net whose loss is not
   * finite ends the shard early with a non-finite {@link GradientShard#lossSum()}, and applying it
   * makes no update, as ppuda. With {@link #withWorkers workers} the share is split again over
   * threads.
   */
  public GradientShard gradients(List<Graph> graphs, int firstNet, Batch batch, long dropoutSeed) {
    if (workers <= 1 || graphs.size() < 2) {
      return shardOf(ghn, manager, graphs, firstNet, batch, dropoutSeed, phaseNanos);
    }
    return parallelShard(graphs, firstNet, batch, dropoutSeed);
  }

  /**
   * The update from the gradient of a whole meta-batch ({@code total}, the sum of its shards): mean
   * over {@code total.nets()} nets, clipping of the global norm to the step's limit, one Adam step
   * at {@code lr} — exactly what {@link #run} does after its backward pass. No update when the loss
   * sum or the gradient norm is not finite.
   *
   * @throws IllegalArgumentException when {@code total}'s parameters are not this GHN's (names or
   *     sizes)
   */
  public Outcome apply(GradientShard total, double lr) {
    long t0 = System.nanoTime();
    if (!total.names().equals(new ArrayList<>(params.keySet()))) {
      throw new IllegalArgumentException(
          "gradient shard for another GHN: "
              + total.names().size()
              + " parameters, this GHN has "
              + params.size());
    }
    int n = Math.max(1, total.nets());
    double loss = total.lossSum() / n;
    double accuracy = total.lossFinite() ? 100.0 * total.correct() / total.examples() : Double.NaN;
    try (OptimStep.Scope s = update.open()) {
      OptimStep.Outcome o = s.update(loss, () -> meanGradients(total, n, s.manager()), lr);
      return new Outcome(o.loss(), accuracy, o.gradNorm(), o.failure());
    } finally {
      phaseNanos[Phase.UPDATE.ordinal()] = System.nanoTime() - t0;
    }
  }

  /** {@code total}'s gradients divided by {@code n}, as arrays on the GHN's device in {@code m}. */
  private Map<String, NDArray> meanGradients(GradientShard total, int n, NDManager m) {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      float[] g = total.gradient(i++);
      NDArray p = e.getValue();
      if (g.length != p.size()) {
        throw new IllegalArgumentException(
            "gradient shard: "
                + e.getKey()
                + " has "
                + g.length
                + " values, the GHN's tensor "
                + p.getShape());
      }
      NDArray sum;
      try (NDArray host = m.create(g, p.getShape())) {
        sum =
            host.toDevice(p.getDevice(), false)
                .duplicate(); // own native storage (DEVELOPERS.md: from_blob)
      }
      grads.put(e.getKey(), Scalars.div(sum, n));
    }
    if (gradientObserver != null) {
      gradientObserver.accept(grads);
    }
    return grads;
  }

  /**
   * Index of the first net of share {@code i} when {@code nets} nets of a meta-batch are split into
   * {@code shares} contiguous shares (share {@code i} ends where share {@code i + 1} starts): the
   * one split of the parallel workers and of Spark's tasks, so a net's share does not depend on who
   * computes it.
   */
  public static int shareStart(int i, int shares, int nets) {
    return i * nets / shares;
  }

  private GradientShard parallelShard(
      List<Graph> graphs, int firstNet, Batch batch, long dropoutSeed) {
    int w = Math.min(workers, graphs.size());
    startWorkers();
    List<Future<GradientShard>> futures = new ArrayList<>();
    for (int i = 0; i < w; i++) {
      int from = shareStart(i, w, graphs.size());
      int to = shareStart(i + 1, w, graphs.size());
      int worker = i;
      List<Graph> share = graphs.subList(from, to);
      futures.add(
          pool.submit(
              () -> {
                if (JniUtils.getNumThreads() != workerThreads) {
                  JniUtils.setNumThreads(
                      workerThreads); // PyTorch's intra-op thread count is per calling thread
                }
                try (NDManager wm = workerManagers.get(worker).newSubManager()) {
                  Ghn replica = ghn.replica(wm);
                  return shardOf(
                      replica,
                      wm,
                      share,
                      firstNet + from,
                      batch,
                      dropoutSeed,
                      workerPhases.get(worker));
                }
              }));
    }
    List<GradientShard> shards = new ArrayList<>();
    try {
      for (Future<GradientShard> f : futures) {
        shards.add(f.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the meta-batch workers ran", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("meta-batch worker failed", e.getCause());
    }
    // the phases of the slowest worker per phase: the parallel part's critical path, roughly
    for (int k = Phase.GHN_FORWARD.ordinal(); k <= Phase.GHN_BACKWARD.ordinal(); k++) {
      long max = 0;
      for (int i = 0; i < w; i++) {
        max = Math.max(max, workerPhases.get(i)[k]);
      }
      phaseNanos[k] = max;
    }
    return GradientShard.sum(shards);
  }

  private void startWorkers() {
    if (pool != null) {
      return;
    }
    Device home = manager.getDevice();
    int gpus = home.isGpu() ? Engine.getInstance().getGpuCount() : 0;
    for (int i = 0; i < workers; i++) {
      Device d = gpus > 1 ? Device.gpu(i % gpus) : home;
      workerManagers.add(NDManager.newBaseManager(d));
      workerPhases.add(new long[Phase.values().length]);
    }
    int[] next = {0};
    pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "ghn4j-meta-worker-" + next[0]++);
              t.setDaemon(true);
              return t;
            });
  }

  private void closeWorkers() {
    if (pool != null) {
      pool.shutdownNow();
      pool = null;
    }
    workerManagers.forEach(NDManager::close);
    workerManagers.clear();
    workerPhases.clear();
  }

  /**
   * Stops the worker threads and frees their managers (a sequential step holds nothing to close).
   */
  @Override
  public void close() {
    closeWorkers();
  }

  /**
   * The shard of {@code graphs} computed with {@code on} (the GHN or a worker's replica) in a
   * sub-manager of {@code m}, on the calling thread; leaves {@code on}'s gradients zero.
   */
  private GradientShard shardOf(
      Ghn on,
      NDManager m,
      List<Graph> graphs,
      int firstNet,
      Batch batch,
      long dropoutSeed,
      long[] phases) {
    Map<String, NDArray> weights = on.parameters();
    try (NDManager sm = m.newSubManager();
        NDScope ignored = new NDScope()) {
      NDArray x = batch.images(sm);
      NDArray y = batch.labels(sm);
      NDArray yCol = y.reshape(y.size(), 1);
      Mode mode = Mode.batchStats().withDropout(classifierDropout);
      long correct = 0;
      double lossSum = 0;
      long tPhase = System.nanoTime();
      try (Backprop bp = new Backprop()) {
        Predictions p = on.predict(graphs, sm);
        tPhase = lap(phases, Phase.GHN_FORWARD, tPhase);
        List<NDArray> predicted = new ArrayList<>();
        List<NDArray> predictedGrads = new ArrayList<>();
        for (int i = 0; i < graphs.size() && Double.isFinite(lossSum); i++) {
          double ceValue;
          try (NDScope netScope = new NDScope()) { // frees the net's activations after its backward
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : p.params(i).entrySet()) {
              NDArray leaf = e.getValue().stopGradient();
              leaf.setRequiresGradient(true);
              leaves.put(e.getKey(), leaf);
            }
            Mode netMode =
                mode.withDropoutSeed(Seeds.mix(dropoutSeed, firstNet + i, DROPOUT_STREAM));
            NDArray logits = new GraphExecutor(graphs.get(i)).forward(x, leaves, netMode);
            NDArray ce = Losses.crossEntropy(logits, yCol);
            ceValue = ce.getFloat();
            correct += Evaluator.countCorrect(logits, batch.labels());
            if (Double.isFinite(ceValue)) {
              if (gcBeforeBackward) {
                System.gc();
              }
              bp.backward(ce);
              for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
                NDArray g = e.getValue().getGradient();
                NDScope.unregister(g); // not freed with the net: lives on in the step's manager
                predicted.add(p.params(i).get(e.getKey()));
                predictedGrads.add(g);
              }
            }
          }
          lossSum += ceValue;
        }
        tPhase = lap(phases, Phase.NETS, tPhase);
        if (Double.isFinite(lossSum)) {
          // d/dθ Σ_k <p_k(θ), g_k> = Σ_k J_kᵀ g_k: the GHN's gradient for the nets' summed loss
          NDArray surrogate = null;
          for (int k = 0; k < predicted.size(); k++) {
            NDArray dot = predicted.get(k).mul(predictedGrads.get(k)).sum();
            surrogate = surrogate == null ? dot : surrogate.add(dot);
          }
          if (surrogate != null) {
            bp.backward(surrogate);
          }
        }
      }
      List<String> names = new ArrayList<>(weights.keySet());
      float[][] g = new float[names.size()][];
      int k = 0;
      for (NDArray w : weights.values()) {
        g[k++] =
            Double.isFinite(lossSum) && w.hasGradient()
                ? w.getGradient().toFloatArray()
                : new float[Math.toIntExact(w.size())];
      }
      lap(phases, Phase.GHN_BACKWARD, tPhase);
      return new GradientShard(
          names, g, lossSum, correct, (long) batch.size() * graphs.size(), graphs.size());
    } finally {
      for (NDArray w : weights.values()) {
        ParamArrays.zeroGrad(w);
      }
    }
  }

  private static long lap(long[] phases, Phase phase, long since) {
    long now = System.nanoTime();
    phases[phase.ordinal()] = now - since;
    return now;
  }
}
