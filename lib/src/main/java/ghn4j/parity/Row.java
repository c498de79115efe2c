package ghn4j.parity;

/**
 * One line of the parity table.
 *
 * @param caseName the fixture case: a net, or {@code <ghn> × <net>}
 * @param check what was compared, e.g. {@code num_params}, {@code logits(a)}
 * @param maxAbs the largest absolute element error, NaN when the check is not numeric
 * @param maxRatio the largest {@code |Δ| / (atol + rtol·|expected|)} (≤ 1 passes), NaN when not
 *     numeric
 * @param status the outcome
 * @param detail a short explanation (first failure, the difference, or a note)
 */
public record Row(
    String caseName, String check, double maxAbs, double maxRatio, Status status, String detail) {

  /** A non-numeric row. */
  public static Row of(String caseName, String check, Status status, String detail) {
    return new Row(caseName, check, Double.NaN, Double.NaN, status, detail);
  }
}
