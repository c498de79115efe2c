package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.data.Batch;
import ghn4j.data.BatchLoader;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.nn.ParamInit;
import ghn4j.nn.Reinit;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains one network (any {@link Graph}: zoo, DeepNets-1M, ViT, DARTS) on images with ppuda's
 * {@code train_net.py} recipe ({@link SgdConfig}), from torchvision-style He initialisation ({@link
 * #fromInit}) or from parameters predicted by a GHN ({@link #fromGhn}, the paper's fine-tuning
 * experiments). BatchNorm trains with batch statistics and updates running statistics ({@link
 * Mode#train}); every epoch ends with an evaluation on the test images using the running statistics
 * ({@link Mode#eval}), as a PyTorch {@code model.eval()}.
 *
 * <p>Reproducibility: initialisation, data order and augmentation ({@link BatchLoader}) and dropout
 * (masks drawn per step from {@code (seed, global step)}, {@link Mode#withDropoutSeed}) derive from
 * {@link SgdConfig#seed}, so two runs give the same metrics, also when several trainers run on
 * parallel threads (autograd is per thread: {@code Backprop}). With a checkpoint file, {@link #run}
 * writes one after every epoch (parameters, initial parameters, BatchNorm running statistics,
 * optimizer state, epoch; one safetensors file, atomically), and {@link #resume} continues with the
 * same losses as an uninterrupted run: the data order and augmentation are pure functions of {@code
 * (seed, epoch, step)}, so the epoch is all the loader state there is.
 *
 * <p>Memory: parameters, running statistics and optimizer state live in this trainer's manager;
 * every step's arrays in a sub-manager and an {@link NDScope}, so resident memory stays flat over
 * epochs.
 */
public final class SgdTrainer implements AutoCloseable {

  /** File names inside a run directory. */
  public static final String CONFIG = "config.json";

  public static final String METRICS = "metrics.jsonl";
  public static final String CHECKPOINT = "checkpoint.safetensors";
  private static final String FORMAT = "ghn4j-sgd-checkpoint/1";
  private static final long DROPOUT_STREAM = 0xD50;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What one epoch did: mean train loss and accuracy (%), test accuracy (%; NaN without test
   * images).
   */
  public record EpochResult(
      int epoch,
      double trainLoss,
      double trainAcc,
      double testAcc,
      double lr,
      double seconds,
      int skippedSteps) {

    /** The metrics line ({@code metrics.jsonl}). */
    public ObjectNode toJson() {
      ObjectNode o = JSON.createObjectNode();
      o.put("epoch", epoch);
      o.put("train_loss", trainLoss);
      o.put("train_acc", trainAcc);
      o.put("test_acc", testAcc);
      o.put("lr", lr);
      o.put("seconds", seconds);
      o.put("skipped_steps", skippedSteps);
      o.put("rss_mb", ProcStatus.rssMb());
      return o;
    }
  }

  private final SgdConfig config;
  private final Graph graph;
  private final GraphExecutor executor;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final Map<String, NDArray> initial;
  private final BnState bn;
  private final ParamOptimizer optimizer;
  private int predicted;
  private int epoch;

  private SgdTrainer(
      Graph graph, SgdConfig config, Ghn ghn, boolean predictClassLayers, Reinit.Options reinit) {
    this(
        graph,
        config,
        ghn == null ? null : (g, m) -> ghn.predict(List.of(g), m, predictClassLayers).params(0),
        reinit);
  }

  /**
   * @param predictor the parameters a GHN predicts for the graph, by state_dict name, in the given
   *     manager (null: none)
   */
  private SgdTrainer(
      Graph graph,
      SgdConfig config,
      java.util.function.BiFunction<Graph, NDManager, Map<String, NDArray>> predictor,
      Reinit.Options reinit) {
    this.config = config;
    this.graph = graph;
    this.executor = new GraphExecutor(graph);
    this.manager = Devices.newManager();
    try {
      Map<String, NDArray> p =
          ParamInit.torchvision(graph, config.seed(), manager, DataType.FLOAT32);
      int n = 0;
      if (predictor != null) {
        boolean gradMode = Tensors.setGradMode(false);
        try (NDManager tmp = Devices.newManager()) {
          for (Map.Entry<String, NDArray> e : predictor.apply(graph, tmp).entrySet()) {
            NDArray dst = p.get(e.getKey());
            if (dst == null) {
              throw new IllegalArgumentException(
                  "GHN predicted " + e.getKey() + ", which the graph does not have");
            }
            Tensors.copyInto(e.getValue(), dst, "predicted " + e.getKey());
            n++;
          }
        } finally {
          Tensors.setGradMode(gradMode);
        }
      }
      this.predicted = n;
      if (reinit.active()) {
        boolean gradMode = Tensors.setGradMode(false);
        try {
          Reinit.apply(graph, p, reinit);
        } finally {
          Tensors.setGradMode(gradMode);
        }
      }
      Map<String, NDArray> init = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : p.entrySet()) {
        init.put(e.getKey(), e.getValue().duplicate());
        e.getValue().setRequiresGradient(true);
      }
      this.initial = Collections.unmodifiableMap(init);
      this.params = Collections.unmodifiableMap(p);
      this.bn = BnState.initial(graph, manager, DataType.FLOAT32);
      this.optimizer =
          config.optimizer() == SgdConfig.Optimizer.ADAMW
              ? new AdamW(params, manager, config.weightDecay())
              : new SgdMomentum(params, manager, config.momentum(), config.weightDecay());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Training from torchvision-style (He) initial parameters drawn with the config's seed. */
  public static SgdTrainer fromInit(Graph graph, SgdConfig config) {
    return fromInit(graph, config, Reinit.Options.none());
  }

  /**
   * As {@link #fromInit(Graph, SgdConfig)}, then post-processed by {@link Reinit} (ppuda applies it
   * to any init).
   */
  public static SgdTrainer fromInit(Graph graph, SgdConfig config, Reinit.Options reinit) {
    return new SgdTrainer(graph, config, null, true, reinit);
  }

  /**
   * Fine-tuning from {@code ghn}'s predicted parameters; with {@code predictClassLayers == false}
   * the classifier keeps its initialisation (as {@link #fromInit}). The GHN is only read; it may be
   * closed afterwards.
   */
  public static SgdTrainer fromGhn(
      Graph graph, SgdConfig config, Ghn ghn, boolean predictClassLayers) {
    return fromGhn(graph, config, ghn, predictClassLayers, Reinit.Options.none());
  }

  /**
   * As {@link #fromGhn(Graph, SgdConfig, Ghn, boolean)}, then the predicted parameters are
   * post-processed by {@link Reinit} (Knyazev 2022: small noise and/or orthogonalisation before
   * fine-tuning); the result is what {@link #initialParameters()} holds.
   */
  public static SgdTrainer fromGhn(
      Graph graph, SgdConfig config, Ghn ghn, boolean predictClassLayers, Reinit.Options reinit) {
    return new SgdTrainer(graph, config, ghn, predictClassLayers, reinit);
  }

  /**
   * Training from the parameters GHN-3 predicts for the graph ({@code
   * ghn4j.onnx.Ghn3Graphs#of(Graph)}: the graph as ghn3 builds it for the same module, parameter
   * names unchanged); parameters GHN-3 leaves out keep their initialisation. Then {@link Reinit} as
   * for GHN-2.
   */
  public static SgdTrainer fromGhn3(
      Graph graph,
      SgdConfig config,
      ghn4j.ghn.Ghn3 ghn3,
      boolean predictClassLayers,
      Reinit.Options reinit) {
    Graph g3 = ghn4j.onnx.Ghn3Graphs.of(graph);
    return new SgdTrainer(
        graph,
        config,
        (g, m) -> ghn3.predict(List.of(g3), m, predictClassLayers, config.seed()).params(0),
        reinit);
  }

  public SgdConfig config() {
    return config;
  }

  public Graph graph() {
    return graph;
  }

  /** The live parameters (state_dict names and order). */
  public Map<String, NDArray> parameters() {
    return params;
  }

  /** Copies of the parameters training started from (initialised or predicted). */
  public Map<String, NDArray> initialParameters() {
    return initial;
  }

  /** The BatchNorm running statistics. */
  public BnState bnState() {
    return bn;
  }

  /** How many parameter tensors came from the GHN (0 for {@link #fromInit}). */
  public int predictedTensors() {
    return predicted;
  }

  /** Epochs done. */
  public int epoch() {
    return epoch;
  }

  /** Logits for {@code x} (no gradients) with the current parameters in {@code mode}. */
  public NDArray forward(NDArray x, Mode mode) {
    boolean gradMode = Tensors.setGradMode(false);
    try {
      return executor.forward(x, params, mode);
    } finally {
      Tensors.setGradMode(gradMode);
    }
  }

  /**
   * Runs the remaining epochs on {@code train}, evaluating on {@code test} after each (skipped when
   * null), appending a JSON line per epoch to {@code metrics} when not null and calling {@code
   * listener}.
   */
  public List<EpochResult> run(
      ImageSet train, ImageSet test, Path metrics, Consumer<EpochResult> listener)
      throws IOException {
    return run(train, test, metrics, null, listener);
  }

  /**
   * As {@link #run(ImageSet, ImageSet, Path, Consumer)}, writing {@code checkpoint} (when not null)
   * after every epoch, after its metrics line (a resume drops metrics lines of epochs the
   * checkpoint does not cover).
   */
  public List<EpochResult> run(
      ImageSet train, ImageSet test, Path metrics, Path checkpoint, Consumer<EpochResult> listener)
      throws IOException {
    return run(Dataset.cifar10(train, test, config.augment()), metrics, checkpoint, listener);
  }

  /**
   * As {@link #run(ImageSet, ImageSet, Path, Path, Consumer)} on any {@link Dataset}: its training
   * images with its training augmentation (build the dataset with {@code augment =
   * config().augment()}), its test images (skipped when null) with its normalisation.
   */
  public List<EpochResult> run(
      Dataset data, Path metrics, Path checkpoint, Consumer<EpochResult> listener)
      throws IOException {
    if (data.train() == null) {
      throw new IllegalArgumentException(data.name() + ": no training images loaded");
    }
    ImageSet test = data.test();
    BatchLoader loader = trainLoader(data);
    LrSchedule schedule = config.lrSchedule(loader.stepsPerEpoch());
    List<EpochResult> out = new ArrayList<>();
    BufferedWriter w =
        metrics == null
            ? null
            : Files.newBufferedWriter(
                metrics,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    try {
      while (epoch < config.epochs()) {
        EpochResult r = trainEpoch(loader, schedule, test, data.normalization());
        out.add(r);
        if (w != null) {
          w.write(r.toJson().toString());
          w.write('\n');
          w.flush();
        }
        if (checkpoint != null) {
          checkpoint(checkpoint);
        }
        if (listener != null) {
          listener.accept(r);
        }
      }
    } finally {
      if (w != null) {
        w.close();
      }
    }
    return out;
  }

  /** Test accuracy (%) after {@code step} SGD steps. */
  public record StepAccuracy(long step, double accuracy) {}

  /**
   * Trains step by step on CIFAR-10 {@code train} (this trainer's recipe, schedule and data order,
   * as {@link #run}) and evaluates on {@code test} before the first step and after every {@code
   * every} steps, BatchNorm with batch statistics (the protocol predicted parameters are evaluated
   * with, {@link Evaluator}); stops after {@code maxSteps} steps or at the first evaluation that
   * reaches {@code stopAt} %. No checkpoints, no metrics file.
   */
  public List<StepAccuracy> stepCurve(
      ImageSet train, ImageSet test, int every, long maxSteps, double stopAt) {
    if (every < 1 || maxSteps < 0) {
      throw new IllegalArgumentException("every must be >= 1 and maxSteps >= 0");
    }
    Dataset data = Dataset.cifar10(train, test, config.augment());
    BatchLoader loader = trainLoader(data);
    LrSchedule schedule = config.lrSchedule(loader.stepsPerEpoch());
    List<StepAccuracy> out = new ArrayList<>();
    long steps = 0;
    double last = testAccuracy(test, data.normalization());
    out.add(new StepAccuracy(0, last));
    while (steps < maxSteps && last < stopAt) {
      try (BatchLoader.Prefetch batches = loader.epoch(epoch, config.prefetch())) {
        while (batches.hasNext() && steps < maxSteps && last < stopAt) {
          Batch b = batches.next();
          step(b, schedule.lr(b.globalStep())); // a skipped (non-finite) step still counts
          steps++;
          if (steps % every == 0) {
            last = testAccuracy(test, data.normalization());
            out.add(new StepAccuracy(steps, last));
          }
        }
      }
      epoch++;
    }
    return out;
  }

  private double testAccuracy(ImageSet test, Normalization norm) {
    return Evaluator.accuracy(graph, params, test, config.evalBatchSize(), norm, Mode.batchStats());
  }

  /** This recipe's shuffled training batches (last partial batch kept), seeded by the recipe. */
  private BatchLoader trainLoader(Dataset data) {
    return new BatchLoader(
        data.train(), config.batchSize(), data.trainAugmentation(), true, false, config.seed());
  }

  private EpochResult trainEpoch(
      BatchLoader loader, LrSchedule schedule, ImageSet test, Normalization testNorm) {
    long t0 = System.nanoTime();
    int spe = loader.stepsPerEpoch();
    double lossSum = 0;
    long correct = 0;
    long seen = 0;
    int skipped = 0;
    double lr = schedule.lr((long) epoch * spe);
    try (BatchLoader.Prefetch batches = loader.epoch(epoch, config.prefetch())) {
      while (batches.hasNext()) {
        Batch b = batches.next();
        double stepLr = schedule.lr(b.globalStep());
        double[] r = step(b, stepLr);
        if (r == null) {
          skipped++;
          continue;
        }
        lossSum += r[0] * b.size();
        correct += (long) r[1];
        seen += b.size();
      }
    }
    double testAcc =
        test == null
            ? Double.NaN
            : Evaluator.accuracy(
                graph, params, test, config.evalBatchSize(), testNorm, Mode.eval(bn));
    EpochResult r =
        new EpochResult(
            epoch,
            seen == 0 ? Double.NaN : lossSum / seen,
            seen == 0 ? Double.NaN : 100.0 * correct / seen,
            testAcc,
            lr,
            (System.nanoTime() - t0) / 1e9,
            skipped);
    epoch++;
    return r;
  }

  /**
   * One SGD step: {loss, correct}, or null (no update) when the loss or gradient norm is not
   * finite.
   */
  private double[] step(Batch batch, double lr) {
    try (NDManager sm = manager.newSubManager();
        NDScope ignored = new NDScope()) {
      NDArray x = batch.images(sm);
      NDArray y = batch.labels(sm);
      double lossValue;
      long correct;
      // dropout masks from (seed, global step): a resumed run draws what an uninterrupted one
      // would, and nets trained
      // on parallel threads do not share a generator (Mode.withDropoutSeed)
      Mode mode =
          Mode.train(bn)
              .withDropoutSeed(Seeds.mix(config.seed(), batch.globalStep(), DROPOUT_STREAM));
      try (Backprop gc = new Backprop()) {
        NDArray logits = executor.forward(x, params, mode);
        NDArray loss = Losses.crossEntropy(logits, y.reshape(y.size(), 1));
        lossValue = loss.getFloat();
        correct = Evaluator.countCorrect(logits, batch.labels());
        if (!Double.isFinite(lossValue)) {
          return null;
        }
        gc.backward(loss);
      }
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        grads.put(e.getKey(), e.getValue().getGradient());
      }
      double norm =
          config.gradClip() > 0
              ? Tensors.clipGlobalNorm(grads.values(), config.gradClip())
              : Tensors.globalNorm(grads.values());
      if (!Double.isFinite(norm)) {
        return null; // ghn4j: skip an update with NaN gradients (PyTorch would apply it)
      }
      optimizer.step(params, grads, lr);
      return new double[] {lossValue, correct};
    } finally {
      for (NDArray p : params.values()) {
        Tensors.zeroGrad(p);
      }
    }
  }

  /**
   * Writes {@code config.json} ({@link SgdConfig#toJson} plus {@code extra}) into {@code runDir}
   * and clears metrics.
   */
  public static void startRunDir(Path runDir, SgdConfig config, ObjectNode extra)
      throws IOException {
    Files.createDirectories(runDir);
    ghn4j.io.AtomicFiles.deleteStaleTemps(runDir); // of an earlier session killed mid-write
    ObjectNode o = config.toJson();
    if (extra != null) {
      o.setAll(extra);
    }
    ghn4j.io.AtomicFiles.writeString(
        runDir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o));
    Files.deleteIfExists(runDir.resolve(METRICS));
  }

  /**
   * Writes the training state after {@link #epoch()} epochs to {@code file} (one safetensors file,
   * written to a temp file and renamed): parameters, initial parameters, BatchNorm running
   * statistics, optimizer state and counters.
   */
  public void checkpoint(Path file) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager tmp = Devices.newManager()) {
      params.forEach((k, a) -> out.put("param." + k, a));
      initial.forEach((k, a) -> out.put("initial." + k, a));
      for (String n : bn.names()) {
        out.put("bn_mean." + n, bn.runningMean(n));
        out.put("bn_var." + n, bn.runningVar(n));
      }
      optimizer.checkpointState().forEach((k, a) -> out.put("opt." + k, a));
      out.put("state.epoch", tmp.create(new long[] {epoch}));
      out.put("state.opt_steps", tmp.create(new long[] {optimizer.steps()}));
      out.put("state.predicted", tmp.create(new long[] {predicted}));
      ghn4j.io.SafeTensors.write(
          file, out, Map.of("format", FORMAT, "optimizer", config.optimizer().jsonName()));
    }
  }

  /**
   * A trainer for {@code graph} and {@code config} in the state {@code checkpoint} holds (written
   * by {@link #run} or {@link #checkpoint}); errors name the file and the missing or misshapen
   * tensor (another net or optimizer).
   */
  public static SgdTrainer resume(Graph graph, SgdConfig config, Path checkpoint) {
    try {
      ghn4j.io.AtomicFiles.deleteStaleTemps(
          checkpoint.toAbsolutePath().getParent()); // of a session killed mid-write
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          checkpoint.getParent() + ": cannot clean temporary files", e);
    }
    if (!Files.isRegularFile(checkpoint)) {
      throw new IllegalArgumentException(checkpoint + ": no checkpoint to resume from");
    }
    SgdTrainer t = new SgdTrainer(graph, config, null, true, Reinit.Options.none());
    try {
      t.load(checkpoint);
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private void load(Path file) {
    try (NDManager tmp = Devices.newManager()) {
      Map<String, NDArray> t = ghn4j.io.SafeTensors.read(file, tmp);
      boolean gradMode = Tensors.setGradMode(false);
      try {
        copy(t, file, "param.", params);
        copy(t, file, "initial.", initial);
        for (String n : bn.names()) {
          Tensors.copyInto(
              require(t, file, "bn_mean." + n), bn.runningMean(n), file + ": bn_mean." + n);
          Tensors.copyInto(
              require(t, file, "bn_var." + n), bn.runningVar(n), file + ": bn_var." + n);
        }
        Map<String, NDArray> opt = new LinkedHashMap<>();
        t.forEach(
            (k, a) -> {
              if (k.startsWith("opt.")) {
                opt.put(k.substring(4), a);
              }
            });
        try {
          optimizer.load(opt, require(t, file, "state.opt_steps").toLongArray()[0]);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              file + ": " + e.getMessage() + " (optimizer " + config.optimizer() + ")", e);
        }
      } finally {
        Tensors.setGradMode(gradMode);
      }
      epoch = Math.toIntExact(require(t, file, "state.epoch").toLongArray()[0]);
      predicted = Math.toIntExact(require(t, file, "state.predicted").toLongArray()[0]);
    }
  }

  private static void copy(
      Map<String, NDArray> t, Path file, String prefix, Map<String, NDArray> into) {
    for (Map.Entry<String, NDArray> e : into.entrySet()) {
      Tensors.copyInto(
          require(t, file, prefix + e.getKey()), e.getValue(), file + ": " + prefix + e.getKey());
    }
  }

  private static NDArray require(Map<String, NDArray> t, Path file, String name) {
    NDArray a = t.get(name);
    if (a == null) {
      throw new IllegalArgumentException(
          file + ": lacks tensor " + name + " (another network or an older format?)");
    }
    return a;
  }

  /**
   * Keeps the lines of {@code epoch < epochs} of a metrics file (rewritten atomically): after a
   * resume from a checkpoint of {@code epochs} epochs, lines a killed session wrote later are
   * dropped, a torn last line too ({@link MetricsLog#keepBelow}). A missing file is left so.
   */
  public static void truncateMetrics(Path metrics, int epochs) throws IOException {
    MetricsLog.keepBelow(metrics, "epoch", epochs);
  }

  /** The trainer's manager (parameters, running statistics, optimizer state): for memory checks. */
  NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
