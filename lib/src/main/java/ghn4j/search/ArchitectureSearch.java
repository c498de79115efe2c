package ghn4j.search;

import ghn4j.properties.NetProperties;
import ghn4j.properties.Property;
import ghn4j.properties.Svr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Ranking candidate architectures by predicted properties and summarising how the chosen ones
 * really train. As ppuda's {@code property_prediction.py}, the regressor of each property is the
 * grid-searched SVR refitted on all nets with ground truth (val and test), applied to the
 * candidates' features; ppuda then keeps the single best net of its 100,000 search nets, we keep
 * the top k of N and compare them with k random candidates.
 */
public final class ArchitectureSearch {

  private ArchitectureSearch() {}

  /** A way to choose k candidates and the candidate indices it chose. */
  public record Choice(String method, int[] chosen) {}

  /** Predicted value of every property for every candidate. */
  public static Map<Property, double[]> predict(
      double[][] xKnown,
      Map<Property, double[]> yKnown,
      double[][] xCandidates,
      Map<Property, Svr.Params> params) {
    Map<Property, double[]> out = new EnumMap<>(Property.class);
    for (Property p : Property.values()) {
      if (yKnown.containsKey(p)) {
        Svr.Params best =
            params.containsKey(p)
                ? params.get(p)
                : Svr.gridSearch(xKnown, yKnown.get(p), Svr.ppudaGrid(), 5).best();
        out.put(p, Svr.fit(xKnown, yKnown.get(p), best).predict(xCandidates));
      }
    }
    return out;
  }

  /**
   * A combined score, higher is better: the mean of the properties' z-scores over the candidates,
   * each signed so that better is higher (accuracy and noise accuracy up, time down).
   */
  public static double[] combined(Map<Property, double[]> predicted, List<Property> properties) {
    int n = predicted.get(properties.get(0)).length;
    double[] out = new double[n];
    for (Property p : properties) {
      double[] v = predicted.get(p);
      double mean = Arrays.stream(v).average().orElse(0);
      double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / n);
      for (int i = 0; i < n; i++) {
        double z = sd == 0 ? 0 : (v[i] - mean) / sd;
        out[i] += (p.higherIsBetter() ? z : -z) / properties.size();
      }
    }
    return out;
  }

  /** Indices of the {@code k} highest scores (ties: lower index first). */
  public static int[] topK(double[] score, int k) {
    return IntStream.range(0, score.length)
        .boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparing(i -> i))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** {@code k} distinct random indices of {@code n}, drawn with {@code seed}. */
  public static int[] randomK(int n, int k, long seed) {
    List<Integer> all = new ArrayList<>(IntStream.range(0, n).boxed().toList());
    java.util.Collections.shuffle(all, new Random(seed));
    return all.subList(0, Math.min(k, n)).stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The comparison table: per method, the number of nets and mean ± std over its nets of each
   * measured property ({@code measured} by candidate index).
   */
  public static Table table(
      String title, List<Choice> choices, Map<Integer, NetProperties> measured) {
    StringColumn method = StringColumn.create("method");
    IntColumn nets = IntColumn.create("nets");
    Map<Property, StringColumn> cols = new EnumMap<>(Property.class);
    for (Property p : Property.values()) {
      cols.put(p, StringColumn.create(p.key()));
    }
    for (Choice c : choices) {
      method.append(c.method());
      nets.append(c.chosen().length);
      for (Property p : Property.values()) {
        double[] v =
            Arrays.stream(c.chosen())
                .mapToObj(measured::get)
                .mapToDouble(r -> r.value(p))
                .toArray();
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
        cols.get(p)
            .append(
                String.format(
                    p == Property.ACCURACY || p == Property.NOISE_ACCURACY
                        ? "%.1f ± %.1f"
                        : "%.3f ± %.3f",
                    mean,
                    sd));
      }
    }
    Table t = Table.create(title, method, nets);
    for (Property p : Property.values()) {
      t.addColumns(cols.get(p));
    }
    return t;
  }
}
