package ghn4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.ghn.GhnConfig;
import ghn4j.io.JsonRecords;
import ghn4j.optim.LrSchedule;
import java.util.Map;

/**
 * Everything that defines a meta-training run (written as {@code config.json} next to its outputs
 * and read back on resume). Defaults are ppuda's {@code train_ghn.py} values for CIFAR-10 (see
 * {@link #defaults}). Build it by name, like nanoGPT's config with overrides: {@code
 * MetaTrainConfig.defaults().withMetaBatch(1).withCpuMinutes(5).withSeed(3)}; every copy is
 * validated, so budgets change together through {@link #withBudget}. (Its length is one small
 * {@code withX} per field; the JSON is the record's own, through {@link JsonRecords}.)
 *
 * @param ghn the GHN's architecture (preset ghn2/ghn1/mlp and its ablation switches)
 * @param metaBatch architectures per step (ppuda {@code -m}; the paper's GHN-2 uses 8)
 * @param batchSize images per step, shared by the meta-batch's nets (64)
 * @param lr Adam learning rate (1e-3)
 * @param weightDecay Adam's L2 weight decay (1e-5)
 * @param gradClip maximal global gradient norm (5)
 * @param gamma LR factor at each milestone (0.1; milestones at 2/3 and 5/6 of the run)
 * @param epochs budget in epochs over the training images (300); ignored when {@code steps > 0}
 * @param steps budget in steps (0: use epochs)
 * @param minutes wall-clock budget in minutes (0: none); the run stops at whichever budget ends
 *     first. With only a minutes budget the LR milestones are placed at 2/3 and 5/6 of the time
 * @param cpuMinutes budget in minutes of this process's CPU time ({@link CpuClock}, over all
 *     sessions; 0: none): fair between runs on a shared machine. Without a step or epoch budget, LR
 *     milestones are placed at 2/3 and 5/6 of the time budgets (the larger used fraction when both
 *     are set)
 * @param seed all randomness of step k derives from (seed, k): nets, widths, images, augmentation
 *     (1111)
 * @param numNets how many train-split architectures to draw from (1,000,000)
 * @param nets where architectures come from: {@code "generate"} (the train split generated on the
 *     fly) or a split directory
 * @param trainImages the first this many training images are used (45,000: ppuda holds out the last
 *     10 % for validation); 0 = all
 * @param augment crop with padding 4 + horizontal flip (ppuda's CIFAR training transform)
 * @param minC smallest width C drawn for a training net (32); {@code maxC} (128), {@code minFc}
 *     (64), {@code maxFc} (512): ppuda's {@code num_ch} and {@code fc_dim} ranges
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param logEvery steps between metrics lines (1)
 * @param prefetch image batches prepared ahead on the loader thread (4)
 * @param classifierDropout the nets' classifier dropout (p = 0.5 between fc layers) is active in
 *     meta-training, as in ppuda (true; {@code false} only to compare with recorded updates;
 *     configs written before it existed: false)
 * @param lrSchedule the schedule's shape: ppuda's multi-step ({@code gamma} at 2/3 and 5/6, the
 *     default) or cosine decay to 0 over the run (by step with a step or epoch budget, else by the
 *     used fraction of the time budget)
 * @param warmupSteps linear LR warm-up over the first this many steps, on top of the schedule (0:
 *     none, as ppuda)
 * @param netSampling how a step's nets are drawn ({@link NetSampling#UNIFORM}: uniformly, as ppuda)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format", "ghn"}) // then the components in their order
public record MetaTrainConfig(
    GhnConfig ghn,
    int metaBatch,
    int batchSize,
    double lr,
    double weightDecay,
    double gradClip,
    double gamma,
    int epochs,
    long steps,
    double minutes,
    double cpuMinutes,
    long seed,
    int numNets,
    String nets,
    int trainImages,
    boolean augment,
    int minC,
    int maxC,
    int minFc,
    int maxFc,
    int checkpointEvery,
    int logEvery,
    int prefetch,
    boolean classifierDropout,
    LrSchedule.Kind lrSchedule,
    long warmupSteps,
    NetSampling netSampling) {

  /** The {@code format} tag of {@code config.json}. */
  public static final String FORMAT = "ghn4j-meta-train/1";

  private static final String WHAT = "meta-training config";

  /**
   * The values of fields that configs written before they existed lack: no CPU budget, the
   * classifier's dropout off (those runs trained without it), multi-step LR, no warm-up, uniform
   * net sampling. Every other field is required.
   */
  private static final ObjectNode OMITTED =
      JsonRecords.object(
          Map.of(
              "cpu_minutes",
              0,
              "classifier_dropout",
              false,
              "lr_schedule",
              LrSchedule.Kind.MULTI_STEP.jsonName(),
              "warmup_steps",
              0,
              "net_sampling",
              Map.of("max_params", 0, "fraction", 1)));

  public MetaTrainConfig {
    if (metaBatch <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException("meta-batch and batch size must be > 0");
    }
    if (steps <= 0 && epochs <= 0 && minutes <= 0 && cpuMinutes <= 0) {
      throw new IllegalArgumentException(
          "no budget: give epochs, steps, minutes or CPU minutes > 0");
    }
    if (logEvery <= 0 || prefetch <= 0) {
      throw new IllegalArgumentException("logEvery and prefetch must be > 0");
    }
    if (lrSchedule == null || netSampling == null) {
      throw new IllegalArgumentException(
          "LR schedule and net sampling must be given (defaults: multistep, uniform)");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
    }
  }

  /**
   * ppuda's {@code train_ghn.py} recipe for {@code ghn} on CIFAR-10 (the defaults of {@code ./ghn4j
   * train}): meta-batch 8 (as the paper), 64 images, Adam 1e-3 / 1e-5, clip 5, gamma 0.1 at 2/3 and
   * 5/6, 300 epochs, seed 1111, 1,000,000 nets, the first 45,000 images with augmentation, C in
   * [32, 128], fc in [64, 512], checkpoints every 1000 steps, the classifier's dropout on, no
   * warm-up, uniform net sampling. Change fields by name with the {@code withX} methods.
   */
  public static MetaTrainConfig defaults(GhnConfig ghn) {
    return new MetaTrainConfig(
        ghn,
        8,
        64,
        1e-3,
        1e-5,
        5,
        0.1,
        300,
        0,
        0,
        0,
        1111,
        1_000_000,
        "generate",
        45_000,
        true,
        32,
        128,
        64,
        512,
        1000,
        1,
        4,
        true,
        LrSchedule.Kind.MULTI_STEP,
        0,
        NetSampling.UNIFORM);
  }

  /** {@link #defaults(GhnConfig)} for GHN-2 on CIFAR-10 ({@link GhnConfig#ghn2()}). */
  public static MetaTrainConfig defaults() {
    return defaults(GhnConfig.ghn2());
  }

  /**
   * A copy with another budget (and no CPU-time budget). The budget's fields change together: one
   * at a time, an intermediate config could have no budget at all.
   */
  public MetaTrainConfig withBudget(int newEpochs, long newSteps, double newMinutes) {
    return withBudget(newEpochs, newSteps, newMinutes, 0);
  }

  /** A copy with another budget, CPU minutes included. */
  public MetaTrainConfig withBudget(
      int newEpochs, long newSteps, double newMinutes, double newCpuMinutes) {
    return with(
        f -> {
          f.epochs = newEpochs;
          f.steps = newSteps;
          f.minutes = newMinutes;
          f.cpuMinutes = newCpuMinutes;
        });
  }

  /** A copy with another LR schedule, warm-up and net sampling (the recipe study's knobs). */
  public MetaTrainConfig withRecipe(LrSchedule.Kind schedule, long warmup, NetSampling sampling) {
    return with(
        f -> {
          f.lrSchedule = schedule;
          f.warmupSteps = warmup;
          f.netSampling = sampling;
        });
  }

  /** A copy with the training nets' widths: C in [minC, maxC], fc_dim in [minFc, maxFc]. */
  public MetaTrainConfig withWidths(int newMinC, int newMaxC, int newMinFc, int newMaxFc) {
    return with(
        f -> {
          f.minC = newMinC;
          f.maxC = newMaxC;
          f.minFc = newMinFc;
          f.maxFc = newMaxFc;
        });
  }

  /** A copy with another {@code ghn}. */
  public MetaTrainConfig withGhn(GhnConfig value) {
    return with(f -> f.ghn = value);
  }

  /** A copy with another {@code metaBatch}. */
  public MetaTrainConfig withMetaBatch(int value) {
    return with(f -> f.metaBatch = value);
  }

  /** A copy with another {@code batchSize}. */
  public MetaTrainConfig withBatchSize(int value) {
    return with(f -> f.batchSize = value);
  }

  /** A copy with another {@code lr}. */
  public MetaTrainConfig withLr(double value) {
    return with(f -> f.lr = value);
  }

  /** A copy with another {@code weightDecay}. */
  public MetaTrainConfig withWeightDecay(double value) {
    return with(f -> f.weightDecay = value);
  }

  /** A copy with another {@code gradClip}. */
  public MetaTrainConfig withGradClip(double value) {
    return with(f -> f.gradClip = value);
  }

  /** A copy with another {@code gamma}. */
  public MetaTrainConfig withGamma(double value) {
    return with(f -> f.gamma = value);
  }

  /**
   * A copy with another {@code epochs} (see {@link #withBudget} to change several budgets at once).
   */
  public MetaTrainConfig withEpochs(int value) {
    return with(f -> f.epochs = value);
  }

  /**
   * A copy with another {@code steps} (see {@link #withBudget} to change several budgets at once).
   */
  public MetaTrainConfig withSteps(long value) {
    return with(f -> f.steps = value);
  }

  /**
   * A copy with another {@code minutes} (see {@link #withBudget} to change several budgets at
   * once).
   */
  public MetaTrainConfig withMinutes(double value) {
    return with(f -> f.minutes = value);
  }

  /**
   * A copy with another {@code cpuMinutes} (see {@link #withBudget} to change several budgets at
   * once).
   */
  public MetaTrainConfig withCpuMinutes(double value) {
    return with(f -> f.cpuMinutes = value);
  }

  /** A copy with another {@code seed}. */
  public MetaTrainConfig withSeed(long value) {
    return with(f -> f.seed = value);
  }

  /** A copy with another {@code numNets}. */
  public MetaTrainConfig withNumNets(int value) {
    return with(f -> f.numNets = value);
  }

  /** A copy with another {@code nets}. */
  public MetaTrainConfig withNets(String value) {
    return with(f -> f.nets = value);
  }

  /** A copy with another {@code trainImages}. */
  public MetaTrainConfig withTrainImages(int value) {
    return with(f -> f.trainImages = value);
  }

  /** A copy with another {@code augment}. */
  public MetaTrainConfig withAugment(boolean value) {
    return with(f -> f.augment = value);
  }

  /** A copy with another {@code minC}. */
  public MetaTrainConfig withMinC(int value) {
    return with(f -> f.minC = value);
  }

  /** A copy with another {@code maxC}. */
  public MetaTrainConfig withMaxC(int value) {
    return with(f -> f.maxC = value);
  }

  /** A copy with another {@code minFc}. */
  public MetaTrainConfig withMinFc(int value) {
    return with(f -> f.minFc = value);
  }

  /** A copy with another {@code maxFc}. */
  public MetaTrainConfig withMaxFc(int value) {
    return with(f -> f.maxFc = value);
  }

  /** A copy with another {@code checkpointEvery}. */
  public MetaTrainConfig withCheckpointEvery(int value) {
    return with(f -> f.checkpointEvery = value);
  }

  /** A copy with another {@code logEvery}. */
  public MetaTrainConfig withLogEvery(int value) {
    return with(f -> f.logEvery = value);
  }

  /** A copy with another {@code prefetch}. */
  public MetaTrainConfig withPrefetch(int value) {
    return with(f -> f.prefetch = value);
  }

  /** A copy with another {@code classifierDropout}. */
  public MetaTrainConfig withClassifierDropout(boolean value) {
    return with(f -> f.classifierDropout = value);
  }

  /** A copy with another {@code lrSchedule}. */
  public MetaTrainConfig withLrSchedule(LrSchedule.Kind value) {
    return with(f -> f.lrSchedule = value);
  }

  /** A copy with another {@code warmupSteps}. */
  public MetaTrainConfig withWarmupSteps(long value) {
    return with(f -> f.warmupSteps = value);
  }

  /** A copy with another {@code netSampling}. */
  public MetaTrainConfig withNetSampling(NetSampling value) {
    return with(f -> f.netSampling = value);
  }

  private MetaTrainConfig with(java.util.function.Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** A mutable copy of the fields, so that each {@code withX} names only the field it changes. */
  private static final class Fields {
    GhnConfig ghn;
    int metaBatch;
    int batchSize;
    double lr;
    double weightDecay;
    double gradClip;
    double gamma;
    int epochs;
    long steps;
    double minutes;
    double cpuMinutes;
    long seed;
    int numNets;
    String nets;
    int trainImages;
    boolean augment;
    int minC;
    int maxC;
    int minFc;
    int maxFc;
    int checkpointEvery;
    int logEvery;
    int prefetch;
    boolean classifierDropout;
    LrSchedule.Kind lrSchedule;
    long warmupSteps;
    NetSampling netSampling;

    Fields(MetaTrainConfig c) {
      ghn = c.ghn;
      metaBatch = c.metaBatch;
      batchSize = c.batchSize;
      lr = c.lr;
      weightDecay = c.weightDecay;
      gradClip = c.gradClip;
      gamma = c.gamma;
      epochs = c.epochs;
      steps = c.steps;
      minutes = c.minutes;
      cpuMinutes = c.cpuMinutes;
      seed = c.seed;
      numNets = c.numNets;
      nets = c.nets;
      trainImages = c.trainImages;
      augment = c.augment;
      minC = c.minC;
      maxC = c.maxC;
      minFc = c.minFc;
      maxFc = c.maxFc;
      checkpointEvery = c.checkpointEvery;
      logEvery = c.logEvery;
      prefetch = c.prefetch;
      classifierDropout = c.classifierDropout;
      lrSchedule = c.lrSchedule;
      warmupSteps = c.warmupSteps;
      netSampling = c.netSampling;
    }

    MetaTrainConfig build() {
      return new MetaTrainConfig(
          ghn,
          metaBatch,
          batchSize,
          lr,
          weightDecay,
          gradClip,
          gamma,
          epochs,
          steps,
          minutes,
          cpuMinutes,
          seed,
          numNets,
          nets,
          trainImages,
          augment,
          minC,
          maxC,
          minFc,
          maxFc,
          checkpointEvery,
          logEvery,
          prefetch,
          classifierDropout,
          lrSchedule,
          warmupSteps,
          netSampling);
    }
  }

  /** The format tag written first in {@link #toJson()}. */
  @JsonProperty("format")
  String format() {
    return FORMAT;
  }

  /**
   * The config as JSON: the components in snake_case after {@code "format"}, the GHN under {@code
   * "ghn"} with ppuda's field names, enums by their JSON names.
   */
  public ObjectNode toJson() {
    return JsonRecords.tree(this);
  }

  /**
   * Reads {@link #toJson()}'s form; a missing field is an error naming it, except {@code
   * cpu_minutes} (0 when absent), {@code classifier_dropout} (false when absent: those runs trained
   * without it), {@code lr_schedule} (multistep), {@code warmup_steps} (0) and {@code net_sampling}
   * (uniform), which configs written before they existed lack. The GHN's own omissible fields take
   * {@link GhnConfig#fromJson}'s defaults.
   */
  public static MetaTrainConfig fromJson(JsonNode o) {
    ObjectNode filled = JsonRecords.withDefaults(o, OMITTED, WHAT);
    JsonNode ghn = filled.get("ghn");
    if (ghn == null || ghn.isNull()) {
      throw new IllegalArgumentException(WHAT + " lacks 'ghn'");
    }
    filled.set("ghn", GhnConfig.fromJson(ghn).toJson());
    return JsonRecords.read(filled, MetaTrainConfig.class, WHAT);
  }
}
