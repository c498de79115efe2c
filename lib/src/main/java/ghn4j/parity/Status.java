package ghn4j.parity;

/** The outcome of one parity check. */
public enum Status {
  /** Within tolerance / identical. */
  PASS("PASS"),
  /** Differs in a way documented in docs/differences.md; a failure only with {@code --strict}. */
  KNOWN_DIFF("KNOWN-DIFF"),
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

  /** Whether this outcome counts as a failure ({@code strict}: known differences too). */
  public boolean failing(boolean strict) {
    return this == FAIL || (strict && this == KNOWN_DIFF);
  }
}
