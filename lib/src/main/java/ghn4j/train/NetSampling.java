package ghn4j.train;

/**
 * How meta-training draws a step's architectures beyond ppuda's uniform draw: with probability
 * {@code fraction} a net must have at most {@code maxParams} parameters (its stored count at C =
 * 32, before {@code TrainingWidth} re-draws the widths), otherwise any net is taken. Cheap nets
 * give more steps in a fixed CPU budget; ppuda draws uniformly ({@link #UNIFORM}, the default), so
 * this is a ghn4j addition (docs/differences.md).
 *
 * @param maxParams the cap (0: no cap, uniform as ppuda)
 * @param fraction the probability that a drawn net must respect the cap (1: every net)
 */
@com.fasterxml.jackson.databind.annotation.JsonNaming(
    com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NetSampling(long maxParams, double fraction) {

  /** ppuda's uniform draw. */
  public static final NetSampling UNIFORM = new NetSampling(0, 1);

  /** Draws before a capped slot gives up and takes the smallest net it saw. */
  static final int MAX_DRAWS = 200;

  public NetSampling {
    if (maxParams < 0) {
      throw new IllegalArgumentException(
          "net sampling: max params must be >= 0 (0 = no cap), got " + maxParams);
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "net sampling: fraction must be in [0, 1], got " + fraction);
    }
  }

  /** Whether the draw differs from ppuda's uniform one. */
  public boolean capped() {
    return maxParams > 0 && fraction > 0;
  }
}
