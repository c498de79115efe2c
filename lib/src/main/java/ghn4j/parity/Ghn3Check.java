package ghn4j.parity;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import ghn4j.ghn.Ghn3Tiling;
import ghn4j.parity.PredictionCheck.Report;
import ghn4j.parity.PredictionCheck.Tolerance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one GHN-3 prediction that cannot match ghn3 number for number: a ViT positional embedding,
 * whose first token row ghn3 draws from {@code torch.normal(0, 0.02)} ({@link Ghn3Tiling}). Against
 * a digest of ghn3's tensor this checks every digest sample outside that row within the usual
 * tolerance, and the row's share of the digest's {@code sum}, {@code abs_sum} and {@code sum_sq}
 * (the digest minus our deterministic rows) and extremes against what {@code width} N(0, 0.02²)
 * values tiled along the row give, within 5 standard deviations. A wrong deterministic part large
 * enough to move those totals, or a wrong sample, fails.
 */
public final class Ghn3Check {

  private Ghn3Check() {}

  /**
   * Whether ghn3 fills part of a parameter of shape {@code shape} at random (the class-token row).
   */
  public static boolean hasRandomPart(int[] shape) {
    return Ghn3Tiling.randomClassToken(shape);
  }

  /**
   * Checks {@code ours} ({@code [1, tokens, dim]}) against its digest entry; {@code width} = how
   * many random values ghn3 drew before tiling them along {@code dim} ({@code min(dim,
   * max_shape[1])}).
   */
  public static Report classTokenDigest(
      String name, NDArray ours, JsonNode d, int width, Tolerance tol) {
    List<String> failures = new ArrayList<>();
    long[] shape = ours.getShape().getShape();
    long[] exp = new long[d.get("shape").size()];
    for (int i = 0; i < exp.length; i++) {
      exp[i] = d.get("shape").get(i).asLong();
    }
    if (!Arrays.equals(shape, exp)) {
      failures.add(
          name + ": shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(exp));
      return new Report(name, 1, failures, Double.NaN, Double.NaN, name);
    }
    float[] v = ours.toFloatArray();
    int row = (int) shape[2];
    double sum = 0;
    double abs = 0;
    double sq = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = row; i < v.length; i++) {
      sum += v[i];
      abs += Math.abs(v[i]);
      sq += (double) v[i] * v[i];
      min = Math.min(min, v[i]);
      max = Math.max(max, v[i]);
    }
    // the random row: value j of `width` repeated count[j] times along the row
    double count = row;
    double count2 = 0;
    for (int j = 0; j < width; j++) {
      int c = (row - j + width - 1) / width;
      count2 += (double) c * c;
    }
    double s = Ghn3Tiling.CLASS_TOKEN_STD;
    double maxAbs = 0;
    double maxRatio = 0;
    String worst = "-";
    int stride = d.get("sample_stride").asInt();
    JsonNode samples = d.get("samples");
    for (int k = 0; k < samples.size(); k++) {
      long idx = (long) k * stride;
      double e = samples.get(k).asDouble();
      if (idx >= v.length) {
        failures.add(name + ": sample " + k + " at " + idx + " is beyond the tensor");
        break;
      }
      if (idx < row) {
        if (Math.abs(e) > 5 * s) {
          failures.add(
              String.format(
                  "%s[%d] (random row): %.6g is not a plausible N(0, %.2g²) draw",
                  name, idx, e, s));
        }
        continue;
      }
      double r = tol.ratio(v[(int) idx], e);
      maxAbs = Math.max(maxAbs, Math.abs(v[(int) idx] - e));
      if (r > maxRatio) {
        maxRatio = r;
        worst = name + "[" + idx + "]";
      }
      if (r > 1) {
        failures.add(String.format("%s[%d]: got %.8g, expected %.8g", name, idx, v[(int) idx], e));
      }
    }
    double sumTol = 1e-4 * d.get("abs_sum").asDouble() + 1e-5;
    band(
        failures,
        name + " sum of the random row",
        d.get("sum").asDouble() - sum,
        0,
        5 * s * Math.sqrt(count2) + sumTol);
    band(
        failures,
        name + " abs_sum of the random row",
        d.get("abs_sum").asDouble() - abs,
        s * Math.sqrt(2 / Math.PI) * count,
        5 * s * Math.sqrt(1 - 2 / Math.PI) * Math.sqrt(count2) + sumTol);
    band(
        failures,
        name + " sum_sq of the random row",
        d.get("sum_sq").asDouble() - sq,
        s * s * count,
        5 * s * s * Math.sqrt(2 * count2) + 1e-4 * d.get("sum_sq").asDouble());
    extreme(failures, name + " min", d.get("min").asDouble(), min, -1, s, tol);
    extreme(failures, name + " max", d.get("max").asDouble(), max, 1, s, tol);
    return new Report(
        name + " (class-token row random in ghn3)", 1, failures, maxAbs, maxRatio, worst);
  }

  private static void band(
      List<String> failures, String what, double value, double mean, double halfWidth) {
    if (!(Math.abs(value - mean) <= halfWidth)) {
      failures.add(String.format("%s: %.6g, expected %.6g ± %.3g", what, value, mean, halfWidth));
    }
  }

  /**
   * The digest's min (sign −1) or max (+1): ours over the deterministic rows, or a plausible random
   * draw beyond it.
   */
  private static void extreme(
      List<String> failures,
      String what,
      double ref,
      double ours,
      int sign,
      double s,
      Tolerance tol) {
    double beyond =
        sign
            * (ref - ours); // > 0: the reference's extreme lies beyond ours, so it is in the random
    // row
    if (tol.ok(ours, ref)) {
      return;
    }
    if (beyond < 0 || Math.abs(ref) > 5 * s) {
      failures.add(
          String.format(
              "%s: got %.8g over the deterministic rows, reference %.8g", what, ours, ref));
    }
  }
}
