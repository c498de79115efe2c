package ghn4j.train;

import ghn4j.optim.LrSchedule;
import java.util.function.DoubleSupplier;

/**
 * How long a meta-training run lasts and where it stands: a budget in steps (or epochs), wall-clock
 * minutes or minutes of process CPU time ({@link CpuClock}; fair on a shared machine), whichever
 * ends first, with time and CPU time added up over sessions; and the learning rate that follows
 * from it. With a step budget ppuda's milestones are fixed in steps ({@link
 * LrSchedule#ppudaMilestones}); with only time budgets a milestone falls at the first step that
 * reaches its fraction of the budget ({@link LrSchedule#PPUDA_FRACTIONS}) and is then kept (it is
 * checkpointed).
 */
final class TrainingBudget {

  private final MetaTrainConfig config;
  private final long horizon;
  private final long[] milestones;
  private DoubleSupplier cpuClock;
  private double elapsedBefore;
  private long sessionStart = System.nanoTime();
  private double cpuBefore;
  private double cpuSessionStart;

  /**
   * @param stepsPerEpoch steps in an epoch of the training images (for an epoch budget)
   * @param cpuClock process CPU seconds (NaN when the JVM does not report them)
   */
  TrainingBudget(MetaTrainConfig config, int stepsPerEpoch, DoubleSupplier cpuClock) {
    this.config = config;
    this.cpuClock = cpuClock;
    this.cpuSessionStart = cpuClock.getAsDouble();
    if (config.cpuMinutes() > 0 && Double.isNaN(cpuSessionStart)) {
      CpuClock.processSeconds(); // throws, explaining that this JVM has no process CPU time
    }
    this.horizon =
        config.steps() > 0
            ? config.steps()
            : config.epochs() > 0 && config.minutes() <= 0 && config.cpuMinutes() <= 0
                ? (long) config.epochs() * stepsPerEpoch
                : -1;
    this.milestones = horizon > 0 ? LrSchedule.ppudaMilestones(horizon) : new long[] {-1, -1};
  }

  /** Measures CPU time with {@code clock} from now on (tests). */
  void useCpuClock(DoubleSupplier clock) {
    cpuClock = clock;
    cpuSessionStart = clock.getAsDouble();
  }

  /** Total steps of the run when known (step or epoch budget), else -1. */
  long totalSteps() {
    return horizon;
  }

  /** Seconds of training so far, over all sessions. */
  double elapsedSeconds() {
    return elapsedBefore + (System.nanoTime() - sessionStart) / 1e9;
  }

  /** Process CPU seconds of training so far, over all sessions (NaN when not reported). */
  double cpuSeconds() {
    return cpuBefore + cpuClock.getAsDouble() - cpuSessionStart;
  }

  /** Whether the run is over after {@code step} steps. */
  boolean done(long step) {
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
   * The learning rate of step {@code step}, the next one to run. With {@link
   * LrSchedule.Kind#COSINE} the decay follows the step over the total steps, or without them the
   * used fraction of the time budget; the warm-up factor ({@link MetaTrainConfig#warmupSteps})
   * multiplies either schedule.
   */
  double lr(long step) {
    double warm = LrSchedule.warmupFactor(step, config.warmupSteps());
    if (config.lrSchedule() == LrSchedule.Kind.COSINE) {
      double progress = horizon > 0 ? (double) step / horizon : timeFraction();
      return warm * LrSchedule.cosineAt(config.lr(), progress);
    }
    if (horizon <= 0) {
      double frac = timeFraction();
      for (int i = 0; i < milestones.length; i++) {
        if (milestones[i] < 0 && frac >= LrSchedule.PPUDA_FRACTIONS.get(i)) {
          milestones[i] = step;
        }
      }
    }
    return warm * LrSchedule.multiStep(config.lr(), config.gamma(), milestones).lr(step);
  }

  /** The milestones so far (-1: not reached), for a checkpoint. */
  long[] milestones() {
    return milestones.clone();
  }

  /**
   * Continues from a checkpoint's clocks and, for a time budget, its milestones; this session's
   * clocks start now.
   */
  void restore(double elapsedSeconds, double cpuSeconds, long[] savedMilestones) {
    if (horizon <= 0) {
      System.arraycopy(savedMilestones, 0, milestones, 0, 2);
    }
    elapsedBefore = elapsedSeconds;
    sessionStart = System.nanoTime();
    cpuBefore = cpuSeconds;
    cpuSessionStart = cpuClock.getAsDouble();
  }
}
