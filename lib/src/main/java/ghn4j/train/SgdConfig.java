package ghn4j.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.eval.Evaluator;
import ghn4j.io.JsonRecords;
import ghn4j.optim.LrSchedule;

/**
 * Everything that defines training one network directly (from He initialisation or from
 * GHN-predicted parameters), written as {@code config.json} next to the run's {@code
 * metrics.jsonl}. Defaults ({@link #defaults}) are ppuda's {@code train_net.py}: SGD lr 0.025,
 * momentum 0.9, weight decay 3e-4, batch 96, cosine annealing, gradient clip 5; {@link #finetune}
 * is the paper's 100-shot fine-tuning recipe (50 epochs, weight decay 1e-3).
 *
 * @param optimizer {@link Optimizer#SGD} (PyTorch {@code torch.optim.SGD}: L2 added to the
 *     gradient, momentum, no dampening, no Nesterov) or {@link Optimizer#ADAMW} (PyTorch {@code
 *     torch.optim.AdamW}: decoupled decay, β = (0.9, 0.999), ε 1e-8)
 * @param lr base learning rate
 * @param momentum SGD momentum (ignored by AdamW)
 * @param weightDecay weight decay
 * @param schedule {@link Schedule#COSINE} (CosineAnnealingLR over the epochs, stepped per epoch) or
 *     {@link Schedule#STEP} (×0.1 at 2/3 and 5/6 of the epochs)
 * @param epochs passes over the training images
 * @param batchSize images per step
 * @param gradClip global gradient-norm clip (0: none)
 * @param augment random crop (padding 4) + horizontal flip
 * @param seed initialisation, data order, augmentation and dropout derive from it
 * @param evalBatchSize test batch size
 * @param prefetch image batches prepared ahead
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format"}) // then the components in their order
public record SgdConfig(
    Optimizer optimizer,
    double lr,
    double momentum,
    double weightDecay,
    Schedule schedule,
    int epochs,
    int batchSize,
    double gradClip,
    boolean augment,
    long seed,
    int evalBatchSize,
    int prefetch) {

  /** The {@code format} tag of an SGD run's {@code config.json}. */
  public static final String FORMAT = "ghn4j-sgd/1";

  /** The optimiser (JSON names as PyTorch's classes in lower case). */
  public enum Optimizer implements JsonRecords.Named {
    SGD,
    ADAMW;

    /** The optimiser named {@code name}; the error lists the allowed names. */
    @JsonCreator
    public static Optimizer parse(String name) {
      return JsonRecords.parseName(values(), "optimizer", name);
    }

    @Override
    public String toString() {
      return jsonName();
    }
  }

  /** The learning-rate schedule over the epochs. */
  public enum Schedule implements JsonRecords.Named {
    COSINE,
    STEP;

    /** The schedule named {@code name}; the error lists the allowed names. */
    @JsonCreator
    public static Schedule parse(String name) {
      return JsonRecords.parseName(values(), "schedule", name);
    }

    @Override
    public String toString() {
      return jsonName();
    }
  }

  public SgdConfig {
    if (optimizer == null || schedule == null) {
      throw new IllegalArgumentException("optimizer and schedule must be given");
    }
    if (epochs <= 0 || batchSize <= 0 || evalBatchSize <= 0 || prefetch <= 0) {
      throw new IllegalArgumentException("epochs, batch sizes and prefetch must be > 0");
    }
    if (!(lr > 0)) {
      throw new IllegalArgumentException("lr must be > 0, got " + lr);
    }
  }

  /**
   * ppuda's {@code train_net.py} defaults (SGD 0.025, momentum 0.9, wd 3e-4, batch 96, cosine, clip
   * 5), 50 epochs.
   */
  public static SgdConfig defaults() {
    return new SgdConfig(
        Optimizer.SGD,
        0.025,
        0.9,
        3e-4,
        Schedule.COSINE,
        50,
        96,
        5,
        true,
        0,
        Evaluator.DEFAULT_BATCH_SIZE,
        2);
  }

  /** The paper's 100-shot CIFAR-10 fine-tuning: the defaults with weight decay 1e-3, 50 epochs. */
  public static SgdConfig finetune() {
    return defaults().withWeightDecay(1e-3);
  }

  public SgdConfig withWeightDecay(double wd) {
    return new SgdConfig(
        optimizer,
        lr,
        momentum,
        wd,
        schedule,
        epochs,
        batchSize,
        gradClip,
        augment,
        seed,
        evalBatchSize,
        prefetch);
  }

  public SgdConfig withEpochs(int e) {
    return new SgdConfig(
        optimizer,
        lr,
        momentum,
        weightDecay,
        schedule,
        e,
        batchSize,
        gradClip,
        augment,
        seed,
        evalBatchSize,
        prefetch);
  }

  public SgdConfig withSeed(long s) {
    return new SgdConfig(
        optimizer,
        lr,
        momentum,
        weightDecay,
        schedule,
        epochs,
        batchSize,
        gradClip,
        augment,
        s,
        evalBatchSize,
        prefetch);
  }

  /** The learning rate schedule for {@code stepsPerEpoch} steps per epoch. */
  public LrSchedule lrSchedule(int stepsPerEpoch) {
    if (schedule == Schedule.COSINE) {
      return LrSchedule.cosine(lr, epochs, stepsPerEpoch);
    }
    return LrSchedule.multiStep(
        lr,
        0.1,
        Math.round(epochs * 2.0 / 3) * stepsPerEpoch,
        Math.round(epochs * 5.0 / 6) * stepsPerEpoch);
  }

  /** The format tag written first in {@link #toJson()}. */
  @JsonProperty("format")
  String format() {
    return FORMAT;
  }

  /** Reads {@link #toJson()}'s fields back (extra fields are ignored); errors name the field. */
  public static SgdConfig fromJson(JsonNode o) {
    return JsonRecords.read(o, SgdConfig.class, "SGD config");
  }

  /** The config as JSON (snake_case, enums by their JSON names). */
  public ObjectNode toJson() {
    return JsonRecords.tree(this);
  }
}
