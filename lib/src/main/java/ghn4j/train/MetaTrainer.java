package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import ghn4j.io.AtomicFiles;
import ghn4j.io.SafeTensors;
import ghn4j.nn.Devices;
import ghn4j.optim.Adam;
import ghn4j.optim.LrSchedule;
import ghn4j.optim.ParamArrays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Meta-trains a GHN with ppuda's recipe ({@code train_ghn.py} + {@code Trainer.update}): every step
 * draws a meta-batch of architectures ({@link TrainNets}, widths re-drawn as ppuda), predicts all
 * their parameters in one {@link Ghn#predict} call inside a {@link GradientCollector}, runs each
 * net on the same image batch with batch statistics (ppuda's "light" train nets have no running
 * statistics) and the classifier's dropout (ppuda's {@code net.train()}; {@link
 * MetaTrainConfig#classifierDropout}), and minimises the mean cross-entropy over the nets:
 * backward, global gradient-norm clipping to 5, {@link Adam} (lr 1e-3, L2 1e-5), {@code
 * MultiStepLR} ×0.1 at 2/3 and 5/6 of the run. A step whose loss (or gradient norm) is not finite
 * is retried with other nets on the same images and counted; more than {@code stepsPerEpoch / 50}
 * such failures in an epoch abort the run, as ppuda.
 *
 * <p>The update itself is {@link MetaStep}. Reproducibility: all randomness of step k derives from
 * {@code (seed, k)} (nets, widths, images, augmentation, dropout masks), so a checkpoint needs only
 * the GHN weights, Adam's state and counters; {@link #resume} after a kill continues with the same
 * losses as an uninterrupted run. A checkpoint is one safetensors file written atomically (temp +
 * rename).
 *
 * <p>Budgets: steps, epochs, wall-clock minutes or minutes of process CPU time ({@link CpuClock};
 * fair on a shared machine), whichever ends first. Time and CPU time add up over sessions (both are
 * checkpointed).
 *
 * <p>Memory: the GHN and Adam state live in this trainer's manager; everything a step creates lives
 * in a per-step sub-manager and an {@link NDScope}, and each net's activations in a scope of their
 * own that ends with its backward pass, so a step's peak holds the GHN's graph and one net (not the
 * whole meta-batch) and resident memory stays flat (with a fragmentation-resistant allocator:
 * {@code ./ghn4j} preloads jemalloc).
 */
public final class MetaTrainer implements AutoCloseable {

  /** File names inside a run directory. */
  public static final String CONFIG = "config.json";

  public static final String CHECKPOINT = "checkpoint.safetensors";
  public static final String GHN = "ghn.safetensors";
  public static final String METRICS = "metrics.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

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
   * and clipping + Adam. For {@code ./ghn4j bench-train}'s breakdown.
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

  private final MetaTrainConfig config;
  private final Path runDir;
  private final NDManager manager;
  private final Ghn ghn;
  private final Map<String, NDArray> params;
  private final Adam adam;
  private final MetaStep updater;
  private final TrainNets nets;
  private final BatchLoader loader;
  private final TrainingWidth widths;
  private final boolean largeInput; // ImageNet stems for the sampled nets
  private final long horizon;
  private final long[] milestones;
  private final MetricsLog metrics;
  private BatchLoader.Prefetch batches;
  private long step;
  private int failedInEpoch;
  private int failedEpoch = -1;
  private long skipped;
  private double elapsedBefore;
  private long sessionStart = System.nanoTime();
  private final long[] phaseNanos = new long[5]; // of the current step, see Phases
  private final DoubleSupplier cpuClock;
  private double cpuBefore;
  private double cpuSessionStart;
  private String lastFailure = "";
  boolean gcBeforeBackward;
  private GradientExchange exchange;

  private MetaTrainer(
      MetaTrainConfig config, Path runDir, Dataset data, TrainNets nets, DoubleSupplier cpuClock)
      throws IOException {
    if (data.train() == null) {
      throw new IllegalArgumentException(data.name() + ": no training images loaded");
    }
    if (data.numClasses() != config.ghn().numClasses()) {
      throw new IllegalArgumentException(
          data.name()
              + " has "
              + data.numClasses()
              + " classes but the GHN predicts "
              + "classifiers for "
              + config.ghn().numClasses());
    }
    ImageSet images = data.train();
    this.largeInput = data.largeInput();
    this.config = config;
    this.cpuClock = cpuClock;
    this.cpuSessionStart = cpuClock.getAsDouble();
    if (config.cpuMinutes() > 0 && Double.isNaN(cpuSessionStart)) {
      CpuClock.processSeconds(); // throws, explaining that this JVM has no process CPU time
    }
    this.runDir = runDir;
    this.nets = nets;
    ImageSet train = images;
    if (config.trainImages() > 0 && config.trainImages() < images.size()) {
      int[] idx = new int[config.trainImages()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      train = images.subset(idx);
    }
    // the data's training transform (built with augment = config.augment())
    this.loader =
        new BatchLoader(
            train, config.batchSize(), data.trainAugmentation(), true, false, config.seed());
    this.widths = new TrainingWidth(config.minC(), config.maxC(), config.minFc(), config.maxFc());
    this.horizon =
        config.steps() > 0
            ? config.steps()
            : config.epochs() > 0 && config.minutes() <= 0 && config.cpuMinutes() <= 0
                ? (long) config.epochs() * loader.stepsPerEpoch()
                : -1;
    this.milestones = horizon > 0 ? LrSchedule.ppudaMilestones(horizon) : new long[] {-1, -1};
    this.manager = Devices.newManager();
    this.ghn = Ghn.create(config.ghn(), manager, config.seed());
    this.params = ghn.parameters();
    this.adam = Adam.pytorch(params, manager, config.weightDecay());
    this.updater = new MetaStep(ghn, adam, manager, config.gradClip(), config.classifierDropout());
    this.metrics = new MetricsLog(runDir.resolve(METRICS));
  }

  /**
   * A new run on CIFAR-10 training images in {@code runDir} (created); fails if it already holds a
   * checkpoint (use {@link #resume}).
   */
  public static MetaTrainer start(
      MetaTrainConfig config, ImageSet trainImages, TrainNets nets, Path runDir)
      throws IOException {
    return start(config, trainImages, nets, runDir, CpuClock::processSecondsOrNaN);
  }

  /**
   * A new run on {@code data}'s training images with its training transform (build it with {@code
   * augment = config.augment()}); networks get ImageNet stems when the data asks for them.
   */
  public static MetaTrainer start(MetaTrainConfig config, Dataset data, TrainNets nets, Path runDir)
      throws IOException {
    return start(config, data, nets, runDir, CpuClock::processSecondsOrNaN);
  }

  /** {@link #start} with another CPU clock (tests). */
  static MetaTrainer start(
      MetaTrainConfig config,
      ImageSet trainImages,
      TrainNets nets,
      Path runDir,
      DoubleSupplier cpuClock)
      throws IOException {
    return start(
        config, Dataset.cifar10(trainImages, null, config.augment()), nets, runDir, cpuClock);
  }

  private static MetaTrainer start(
      MetaTrainConfig config, Dataset data, TrainNets nets, Path runDir, DoubleSupplier cpuClock)
      throws IOException {
    if (Files.exists(runDir.resolve(CHECKPOINT))) {
      throw new IllegalArgumentException(
          runDir + " already holds a checkpoint: resume it or choose another directory");
    }
    Files.createDirectories(runDir);
    AtomicFiles.deleteStaleTemps(runDir); // of an earlier session killed mid-write
    AtomicFiles.writeString(
        runDir.resolve(CONFIG),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config.toJson()));
    Files.deleteIfExists(runDir.resolve(METRICS));
    return new MetaTrainer(config, runDir, data, nets, cpuClock);
  }

  /** The config a run directory was started with. */
  public static MetaTrainConfig readConfig(Path runDir) throws IOException {
    Path f = runDir.resolve(CONFIG);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(
          runDir + ": no " + CONFIG + " (not a meta-training run directory)");
    }
    return MetaTrainConfig.fromJson(JSON.readTree(f.toFile()));
  }

  /**
   * Continues the run in {@code runDir} from its last checkpoint with its saved config (or {@code
   * override} when not null, e.g. a longer budget). Metrics lines after the checkpoint (from a
   * killed session) are dropped.
   */
  public static MetaTrainer resume(
      Path runDir, ImageSet trainImages, TrainNets nets, MetaTrainConfig override)
      throws IOException {
    return resume(runDir, trainImages, nets, override, CpuClock::processSecondsOrNaN);
  }

  /**
   * As {@link #resume(Path, ImageSet, TrainNets, MetaTrainConfig)} on the same {@link Dataset} the
   * run started on.
   */
  public static MetaTrainer resume(
      Path runDir, Dataset data, TrainNets nets, MetaTrainConfig override) throws IOException {
    MetaTrainConfig config = override != null ? override : readConfig(runDir);
    return resume(runDir, data, nets, config, override != null, CpuClock::processSecondsOrNaN);
  }

  /** {@link #resume} with another CPU clock (tests). */
  static MetaTrainer resume(
      Path runDir,
      ImageSet trainImages,
      TrainNets nets,
      MetaTrainConfig override,
      DoubleSupplier cpuClock)
      throws IOException {
    MetaTrainConfig config = override != null ? override : readConfig(runDir);
    return resume(
        runDir,
        Dataset.cifar10(trainImages, null, config.augment()),
        nets,
        config,
        override != null,
        cpuClock);
  }

  private static MetaTrainer resume(
      Path runDir,
      Dataset data,
      TrainNets nets,
      MetaTrainConfig config,
      boolean overridden,
      DoubleSupplier cpuClock)
      throws IOException {
    Path ck = runDir.resolve(CHECKPOINT);
    if (!Files.isRegularFile(ck)) {
      throw new IllegalArgumentException(runDir + ": no " + CHECKPOINT + " to resume from");
    }
    AtomicFiles.deleteStaleTemps(runDir); // a session killed mid-write leaves its temporary file
    MetaTrainer t = new MetaTrainer(config, runDir, data, nets, cpuClock);
    try {
      t.load(ck);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    t.metrics.truncateFrom(t.step);
    // the GHN export belongs to the checkpoint: a session killed between the two writes left it one
    // checkpoint behind
    t.ghn.save(runDir.resolve(GHN));
    if (overridden) {
      AtomicFiles.writeString(
          runDir.resolve(CONFIG),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config.toJson()));
    }
    return t;
  }

  public MetaTrainConfig config() {
    return config;
  }

  /** The GHN being trained (its weights are live). */
  public Ghn ghn() {
    return ghn;
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
    return horizon;
  }

  /** Seconds of training so far, over all sessions. */
  public double elapsedSeconds() {
    return elapsedBefore + (System.nanoTime() - sessionStart) / 1e9;
  }

  /**
   * Process CPU seconds of training so far, over all sessions ({@link CpuClock}: every thread of
   * the JVM, counted from the trainer's creation in each session; NaN when the JVM does not report
   * it).
   */
  public double cpuSeconds() {
    return cpuBefore + cpuClock.getAsDouble() - cpuSessionStart;
  }

  /** The trainer's manager (GHN weights and Adam state): for memory checks. */
  NDManager manager() {
    return manager;
  }

  /** Whether the budget is used up. */
  public boolean done() {
    if (horizon > 0 && step >= horizon) {
      return true;
    }
    if (config.cpuMinutes() > 0 && cpuSeconds() >= config.cpuMinutes() * 60) {
      return true;
    }
    return config.minutes() > 0 && elapsedSeconds() >= config.minutes() * 60;
  }

  /** The used fraction of the time budgets (wall clock, CPU): the larger one when both are set. */
  private double timeFraction() {
    double frac = 0;
    if (config.minutes() > 0) {
      frac = elapsedSeconds() / (config.minutes() * 60);
    }
    if (config.cpuMinutes() > 0) {
      frac = Math.max(frac, cpuSeconds() / (config.cpuMinutes() * 60));
    }
    return frac;
  }

  /**
   * The learning rate of the next step (time-based milestones are fixed when their time is
   * reached). With {@link LrSchedule.Kind#COSINE} the decay follows the step over the total steps,
   * or without them the used fraction of the time budget; the warm-up factor ({@link
   * MetaTrainConfig#warmupSteps}) multiplies either schedule.
   */
  double currentLr() {
    double warm = LrSchedule.warmupFactor(step, config.warmupSteps());
    if (config.lrSchedule() == LrSchedule.Kind.COSINE) {
      double progress = horizon > 0 ? (double) step / horizon : timeFraction();
      return warm * LrSchedule.cosineAt(config.lr(), progress);
    }
    if (horizon <= 0) {
      double frac = timeFraction();
      if (milestones[0] < 0 && frac >= 2.0 / 3) {
        milestones[0] = step;
      }
      if (milestones[1] < 0 && frac >= 5.0 / 6) {
        milestones[1] = step;
      }
    }
    return warm * LrSchedule.multiStep(config.lr(), config.gamma(), milestones).lr(step);
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
    return new Result(
        done, step, skipped, elapsedSeconds(), runDir.resolve(CHECKPOINT), cpuSeconds());
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
    int epoch = batch.epoch();
    if (epoch != failedEpoch) {
      failedEpoch = epoch;
      failedInEpoch = 0;
    }
    double lr = currentLr();
    long t0 = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      List<NetArgs> args =
          nets.metaBatch(
              config.seed(),
              step,
              attempt,
              config.metaBatch(),
              widths,
              config.ghn().numClasses(),
              largeInput,
              config.netSampling());
      long tGraphs = System.nanoTime();
      List<Graph> graphs = new ArrayList<>(args.size());
      List<Long> sizes = new ArrayList<>(args.size());
      for (NetArgs a : args) {
        Graph g = NetworkBuilder.graph(a);
        graphs.add(g);
        sizes.add(g.numParams());
      }
      phaseNanos[0] = System.nanoTime() - tGraphs;
      updater.gcBeforeBackward = gcBeforeBackward;
      long dropoutSeed = dropoutSeed(config.seed(), step, attempt);
      MetaStep.Outcome out =
          exchange == null
              ? updater.run(graphs, batch, lr, dropoutSeed)
              : updater.apply(exchange.total(updater, graphs, batch, dropoutSeed), lr);
      System.arraycopy(updater.phaseNanos, 0, phaseNanos, 1, 4);
      if (out.applied()) {
        StepResult r =
            new StepResult(
                step,
                epoch,
                out.loss(),
                out.accuracy(),
                lr,
                out.gradNorm(),
                (System.nanoTime() - t0) / 1e9,
                attempt + 1,
                sizes,
                new Phases(
                    phaseNanos[0] / 1e9,
                    phaseNanos[1] / 1e9,
                    phaseNanos[2] / 1e9,
                    phaseNanos[3] / 1e9,
                    phaseNanos[4] / 1e9));
        if ((step + 1) % config.logEvery() == 0 || attempt > 0) {
          metrics.step(r, elapsedSeconds(), cpuSeconds(), ProcStatus.rssMb());
        }
        step++;
        return r;
      }
      lastFailure = out.failure();
      skipped++;
      failedInEpoch++;
      metrics.skipped(step, attempt, sizes);
      System.err.printf(
          "step %d: non-finite %s with nets %s (attempt %d); skipping this meta-batch%n",
          step, lastFailure, sizes, attempt + 1);
      if (failedInEpoch > loader.stepsPerEpoch() / 50) {
        throw new IllegalStateException(
            "out of patience after "
                + failedInEpoch
                + " failed meta-batches in epoch "
                + epoch
                + " (ppuda's limit: stepsPerEpoch / 50); restart from the checkpoint with another seed");
      }
    }
  }

  /**
   * Writes the checkpoint (GHN weights, Adam state, counters) as one safetensors file, atomically,
   * then the GHN alone as {@code ghn.safetensors} + {@code ghn.json} for {@code ./ghn4j eval}. The
   * checkpoint is the run's state; the GHN files are an export of its weights: {@link #resume}
   * rewrites them from the checkpoint, so a kill between the two writes (the GHN files one
   * checkpoint behind) leaves a pair that the next session makes consistent again.
   */
  public void checkpoint() throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager tmp = Devices.newManager()) {
      params.forEach((k, a) -> out.put("ghn." + k, a));
      out.putAll(adam.checkpointState());
      out.put("state.step", tmp.create(new long[] {step}));
      out.put("state.adam_t", tmp.create(new long[] {adam.steps()}));
      out.put("state.failed_in_epoch", tmp.create(new long[] {failedInEpoch, failedEpoch}));
      out.put("state.skipped", tmp.create(new long[] {skipped}));
      out.put("state.milestones", tmp.create(milestones.clone()));
      out.put("state.elapsed_s", tmp.create(new double[] {elapsedSeconds()}));
      out.put("state.cpu_s", tmp.create(new double[] {cpuSeconds()}));
      SafeTensors.write(
          runDir.resolve(CHECKPOINT), out, Map.of("format", "ghn4j-meta-checkpoint/1"));
    }
    metrics.flush();
    pauseBetweenPairWrites();
    ghn.save(runDir.resolve(GHN));
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

  private void load(Path ck) {
    try (NDManager tmp = Devices.newManager()) {
      Map<String, NDArray> t = SafeTensors.read(ck, tmp);
      boolean gradMode = ParamArrays.setGradMode(false);
      try {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
          NDArray src = t.get("ghn." + e.getKey());
          if (src == null) {
            throw new IllegalArgumentException(
                ck
                    + ": lacks GHN tensor ghn."
                    + e.getKey()
                    + " (was the run started with another GHN config?)");
          }
          ParamArrays.copyInto(src, e.getValue(), ck + ": ghn." + e.getKey());
        }
        adam.load(t, scalar(t, ck, "state.adam_t")[0]);
      } finally {
        ParamArrays.setGradMode(gradMode);
      }
      step = scalar(t, ck, "state.step")[0];
      long[] f = scalar(t, ck, "state.failed_in_epoch");
      failedInEpoch = (int) f[0];
      failedEpoch = (int) f[1];
      skipped = scalar(t, ck, "state.skipped")[0];
      long[] ms = scalar(t, ck, "state.milestones");
      if (horizon <= 0) {
        System.arraycopy(ms, 0, milestones, 0, 2);
      }
      NDArray el = t.get("state.elapsed_s");
      elapsedBefore = el == null ? 0 : el.toDoubleArray()[0];
      sessionStart = System.nanoTime();
      NDArray cpu =
          t.get("state.cpu_s"); // absent in checkpoints written before CPU budgets existed
      cpuBefore = cpu == null ? 0 : cpu.toDoubleArray()[0];
      cpuSessionStart = cpuClock.getAsDouble();
    }
  }

  private static long[] scalar(Map<String, NDArray> t, Path ck, String name) {
    NDArray a = t.get(name);
    if (a == null) {
      throw new IllegalArgumentException(ck + ": lacks " + name);
    }
    return a.toLongArray();
  }

  /** The metrics file ({@code metrics.jsonl}). */
  public Path metricsFile() {
    return runDir.resolve(METRICS);
  }

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

  /**
   * Makes every step take its gradient from {@code exchange} and apply it ({@link MetaStep#apply})
   * instead of computing the whole meta-batch here; null restores the local step. Returns this.
   */
  public MetaTrainer exchangeGradients(GradientExchange exchange) {
    this.exchange = exchange;
    return this;
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

  /**
   * Runs each meta-batch on {@code workers} threads with {@code intraOpThreads} PyTorch threads
   * each ({@link MetaStep#withWorkers}); the updates equal the sequential ones up to float
   * summation order. Returns this.
   */
  public MetaTrainer useWorkers(int workers, int intraOpThreads) {
    updater.withWorkers(workers, intraOpThreads);
    return this;
  }

  @Override
  public void close() {
    if (batches != null) {
      batches.close();
    }
    updater.close();
    metrics.close();
    manager.close();
  }

  /** The run's configuration as JSON (for printing). */
  public ObjectNode describe() {
    ObjectNode o = config.toJson();
    o.put("steps_per_epoch", stepsPerEpoch());
    o.put("total_steps", horizon);
    o.put("ghn_params", params.values().stream().mapToLong(NDArray::size).sum());
    return o;
  }

  static Shape shape(long... d) {
    return new Shape(d);
  }
}
