package ghn4j.train;

/**
 * Learning-rate schedules by optimisation step. {@link #multiStep} is PyTorch's {@code MultiStepLR} (×gamma at each
 * milestone; ppuda's GHN training uses milestones at epochs 200 and 250 of 300, i.e. 2/3 and 5/6 of the run);
 * {@link #cosine} is {@code CosineAnnealingLR(T_max)} stepped once per epoch as ppuda's {@code train_net.py}.
 */
public interface LrSchedule {

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

  /** Milestones at 2/3 and 5/6 of {@code horizon} steps (ppuda's 200/250 of 300 epochs). */
  static long[] ppudaMilestones(long horizon) {
    return new long[] {Math.round(horizon * 2.0 / 3), Math.round(horizon * 5.0 / 6)};
  }

  /** Cosine annealing to 0 over {@code epochs}, constant within an epoch of {@code stepsPerEpoch} steps. */
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
