package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.data.Batch;
import ghn4j.data.BatchLoader;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.TrainingWidth;
import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Meta-trains a GHN with ppuda's recipe ({@code train_ghn.py} + {@code Trainer.update}): every step
 * draws a meta-batch of architectures ({@link TrainNets}, widths re-drawn as ppuda), predicts all
 * their parameters in one {@link Ghn#predict} call, runs each net on the same image batch with
 * batch statistics (ppuda's "light" train nets have no running statistics) and the classifier's
 * dropout (ppuda's {@code net.train()}; {@link MetaTrainConfig#classifierDropout}), and minimises
 * the mean cross-entropy over the nets: backward, global gradient-norm clipping to 5, {@link Adam}
 * (lr 1e-3, L2 1e-5), {@code MultiStepLR} ×0.1 at 2/3 and 5/6 of the run ({@link TrainingBudget}).
 * A step whose loss (or gradient norm) is not finite is retried with other nets on the same images
 * and counted; more than {@code stepsPerEpoch / 50} such failures in an epoch abort the run, as
 * ppuda.
 *
 * <p>The update itself is {@link MetaStep}. Reproducibility: all randomness of step k derives from
 * {@code (seed, k)} (nets, widths, images, augmentation, dropout masks), so a checkpoint needs only
 * the GHN weights, Adam's state and counters; {@link #resume} after a kill continues with the same
 * losses as an uninterrupted run. The run directory is a {@link RunDir} (plus {@code
 * ghn.safetensors}/{@code ghn.json}, the GHN alone for {@code ./ghn4j eval}).
 *
 * <p>Memory: the GHN and Adam state live in this trainer's manager; everything a step creates lives
 * in a per-step sub-manager and scope ({@link OptimStep}), and each net's activations in a scope of
 * their own that ends with its backward pass, so a step's peak holds the GHN's graph and one net
 * (not the whole meta-batch) and resident memory stays flat (with a fragmentation-resistant
 * allocator: {@code ./ghn4j} preloads jemalloc).
 *
 * <p>Why over ~350 lines: besides the loop it declares the public value types of a run ({@link
 * StepResult}, {@link Phases}, {@link Result}, {@link GradientExchange}) that the CLI, ghn4j-spark
 * and the notebooks name as {@code MetaTrainer.X}; each part with an idea of its own lives beside
 * it ({@link MetaStep}, {@link OptimStep}, {@link TrainingBudget}, {@link MetaCheckpoint}, {@link
 * RunDir}, {@link MetricsLog}).
 */
public final class MetaTrainer implements AutoCloseable {

  /** File names inside a run directory. */
  public static final String CONFIG = RunDir.CONFIG;

  public static final String CHECKPOINT = RunDir.CHECKPOINT;
  public static final String GHN = "ghn.safetensors";
  public static final String METRICS = RunDir.METRICS;

  /** What one step did. */
  public record StepResult(
      long step,
      int epoch,
      double loss,
      double accuracy,
      double lr,
      double gradNorm,
      double seconds,
      int attempts,
      List<Long> netParams,
      Phases phases) {}

  /**
   * Where a step's time went (seconds, last attempt only): building the nets' graphs, the GHN's
   * forward (parameter prediction), the nets' forwards and backwards, the backward through the GHN,
   * and clipping + Adam. For {@code ./ghn4j bench train}'s breakdown.
   */
  public record Phases(
      double graphs, double ghnForward, double nets, double ghnBackward, double update) {}

  /** What {@link #run} did. */
  public record Result(
      long stepsDone,
      long nextStep,
      long skipped,
      double elapsedSeconds,
      Path checkpoint,
      double cpuSeconds) {}

  /**
   * Where a step's meta-batch gradient comes from when training is spread over processes: this
   * process computes its share of {@code graphs} with {@link MetaStep#gradients} and the exchange
   * returns the sum over all processes (the same in every process, so that their replicas of the
   * GHN stay equal). ghn4j-spark's barrier training is one.
   */
  @FunctionalInterface
  public interface GradientExchange {
    /**
     * The gradient of the whole meta-batch {@code graphs} (every process passes the same graphs and
     * batch).
     */
    GradientShard total(MetaStep step, List<Graph> graphs, Batch batch, long dropoutSeed);
  }

  private final MetaTrainConfig config;
  private final RunDir run;
  private final TrainNets nets;
  private final boolean largeInput; // ImageNet stems for the sampled nets
  private final BatchLoader loader;
  private final TrainingWidth widths;
  private final TrainingBudget budget;
  private final NDManager manager;
  private final Ghn ghn;
  private final Adam adam;
  private final MetaStep update;
  private final MetricsLog metrics;
  private BatchLoader.Prefetch batches;
  private GradientExchange exchange;
  private long step;
  private int failedInEpoch;
  private int failedEpoch = -1;
  private long skipped;

  private MetaTrainer(MetaTrainConfig config, RunDir run, Dataset data, TrainNets nets) {
    if (data.train() == null) {
      throw new IllegalArgumentException(data.name() + ": no training images loaded");
    }
    if (data.numClasses() != config.ghn().numClasses()) {
      throw new IllegalArgumentException(
          data.name()
              + " has "
              + data.numClasses()
              + " classes but the GHN predicts classifiers for "
              + config.ghn().numClasses());
    }
    this.config = config;
    this.run = run;
    this.nets = nets;
    this.largeInput = data.largeInput();
    ImageSet train = data.train();
    if (config.trainImages() > 0 && config.trainImages() < train.size()) {
      int[] idx = new int[config.trainImages()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      train = train.subset(idx);
    }
    // the data's training transform (built with augment = config.augment())
    this.loader =
        new BatchLoader(
            train, config.batchSize(), data.trainAugmentation(), true, false, config.seed());
    this.widths = new TrainingWidth(config.minC(), config.maxC(), config.minFc(), config.maxFc());
    this.budget = new TrainingBudget(config, loader.stepsPerEpoch(), CpuClock::processSecondsOrNaN);
    this.manager = Devices.newManager();
    this.ghn = Ghn.create(config.ghn(), manager, config.seed());
    this.adam = Adam.pytorch(ghn.parameters(), manager, config.weightDecay());
    this.update = new MetaStep(ghn, adam, manager, config.gradClip(), config.classifierDropout());
    this.metrics = new MetricsLog(run.metrics());
  }

  /**
   * A new run in {@code runDir} (created; fails if it already holds a checkpoint: use {@link
   * #resume}) on {@code data}'s training images with its training transform (build it with {@code
   * augment = config.augment()}, e.g. {@code Dataset.cifar10(images, null, config.augment())});
   * networks get ImageNet stems when the data asks for them.
   */
  public static MetaTrainer start(MetaTrainConfig config, Dataset data, TrainNets nets, Path runDir)
      throws IOException {
    return new MetaTrainer(config, RunDir.create(runDir, config.toJson()), data, nets);
  }

  /**
   * Continues the run in {@code runDir} from its last checkpoint on the same {@link Dataset} it
   * started on, with its saved config (or {@code override} when not null, e.g. a longer budget).
   * Metrics lines after the checkpoint (from a killed session) are dropped.
   */
  public static MetaTrainer resume(
      Path runDir, Dataset data, TrainNets nets, MetaTrainConfig override) throws IOException {
    MetaTrainConfig config = override != null ? override : readConfig(runDir);
    RunDir run = RunDir.resume(runDir);
    MetaTrainer t = new MetaTrainer(config, run, data, nets);
    try {
      MetaCheckpoint.Counters c = MetaCheckpoint.read(run, t.ghn, t.adam, t.budget);
      t.step = c.step();
      t.failedInEpoch = c.failedInEpoch();
      t.failedEpoch = c.failedEpoch();
      t.skipped = c.skipped();
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    t.metrics.keepBelow("step", t.step);
    // the GHN export belongs to the checkpoint: a session killed between the two writes left it one
    // checkpoint behind
    t.ghn.save(runDir.resolve(GHN));
    if (override != null) {
      run.writeJson(CONFIG, config.toJson());
    }
    return t;
  }

  /**
   * Records in the run directory which image folder the run trains on ({@link ImageFolderData}),
   * for whoever resumes it. Returns this.
   */
  public MetaTrainer recordData(ImageFolderData data) throws IOException {
    run.writeJson(ImageFolderData.FILE, data.toJson());
    return this;
  }

  /** The config a run directory was started with. */
  public static MetaTrainConfig readConfig(Path runDir) throws IOException {
    return MetaTrainConfig.fromJson(RunDir.readConfig(runDir));
  }

  /**
   * Test seam: measures CPU time with {@code clock} from now on (a fake clock makes CPU budgets
   * testable). Returns this.
   */
  MetaTrainer measuringCpuWith(DoubleSupplier clock) {
    budget.useCpuClock(clock);
    return this;
  }

  /**
   * Runs each meta-batch on {@code workers} threads with {@code intraOpThreads} PyTorch threads
   * each ({@link MetaStep#withWorkers}); the updates equal the sequential ones up to float
   * summation order. Returns this.
   */
  public MetaTrainer useWorkers(int workers, int intraOpThreads) {
    update.withWorkers(workers, intraOpThreads);
    return this;
  }

  /**
   * Makes every step take its gradient from {@code exchange} and apply it ({@link MetaStep#apply})
   * instead of computing the whole meta-batch here; null restores the local step. Returns this.
   */
  public MetaTrainer exchangeGradients(GradientExchange exchange) {
    this.exchange = exchange;
    return this;
  }

  /** Runs until the budget is used up, checkpointing as configured and at the end. */
  public Result run(Consumer<StepResult> listener) throws IOException {
    return run(Long.MAX_VALUE, listener);
  }

  /**
   * Runs at most {@code maxSteps} more steps (or until the budget ends); checkpoints at the end.
   */
  public Result run(long maxSteps, Consumer<StepResult> listener) throws IOException {
    long done = 0;
    while (done < maxSteps && !done()) {
      StepResult r = trainStep();
      done++;
      if (listener != null) {
        listener.accept(r);
      }
      if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) {
        checkpoint();
      }
    }
    checkpoint();
    return new Result(done, step, skipped, elapsedSeconds(), run.checkpoint(), cpuSeconds());
  }

  /** Runs step {@link #step()} (retrying with other nets on a non-finite loss) and advances. */
  public StepResult trainStep() throws IOException {
    if (batches == null) {
      batches = loader.prefetch(step, Long.MAX_VALUE, config.prefetch());
    }
    Batch batch = batches.next();
    if (batch.globalStep() != step) {
      throw new IllegalStateException(
          "loader at step " + batch.globalStep() + ", trainer at " + step);
    }
    if (batch.epoch() != failedEpoch) {
      failedEpoch = batch.epoch();
      failedInEpoch = 0;
    }
    double lr = budget.lr(step);
    long t0 = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      long tGraphs = System.nanoTime();
      List<Graph> graphs = new ArrayList<>();
      List<Long> sizes = new ArrayList<>();
      for (NetArgs a : metaBatch(attempt)) {
        Graph g = NetworkBuilder.graph(a);
        graphs.add(g);
        sizes.add(g.numParams());
      }
      double graphSeconds = (System.nanoTime() - tGraphs) / 1e9;
      long dropoutSeed = dropoutSeed(config.seed(), step, attempt);
      MetaStep.Outcome out =
          exchange == null
              ? update.run(graphs, batch, lr, dropoutSeed)
              : update.apply(exchange.total(update, graphs, batch, dropoutSeed), lr);
      if (out.applied()) {
        StepResult r =
            new StepResult(
                step,
                batch.epoch(),
                out.loss(),
                out.accuracy(),
                lr,
                out.gradNorm(),
                (System.nanoTime() - t0) / 1e9,
                attempt + 1,
                sizes,
                update.lastPhases(graphSeconds));
        if ((step + 1) % config.logEvery() == 0 || attempt > 0) {
          metrics.append(stepLine(r));
        }
        step++;
        return r;
      }
      skipped(batch.epoch(), attempt, sizes, out.failure());
    }
  }

  /** The architectures of attempt {@code attempt} at the current step. */
  private List<NetArgs> metaBatch(int attempt) {
    return nets.metaBatch(
        config.seed(),
        step,
        attempt,
        config.metaBatch(),
        widths,
        config.ghn().numClasses(),
        largeInput,
        config.netSampling());
  }

  /** Counts and logs a failed attempt; throws when the epoch is out of patience (ppuda's limit). */
  private void skipped(int epoch, int attempt, List<Long> sizes, String failure) {
    skipped++;
    failedInEpoch++;
    ObjectNode o = MetricsLog.line().put("type", "skipped").put("step", step);
    var a = o.put("attempt", attempt).putArray("nets");
    sizes.forEach(a::add);
    metrics.append(o);
    System.err.printf(
        "step %d: non-finite %s with nets %s (attempt %d); skipping this meta-batch%n",
        step, failure, sizes, attempt + 1);
    if (failedInEpoch > loader.stepsPerEpoch() / 50) {
      throw new IllegalStateException(
          "out of patience after "
              + failedInEpoch
              + " failed meta-batches in epoch "
              + epoch
              + " (ppuda's limit: stepsPerEpoch / 50); restart from the checkpoint with another seed");
    }
  }

  /** The metrics line of a step ({@link MetricsLog}). */
  private ObjectNode stepLine(StepResult r) {
    ObjectNode o = MetricsLog.line().put("type", "step").put("step", r.step());
    o.put("epoch", r.epoch()).put("loss", r.loss()).put("acc", r.accuracy()).put("lr", r.lr());
    o.put("grad_norm", r.gradNorm()).put("s_per_step", r.seconds());
    o.put("elapsed_s", elapsedSeconds()).put("cpu_s", cpuSeconds());
    o.put("rss_mb", ProcStatus.rssMb()).put("attempts", r.attempts());
    var a = o.putArray("nets");
    r.netParams().forEach(a::add);
    return o;
  }

  /**
   * Writes the checkpoint (GHN weights, Adam state, counters) as one safetensors file, atomically,
   * then the GHN alone as {@code ghn.safetensors} + {@code ghn.json} for {@code ./ghn4j eval}. The
   * checkpoint is the run's state; the GHN files are an export of its weights: {@link #resume}
   * rewrites them from the checkpoint, so a kill between the two writes (the GHN files one
   * checkpoint behind) leaves a pair that the next session makes consistent again.
   */
  public void checkpoint() throws IOException {
    MetaCheckpoint.write(
        run,
        ghn,
        adam,
        budget,
        new MetaCheckpoint.Counters(step, failedInEpoch, failedEpoch, skipped));
    metrics.flush();
    pauseBetweenPairWrites();
    ghn.save(run.path().resolve(GHN));
  }

  /**
   * Test seam for the kill tests ({@code KillResumeTest}): with {@code GHN4J_TEST_PAIR_PAUSE_MS}
   * set, sleeps between the checkpoint and the GHN export so that a kill can land between them.
   * Unset (always, outside those tests): no-op.
   */
  private static void pauseBetweenPairWrites() {
    String ms = System.getenv("GHN4J_TEST_PAIR_PAUSE_MS");
    if (ms != null && !ms.isBlank()) {
      try {
        Thread.sleep(Long.parseLong(ms.trim()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The dropout seed this trainer hands {@link MetaStep} at {@code step} (and retry {@code
   * attempt}) of a run with seed {@code runSeed}: a data-parallel driver that computes the shards
   * of a step elsewhere ({@link MetaStep#gradients(List, int, ghn4j.data.Batch, long)}) passes the
   * same seed to get the same masks.
   */
  public static long dropoutSeed(long runSeed, long step, int attempt) {
    return Seeds.mix(runSeed, step, attempt);
  }

  public MetaTrainConfig config() {
    return config;
  }

  /** The GHN being trained (its weights are live). */
  public Ghn ghn() {
    return ghn;
  }

  /** The update this trainer runs (for tests: its GC seam). */
  MetaStep update() {
    return update;
  }

  /** The next step to run (= steps done). */
  public long step() {
    return step;
  }

  /** Steps in an epoch of the training images. */
  public int stepsPerEpoch() {
    return loader.stepsPerEpoch();
  }

  /** Total steps of the run when known (step or epoch budget), else -1. */
  public long totalSteps() {
    return budget.totalSteps();
  }

  /** Seconds of training so far, over all sessions. */
  public double elapsedSeconds() {
    return budget.elapsedSeconds();
  }

  /**
   * Process CPU seconds of training so far, over all sessions ({@link CpuClock}: every thread of
   * the JVM, counted from the trainer's creation in each session; NaN when the JVM does not report
   * it).
   */
  public double cpuSeconds() {
    return budget.cpuSeconds();
  }

  /** Whether the budget is used up. */
  public boolean done() {
    return budget.done(step);
  }

  /** The metrics file ({@code metrics.jsonl}). */
  public Path metricsFile() {
    return run.metrics();
  }

  /** The trainer's manager (GHN weights and Adam state): for memory checks. */
  NDManager manager() {
    return manager;
  }

  /** The run's configuration as JSON (for printing). */
  public ObjectNode describe() {
    ObjectNode o = config.toJson();
    o.put("steps_per_epoch", stepsPerEpoch());
    o.put("total_steps", totalSteps());
    o.put("ghn_params", ghn.parameters().values().stream().mapToLong(NDArray::size).sum());
    return o;
  }

  @Override
  public void close() {
    if (batches != null) {
      batches.close();
    }
    update.close();
    metrics.close();
    manager.close();
  }
}
