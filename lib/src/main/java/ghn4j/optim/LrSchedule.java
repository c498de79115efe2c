package ghn4j.optim;

/**
 * Learning-rate schedules by optimisation step. {@link #multiStep} is PyTorch's {@code MultiStepLR}
 * (×gamma at each milestone; ppuda's GHN training uses milestones at epochs 200 and 250 of 300,
 * i.e. 2/3 and 5/6 of the run); {@link #cosine} is {@code CosineAnnealingLR(T_max)} stepped once
 * per epoch as ppuda's {@code train_net.py}. {@link #cosineAt} and {@link #warmupFactor} are the
 * meta-training alternatives of {@link Kind#COSINE} (ghn3 trains its GHNs with linear warm-up and
 * cosine decay; ppuda's GHN-2 with multi-step).
 */
public interface LrSchedule {

  /**
   * The shape of meta-training's schedule ({@code ghn4j.train.MetaTrainConfig#lrSchedule}; JSON
   * names as written in {@code config.json}): ppuda's multi-step (the default) or cosine decay to 0
   * over the run.
   */
  enum Kind {
    MULTI_STEP("multistep"),
    COSINE("cosine");

    private final String jsonName;

    Kind(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The name in config files and on the command line. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String jsonName() {
      return jsonName;
    }

    /** The kind named {@code name}; the error lists the allowed names. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Kind parse(String name) {
      return ghn4j.io.JsonRecords.parseName(values(), Kind::jsonName, "lr_schedule", name);
    }

    @Override
    public String toString() {
      return jsonName;
    }
  }

  /**
   * Cosine decay from {@code base} at progress 0 to 0 at progress 1 ({@code progress} is clamped to
   * [0, 1]): the progress of a run is its step over its total steps, or the used fraction of a time
   * budget.
   */
  static double cosineAt(double base, double progress) {
    double p = Math.min(1, Math.max(0, progress));
    return base * (1 + Math.cos(Math.PI * p)) / 2;
  }

  /**
   * Linear warm-up: {@code (step + 1) / warmupSteps} during the first {@code warmupSteps} steps,
   * then 1.
   */
  static double warmupFactor(long step, long warmupSteps) {
    return warmupSteps > 0 && step < warmupSteps ? (step + 1.0) / warmupSteps : 1;
  }

  /** The learning rate for optimisation step {@code step} (0-based). */
  double lr(long step);

  /** {@code base · gamma^(number of milestones ≤ step)}. */
  static LrSchedule multiStep(double base, double gamma, long... milestones) {
    long[] ms = milestones.clone();
    return step -> {
      double lr = base;
      for (long m : ms) {
        if (m >= 0 && step >= m) {
          lr *= gamma;
        }
      }
      return lr;
    };
  }

  /**
   * ppuda's milestones as fractions of a run: 2/3 and 5/6 (epochs 200 and 250 of 300). A run whose
   * length is a time budget reaches milestone {@code i} at the first step past fraction {@code i}
   * of it.
   */
  java.util.List<Double> PPUDA_FRACTIONS = java.util.List.of(2.0 / 3, 5.0 / 6);

  /**
   * Milestones at 2/3 and 5/6 ({@link #PPUDA_FRACTIONS}) of {@code horizon} steps, rounded (ppuda's
   * 200/250 of 300 epochs).
   */
  static long[] ppudaMilestones(long horizon) {
    return new long[] {Math.round(horizon * 2.0 / 3), Math.round(horizon * 5.0 / 6)};
  }

  /**
   * Cosine annealing to 0 over {@code epochs}, constant within an epoch of {@code stepsPerEpoch}
   * steps.
   */
  static LrSchedule cosine(double base, int epochs, int stepsPerEpoch) {
    return step -> {
      long epoch = step / stepsPerEpoch;
      return base * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
    };
  }

  /** {@code StepLR}: ×gamma every {@code everyEpochs} epochs. */
  static LrSchedule stepEvery(double base, double gamma, int everyEpochs, int stepsPerEpoch) {
    return step -> base * Math.pow(gamma, (double) (step / stepsPerEpoch / everyEpochs));
  }
}
