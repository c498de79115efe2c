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
import ghn4j.eval.Evaluator;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.nn.ParamInit;
import ghn4j.nn.Reinit;
import ghn4j.optim.AdamW;
import ghn4j.optim.LrSchedule;
import ghn4j.optim.ParamArrays;
import ghn4j.optim.ParamOptimizer;
import ghn4j.optim.SgdMomentum;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * parallel threads (autograd is per thread: {@code Backprop}). In a run directory ({@link
 * #startRun}, a {@link RunDir}) {@link #run(Dataset, Consumer)} writes a checkpoint after every
 * epoch ({@link SgdCheckpoint}), and {@link #resume(Path, Graph)} continues with the same losses as
 * an uninterrupted run, from a notebook as from {@code ./ghn4j sgd --resume}.
 *
 * <p>Memory: parameters, running statistics and optimizer state live in this trainer's manager;
 * every step's arrays in a sub-manager and an {@link NDScope} ({@link OptimStep}), so resident
 * memory stays flat over epochs.
 *
 * <p>Why over ~350 lines: five public ways in (He init, GHN-2, GHN-3, each with or without {@link
 * Reinit}), the step-accuracy curve of the SGD-equivalence experiment ({@link #stepCurve}) and the
 * run-directory API; what a checkpoint holds is {@link SgdCheckpoint}, the starting parameters
 * {@link StartingParams}, the update {@link OptimStep}.
 */
public final class SgdTrainer implements AutoCloseable {

  /** File names inside a run directory. */
  public static final String CONFIG = RunDir.CONFIG;

  public static final String METRICS = RunDir.METRICS;
  public static final String CHECKPOINT = RunDir.CHECKPOINT;
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
  private final OptimStep update;
  private int predicted;
  private int epoch;
  private RunDir run; // null: no run directory, nothing written but the metrics asked for

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
      this.predicted = StartingParams.overwrite(graph, p, predictor, reinit);
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
      this.update =
          new OptimStep(
              params,
              optimizer,
              manager,
              config.gradClip() > 0 ? config.gradClip() : OptimStep.NO_CLIP); // 0: none
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
    boolean gradMode = ParamArrays.setGradMode(false);
    try {
      return executor.forward(x, params, mode);
    } finally {
      ParamArrays.setGradMode(gradMode);
    }
  }

  /**
   * Runs the remaining epochs on CIFAR-10 {@code train}, evaluating on {@code test} after each
   * (skipped when null), appending a JSON line per epoch to {@code metrics} when not null and
   * calling {@code listener}. No checkpoints (see {@link #run(Dataset, Consumer)}).
   */
  public List<EpochResult> run(
      ImageSet train, ImageSet test, Path metrics, Consumer<EpochResult> listener)
      throws IOException {
    try (MetricsLog log = metrics == null ? null : new MetricsLog(metrics)) {
      return run(Dataset.cifar10(train, test, config.augment()), log, listener);
    }
  }

  /**
   * Runs the remaining epochs on any {@link Dataset}: its training images with its training
   * augmentation (build the dataset with {@code augment = config().augment()}), its test images
   * (skipped when null) with its normalisation. In a run directory ({@link #startRun}, {@link
   * #resume}) each epoch's metrics line is appended to {@code metrics.jsonl}, then the checkpoint
   * written (a resume drops metrics lines of epochs the checkpoint does not cover).
   */
  public List<EpochResult> run(Dataset data, Consumer<EpochResult> listener) throws IOException {
    try (MetricsLog log = run == null ? null : new MetricsLog(run.metrics())) {
      return run(data, log, listener);
    }
  }

  private List<EpochResult> run(Dataset data, MetricsLog log, Consumer<EpochResult> listener) {
    if (data.train() == null) {
      throw new IllegalArgumentException(data.name() + ": no training images loaded");
    }
    BatchLoader loader = trainLoader(data);
    LrSchedule schedule = config.lrSchedule(loader.stepsPerEpoch());
    List<EpochResult> out = new ArrayList<>();
    while (epoch < config.epochs()) {
      EpochResult r = trainEpoch(loader, schedule, data.test(), data.normalization());
      out.add(r);
      if (log != null) {
        log.append(r.toJson());
      }
      if (run != null) {
        checkpoint();
      }
      if (listener != null) {
        listener.accept(r);
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
        StepOutcome r = step(b, stepLr);
        if (!r.applied()) {
          skipped++;
          continue;
        }
        lossSum += r.loss() * b.size();
        correct += r.correct();
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

  /** What one SGD step did: its loss, how many of the batch's images it got right, the update. */
  private record StepOutcome(double loss, long correct, boolean applied) {}

  /**
   * One SGD step on {@code batch} at learning rate {@code lr}: forward with dropout masks from
   * {@code (seed, global step)} (a resumed run draws what an uninterrupted one would, and nets
   * trained on parallel threads share no generator), backward, then {@link OptimStep} (no update
   * when the loss or the gradient norm is not finite).
   */
  private StepOutcome step(Batch batch, double lr) {
    try (OptimStep.Scope s = update.open()) {
      NDArray x = batch.images(s.manager());
      NDArray y = batch.labels(s.manager());
      Mode mode =
          Mode.train(bn)
              .withDropoutSeed(Seeds.mix(config.seed(), batch.globalStep(), DROPOUT_STREAM));
      double loss;
      long correct;
      try (Backprop gc = new Backprop()) {
        NDArray logits = executor.forward(x, params, mode);
        NDArray ce = Losses.crossEntropy(logits, y.reshape(y.size(), 1));
        loss = ce.getFloat();
        correct = Evaluator.countCorrect(logits, batch.labels());
        if (Double.isFinite(loss)) {
          gc.backward(ce);
        }
      }
      OptimStep.Outcome o = s.update(loss, this::gradients, lr);
      return new StepOutcome(loss, correct, o.applied());
    }
  }

  /** The parameters' gradients by name (live arrays). */
  private Map<String, NDArray> gradients() {
    Map<String, NDArray> grads = new LinkedHashMap<>();
    params.forEach((k, p) -> grads.put(k, p.getGradient()));
    return grads;
  }

  /**
   * Makes {@code runDir} this trainer's run directory ({@link RunDir}; fails when it already holds
   * a checkpoint): {@code config.json} = {@link SgdConfig#toJson} plus {@code description} (what
   * the run trains on, for whoever resumes it), old metrics removed. {@link #run(Dataset,
   * Consumer)} then writes metrics and a checkpoint after every epoch there. Returns this.
   */
  public SgdTrainer startRun(Path runDir, ObjectNode description) throws IOException {
    ObjectNode o = config.toJson();
    if (description != null) {
      o.setAll(description);
    }
    this.run = RunDir.create(runDir, o);
    return this;
  }

  /**
   * The SGD run in {@code runDir} at its last checkpoint, for {@code graph} (the network the run
   * trains: {@link #readRun} tells which), with the recipe of its {@code config.json}; metrics
   * lines a killed session wrote after the checkpoint are dropped. Errors name the file and the
   * missing or misshapen tensor (another net or optimizer).
   */
  public static SgdTrainer resume(Path runDir, Graph graph) throws IOException {
    RunDir run = RunDir.resume(runDir);
    SgdConfig config = SgdConfig.fromJson(readRun(runDir));
    SgdTrainer t = new SgdTrainer(graph, config, null, true, Reinit.Options.none());
    try {
      SgdCheckpoint.Counters c = SgdCheckpoint.read(run, t.state());
      t.epoch = c.epoch();
      t.predicted = c.predicted();
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    run.keepMetricsBelow("epoch", t.epoch);
    t.run = run;
    return t;
  }

  /** The {@code config.json} of the SGD run in {@code runDir}: the recipe and its description. */
  public static ObjectNode readRun(Path runDir) throws IOException {
    return (ObjectNode) RunDir.readConfig(runDir);
  }

  /** The run directory ({@link #startRun}, {@link #resume}), or null. */
  public Path runDir() {
    return run == null ? null : run.path();
  }

  /** Writes the state after {@link #epoch()} epochs as the run directory's checkpoint. */
  private void checkpoint() {
    try {
      SgdCheckpoint.write(run, state(), new SgdCheckpoint.Counters(epoch, predicted));
    } catch (IOException e) {
      throw new UncheckedIOException(run.checkpoint() + ": cannot write the checkpoint", e);
    }
  }

  private SgdCheckpoint.State state() {
    return new SgdCheckpoint.State(params, initial, bn, optimizer, config.optimizer().jsonName());
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
