package ghn4j.parity;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Formats parity {@link Row}s as a fixed-width table and a summary line. */
public final class ParityTable {

  private static final String FORMAT = "%-30s %-28s %10s %10s %-10s %s";

  private ParityTable() {}

  /** The table header. */
  public static String header() {
    return String.format(FORMAT, "case", "check", "max |Δ|", "max Δ/tol", "status", "detail");
  }

  /** One row; numbers in {@code %.2e}, {@code -} when the check is not numeric. */
  public static String format(Row r) {
    return String.format(
        FORMAT,
        r.caseName(),
        r.check(),
        num(r.maxAbs()),
        num(r.maxRatio()),
        r.status().label(),
        r.detail());
  }

  /** {@code N checks: P PASS, F FAIL} and the verdict. */
  public static String summary(List<Row> rows) {
    Map<Status, Integer> n = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      n.put(s, 0);
    }
    rows.forEach(r -> n.merge(r.status(), 1, Integer::sum));
    return String.format(
        "%d checks: %d PASS, %d FAIL → %s",
        rows.size(), n.get(Status.PASS), n.get(Status.FAIL), failed(rows) ? "FAILED" : "OK");
  }

  /** Whether any row fails. */
  public static boolean failed(List<Row> rows) {
    return rows.stream().anyMatch(r -> r.status().failing());
  }

  /** {@code time: phase 1.2 s, ...}. */
  public static String timings(Map<String, Double> seconds) {
    StringBuilder sb = new StringBuilder("time:");
    seconds.forEach((k, v) -> sb.append(String.format(" %s %.1f s;", k, v)));
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.2e", v);
  }
}
