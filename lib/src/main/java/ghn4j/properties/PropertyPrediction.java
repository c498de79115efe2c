package ghn4j.properties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The property-prediction experiment of ppuda's {@code property_prediction.py}: for a property and
 * a feature set, a grid-searched RBF {@link Svr} is fitted on the training nets (ppuda: the 500 val
 * nets) and scored by Kendall's tau between its predictions and the true values of the test nets.
 * It is repeated for several seeds: a seed permutes the training rows before the grid search, so
 * the cross-validation folds (and possibly the chosen hyper-parameters) change; the last run keeps
 * the original order (ppuda's seeds 0, 1, 2, 3, None). The final fit always uses the training rows
 * in order. Accuracy predictions are rounded to integers as ppuda does ({@link
 * Property#roundPredictions()}).
 *
 * <p>A regressor that finds nothing to rank (a flat fit, e.g. a small C against near-chance
 * accuracies) can predict one value for every test net once rounded; Kendall's tau is then
 * undefined at that seed (NaN, as scipy's {@code kendalltau} in ppuda) and so is the mean over
 * seeds ({@code np.mean}). {@link Score#constantSeeds()} counts such seeds, so a report can say why
 * a tau is missing instead of showing a bare NaN.
 */
public final class PropertyPrediction {

  private PropertyPrediction() {}

  /**
   * Kendall's tau over seeds for one property and feature set, with the hyper-parameters of the
   * last seed.
   *
   * @param constantSeeds seeds at which the (rounded) predictions were one value for every test
   *     net, which leaves tau undefined there
   */
  public record Score(
      Property property,
      String features,
      double mean,
      double std,
      double[] perSeed,
      int constantSeeds,
      Svr.Params params) {

    /** "mean ± std", or why tau is undefined. */
    public String cell() {
      if (Double.isNaN(mean) && constantSeeds > 0) {
        return String.format(
            "undefined (one predicted value at %d of %d seeds)", constantSeeds, perSeed.length);
      }
      return String.format("%.3f ± %.3f", mean, std);
    }

    @Override
    public String toString() {
      return String.format("%s / %s: tau %s (%s)", property.key(), features, cell(), params);
    }
  }

  /**
   * Runs the experiment.
   *
   * @param seeds number of runs (the last with the rows in their original order); ppuda: 5
   */
  public static Score evaluate(
      Property property,
      String features,
      double[][] xTrain,
      double[] yTrain,
      double[][] xTest,
      double[] yTest,
      int seeds,
      List<Svr.Params> grid) {
    if (seeds <= 0) {
      throw new IllegalArgumentException("seeds must be > 0, got " + seeds);
    }
    double[] taus = new double[seeds];
    int constant = 0;
    Svr.Params last = null;
    for (int s = 0; s < seeds; s++) {
      int[] order = s == seeds - 1 ? identity(xTrain.length) : permutation(xTrain.length, s);
      double[][] xs = new double[order.length][];
      double[] ys = new double[order.length];
      for (int i = 0; i < order.length; i++) {
        xs[i] = xTrain[order[i]];
        ys[i] = yTrain[order[i]];
      }
      Svr.Params best = Svr.gridSearch(xs, ys, grid, 5).best();
      double[] pred = Svr.fit(xTrain, yTrain, best).predict(xTest);
      if (property.roundPredictions()) {
        for (int i = 0; i < pred.length; i++) {
          pred[i] = Math.rint(pred[i]);
        }
      }
      taus[s] = KendallTau.tauB(yTest, pred);
      if (Arrays.stream(pred).allMatch(v -> v == pred[0])) {
        constant++;
      }
      last = best;
    }
    double mean = 0;
    for (double t : taus) {
      mean += t / seeds;
    }
    double var = 0;
    for (double t : taus) {
      var += (t - mean) * (t - mean) / seeds; // population std, as numpy's np.std
    }
    return new Score(property, features, mean, Math.sqrt(var), taus, constant, last);
  }

  /** {@link #evaluate} for every property, {@code y.get(p)} holding train/test values. */
  public static List<Score> evaluateAll(
      String features,
      double[][] xTrain,
      double[][] xTest,
      java.util.Map<Property, double[][]> y,
      int seeds,
      List<Svr.Params> grid) {
    List<Score> out = new ArrayList<>();
    for (Property p : Property.values()) {
      double[][] v = y.get(p);
      if (v != null) {
        out.add(evaluate(p, features, xTrain, v[0], xTest, v[1], seeds, grid));
      }
    }
    return out;
  }

  static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  static int[] permutation(int n, long seed) {
    int[] a = identity(n);
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
