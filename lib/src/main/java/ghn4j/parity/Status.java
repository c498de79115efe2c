package ghn4j.parity;

/**
 * The outcome of one parity check: within tolerance or not. There is no third, "known difference"
 * outcome: a mismatch with the reference is a failure until it is explained and then checked for
 * real.
 */
public enum Status {
  /** Within tolerance / identical. */
  PASS("PASS"),
  /** Differs beyond tolerance, or the check could not run. */
  FAIL("FAIL");

  private final String label;

  Status(String label) {
    this.label = label;
  }

  /** The label printed in the table. */
  public String label() {
    return label;
  }

  /** Whether this outcome counts as a failure. */
  public boolean failing() {
    return this == FAIL;
  }
}
