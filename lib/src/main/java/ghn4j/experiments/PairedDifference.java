package ghn4j.experiments;

import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recipe of a seeded {@link RecipeStudy} against a base recipe, paired on the same seeds and test
 * nets: at each seed both recipes' GHNs predicted parameters for the same nets, so the per-net
 * differences of top-1 cancel how hard each net is — a spread of several points that would
 * otherwise hide a difference between recipes.
 *
 * @param seeds the seeds both recipes ran; {@code seedDiffs} at each of them the mean over nets of
 *     (recipe − base) top-1 in points, {@code seedNetStdErrs} its standard error over the nets
 *     (sample std / √nets)
 * @param meanDiff the mean of {@code seedDiffs}; {@code seedStdErr} its standard error over seeds
 *     (sample std / √seeds; NaN for one seed)
 * @param ahead at how many of the seeds the recipe is ahead of the base
 */
public record PairedDifference(
    String recipe,
    String base,
    List<Integer> seeds,
    List<Double> seedDiffs,
    List<Double> seedNetStdErrs,
    double meanDiff,
    double seedStdErr,
    int ahead) {

  /**
   * Every recipe of {@code outcomes} but {@code base} against {@code base}, in first-seen order;
   * recipes that share no seed with the base are left out, and so are runs without a seed in their
   * name. The per-net accuracies come from {@code evalFiles}, the folder {@link
   * RecipeStudy#publish} writes ({@code <variant>.eval.csv}).
   *
   * @throws IllegalArgumentException naming the files when two paired runs were evaluated on
   *     different nets, or one is missing
   */
  public static List<PairedDifference> against(
      String base, List<RecipeStudy.Outcome> outcomes, Path evalFiles) {
    Map<String, Map<Integer, String>> runs = new LinkedHashMap<>();
    for (RecipeStudy.Outcome o : outcomes) {
      String v = o.variant();
      String recipe = RecipeStudy.recipeOf(v);
      if (!recipe.equals(v)) {
        int seed = Integer.parseInt(v.substring(recipe.length() + RecipeStudy.SEED_MARK.length()));
        runs.computeIfAbsent(recipe, k -> new LinkedHashMap<>()).put(seed, v);
      }
    }
    Map<Integer, String> baseRuns = runs.getOrDefault(base, Map.of());
    List<PairedDifference> out = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, String>> r : runs.entrySet()) {
      if (r.getKey().equals(base)) {
        continue;
      }
      List<Integer> seeds = new ArrayList<>();
      List<Double> diffs = new ArrayList<>();
      List<Double> ses = new ArrayList<>();
      for (Map.Entry<Integer, String> e : r.getValue().entrySet()) {
        String b = baseRuns.get(e.getKey());
        if (b != null) {
          double[] d =
              netDifferences(
                  evalFiles.resolve(e.getValue() + ".eval.csv"),
                  evalFiles.resolve(b + ".eval.csv"));
          seeds.add(e.getKey());
          diffs.add(mean(d));
          ses.add(stdErr(d));
        }
      }
      if (!seeds.isEmpty()) {
        double[] dd = diffs.stream().mapToDouble(Double::doubleValue).toArray();
        int ahead = (int) diffs.stream().filter(x -> x > 0).count();
        out.add(
            new PairedDifference(r.getKey(), base, seeds, diffs, ses, mean(dd), stdErr(dd), ahead));
      }
    }
    return out;
  }

  /** Per-net top-1 of {@code a} minus that of {@code b}, matched by split and net name. */
  static double[] netDifferences(Path a, Path b) {
    return netDifferences(EvalResults.read(a), EvalResults.read(b), a, b);
  }

  /**
   * {@link #netDifferences(Path, Path)} on results already read from files {@code a} and {@code b}.
   */
  static double[] netDifferences(
      List<Evaluator.NetResult> ra, List<Evaluator.NetResult> rb, Path a, Path b) {
    Map<String, Double> accB = new LinkedHashMap<>();
    rb.forEach(r -> accB.put(r.split() + "/" + r.net(), r.accuracy()));
    if (ra.size() != accB.size()) {
      throw new IllegalArgumentException(
          a + " and " + b + ": evaluated on " + ra.size() + " vs " + accB.size() + " nets");
    }
    double[] d = new double[ra.size()];
    for (int i = 0; i < d.length; i++) {
      Evaluator.NetResult r = ra.get(i);
      Double other = accB.get(r.split() + "/" + r.net());
      if (other == null) {
        throw new IllegalArgumentException(
            a + " has net " + r.split() + "/" + r.net() + ", which " + b + " does not");
      }
      d[i] = r.accuracy() - other;
    }
    return d;
  }

  private static double mean(double[] x) {
    return Arrays.stream(x).average().orElseThrow();
  }

  /**
   * Sample std / √n; NaN for fewer than two values. The study's one standard error over seeds (also
   * {@link RecipeStudy#bySeed}'s).
   */
  static double stdErr(double[] x) {
    if (x.length < 2) {
      return Double.NaN;
    }
    double m = mean(x);
    double ss = Arrays.stream(x).map(v -> (v - m) * (v - m)).sum();
    return Math.sqrt(ss / (x.length - 1) / x.length);
  }
}
