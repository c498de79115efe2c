package ghn4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.eval.Evaluator;
import ghn4j.optim.LrSchedule;

/**
 * Everything that defines training one network directly (from He initialisation or from
 * GHN-predicted parameters), written as {@code config.json} next to the run's {@code
 * metrics.jsonl}. Defaults ({@link #defaults}) are ppuda's {@code train_net.py}: SGD lr 0.025,
 * momentum 0.9, weight decay 3e-4, batch 96, cosine annealing, gradient clip 5; {@link #finetune}
 * is the paper's 100-shot fine-tuning recipe (50 epochs, weight decay 1e-3).
 *
 * @param optimizer {@code "sgd"} (PyTorch {@code torch.optim.SGD}: L2 added to the gradient,
 *     momentum, no dampening, no Nesterov) or {@code "adamw"} (PyTorch {@code torch.optim.AdamW}:
 *     decoupled decay, β = (0.9, 0.999), ε 1e-8)
 * @param lr base learning rate
 * @param momentum SGD momentum (ignored by AdamW)
 * @param weightDecay weight decay
 * @param schedule {@code "cosine"} (CosineAnnealingLR over the epochs, stepped per epoch) or {@code
 *     "step"} (×0.1 at 2/3 and 5/6 of the epochs)
 * @param epochs passes over the training images
 * @param batchSize images per step
 * @param gradClip global gradient-norm clip (0: none)
 * @param augment random crop (padding 4) + horizontal flip
 * @param seed initialisation, data order, augmentation and dropout derive from it
 * @param evalBatchSize test batch size
 * @param prefetch image batches prepared ahead
 */
public record SgdConfig(
    String optimizer,
    double lr,
    double momentum,
    double weightDecay,
    String schedule,
    int epochs,
    int batchSize,
    double gradClip,
    boolean augment,
    long seed,
    int evalBatchSize,
    int prefetch) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public SgdConfig {
    if (!optimizer.equals("sgd") && !optimizer.equals("adamw")) {
      throw new IllegalArgumentException("optimizer must be sgd or adamw, got " + optimizer);
    }
    if (!schedule.equals("cosine") && !schedule.equals("step")) {
      throw new IllegalArgumentException("schedule must be cosine or step, got " + schedule);
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
        "sgd", 0.025, 0.9, 3e-4, "cosine", 50, 96, 5, true, 0, Evaluator.DEFAULT_BATCH_SIZE, 2);
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
    if (schedule.equals("cosine")) {
      return LrSchedule.cosine(lr, epochs, stepsPerEpoch);
    }
    return LrSchedule.multiStep(
        lr,
        0.1,
        Math.round(epochs * 2.0 / 3) * stepsPerEpoch,
        Math.round(epochs * 5.0 / 6) * stepsPerEpoch);
  }

  /**
   * Reads {@link #toJson()}'s fields back (extra fields are ignored); the error names a missing
   * field.
   */
  public static SgdConfig fromJson(com.fasterxml.jackson.databind.JsonNode o) {
    for (String f :
        new String[] {
          "optimizer",
          "lr",
          "momentum",
          "weight_decay",
          "schedule",
          "epochs",
          "batch_size",
          "grad_clip",
          "augment",
          "seed",
          "eval_batch_size",
          "prefetch"
        }) {
      if (!o.has(f)) {
        throw new IllegalArgumentException("SGD config lacks field '" + f + "'");
      }
    }
    return new SgdConfig(
        o.get("optimizer").asText(),
        o.get("lr").asDouble(),
        o.get("momentum").asDouble(),
        o.get("weight_decay").asDouble(),
        o.get("schedule").asText(),
        o.get("epochs").asInt(),
        o.get("batch_size").asInt(),
        o.get("grad_clip").asDouble(),
        o.get("augment").asBoolean(),
        o.get("seed").asLong(),
        o.get("eval_batch_size").asInt(),
        o.get("prefetch").asInt());
  }

  /** The config as JSON (snake_case). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", "ghn4j-sgd/1");
    o.put("optimizer", optimizer);
    o.put("lr", lr);
    o.put("momentum", momentum);
    o.put("weight_decay", weightDecay);
    o.put("schedule", schedule);
    o.put("epochs", epochs);
    o.put("batch_size", batchSize);
    o.put("grad_clip", gradClip);
    o.put("augment", augment);
    o.put("seed", seed);
    o.put("eval_batch_size", evalBatchSize);
    o.put("prefetch", prefetch);
    return o;
  }
}
