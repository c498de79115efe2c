package ghn4j.report;

/**
 * A notebook's self-check: each {@link #check} states one invariant of the notebook's results and
 * throws when it does not hold, so that the cell, the notebook and its smoke run fail; {@link
 * #passed} is the closing line. Also the chance bound the accuracy checks share.
 */
public final class SelfCheck {

  private int passed;

  /**
   * Counts {@code ok}, or throws.
   *
   * @throws IllegalStateException "self-check: " + {@code what} when {@code ok} is false
   */
  public void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("self-check: " + what);
    }
    passed++;
  }

  /** How many checks have held. */
  public int count() {
    return passed;
  }

  /** The closing line: "self-check passed: N invariants". */
  public String passed() {
    return "self-check passed: " + passed + " invariants";
  }

  /**
   * The top-1 (%) that a random 10-class classifier exceeds with about 2.5 % probability on {@code
   * images} images: 10 % plus two standard errors of a proportion 0.1, {@code 10 + 200 √(0.09 /
   * n)}.
   */
  public static double aboveChance(int images) {
    if (images <= 0) {
      throw new IllegalArgumentException("aboveChance: images must be positive, got " + images);
    }
    return 10 + 2 * 100 * Math.sqrt(0.1 * 0.9 / images);
  }
}
