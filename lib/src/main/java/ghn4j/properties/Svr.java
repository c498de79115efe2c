package ghn4j.properties;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.libsvm.LibSVMRegressionTrainer;
import org.tribuo.regression.libsvm.SVMRegressionType;

/**
 * Epsilon support-vector regression with an RBF kernel (Tribuo's LibSVM trainer, the same libsvm
 * scikit-learn's {@code SVR} wraps) and ppuda's hyper-parameter search: the grid C ∈ {1, 10, 50,
 * 100, 200, 500, 1000}, gamma ∈ {auto = 1/features, 0.05, 0.1, 0.2, 0.5}, epsilon ∈ {0.05, 0.1,
 * 0.2}, scored by the mean R² over 5 contiguous folds (scikit-learn's {@code GridSearchCV(SVR(),
 * grid, cv=5)}: KFold without shuffling, the regressor's default score; the first best in
 * scikit-learn's grid order wins ties).
 */
public final class Svr {

  /** One point of the grid; {@code gamma} NaN means "auto" (1 / number of features). */
  public record Params(double c, double gamma, double epsilon) {
    @Override
    public String toString() {
      return String.format(
          "C=%g gamma=%s epsilon=%g",
          c, Double.isNaN(gamma) ? "auto" : String.valueOf(gamma), epsilon);
    }
  }

  /** The grid search's winner and its mean cross-validated R². */
  public record Search(Params best, double meanR2) {}

  /**
   * ppuda's grid, in scikit-learn's iteration order (keys sorted: C, epsilon, gamma; last varies
   * fastest).
   */
  public static List<Params> ppudaGrid() {
    double[] cs = {1, 10, 50, 100, 200, 500, 1000};
    double[] gammas = {Double.NaN, 0.05, 0.1, 0.2, 0.5};
    double[] epsilons = {0.05, 0.1, 0.2};
    List<Params> grid = new ArrayList<>();
    for (double c : cs) {
      for (double e : epsilons) {
        for (double g : gammas) {
          grid.add(new Params(c, g, e));
        }
      }
    }
    return grid;
  }

  private static final RegressionFactory FACTORY = new RegressionFactory();

  /**
   * Tribuo's logger, held so its level sticks (java.util.logging keeps loggers weakly): Tribuo logs
   * every fit at INFO and warns "Setting cost for non-C_SVC model" on every epsilon-SVR although
   * libsvm uses C there; a grid search does thousands of fits.
   */
  private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

  static {
    TRIBUO_LOG.setLevel(Level.SEVERE);
    libsvm.svm.svm_set_print_string_function(s -> {});
  }

  private final Model<Regressor> model;
  private final String[] names;

  private Svr(Model<Regressor> model, String[] names) {
    this.model = model;
    this.names = names;
  }

  /**
   * Fits an SVR with {@code params} to rows {@code x} (all of one length) and targets {@code y}.
   */
  public static Svr fit(double[][] x, double[] y, Params params) {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException(
          "need as many targets as rows (> 0), got "
              + x.length
              + " rows, "
              + y.length
              + " targets");
    }
    int d = x[0].length;
    SVMParameters<Regressor> p =
        new SVMParameters<>(
            new SVMRegressionType(SVMRegressionType.SVMMode.EPSILON_SVR), KernelType.RBF);
    p.setCost(params.c());
    p.setGamma(Double.isNaN(params.gamma()) ? 1.0 / d : params.gamma());
    p.setEpsilon(params.epsilon());
    MutableDataset<Regressor> data =
        new MutableDataset<>(new SimpleDataSourceProvenance("ghn4j", FACTORY), FACTORY);
    String[] names = names(d);
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + x[i].length + " features, row 0 has " + d);
      }
      data.add(new ArrayExample<>(new Regressor("y", y[i]), names, x[i]));
    }
    // standardize = false: scikit-learn's SVR uses the targets as given
    LibSVMRegressionTrainer trainer = new LibSVMRegressionTrainer(p, false);
    return new Svr(trainer.train(data), names);
  }

  /** Predictions for rows {@code x}. */
  public double[] predict(double[][] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      Example<Regressor> e = new ArrayExample<>(FACTORY.getUnknownOutput(), names, x[i]);
      out[i] = model.predict(e).getOutput().getValues()[0];
    }
    return out;
  }

  /**
   * Grid search with {@code folds}-fold cross-validation (contiguous folds in the rows' order) over
   * {@code grid}.
   */
  public static Search gridSearch(double[][] x, double[] y, List<Params> grid, int folds) {
    int n = x.length;
    if (n < folds) {
      throw new IllegalArgumentException(
          folds + "-fold cross-validation needs at least " + folds + " rows, got " + n);
    }
    int[][] bounds = foldBounds(n, folds);
    Params best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Params p : grid) {
      double sum = 0;
      for (int[] b : bounds) {
        double[][] xt = new double[n - (b[1] - b[0])][];
        double[] yt = new double[xt.length];
        double[][] xv = new double[b[1] - b[0]][];
        double[] yv = new double[xv.length];
        for (int i = 0, t = 0; i < n; i++) {
          if (i >= b[0] && i < b[1]) {
            xv[i - b[0]] = x[i];
            yv[i - b[0]] = y[i];
          } else {
            xt[t] = x[i];
            yt[t++] = y[i];
          }
        }
        sum += r2(yv, fit(xt, yt, p).predict(xv));
      }
      double score = sum / folds;
      if (score > bestScore) {
        bestScore = score;
        best = p;
      }
    }
    if (best == null) {
      throw new IllegalStateException(
          "no grid point gave a finite score (constant targets in a fold?)");
    }
    return new Search(best, bestScore);
  }

  /**
   * scikit-learn's KFold(n_splits).split without shuffling: the first n % k folds get one extra
   * row.
   */
  static int[][] foldBounds(int n, int k) {
    int[][] out = new int[k][];
    int start = 0;
    for (int f = 0; f < k; f++) {
      int size = n / k + (f < n % k ? 1 : 0);
      out[f] = new int[] {start, start + size};
      start += size;
    }
    return out;
  }

  /**
   * Coefficient of determination as scikit-learn's {@code r2_score}: 1 - SS_res / SS_tot; for
   * constant targets 1 when predicted exactly, else 0.
   */
  static double r2(double[] y, double[] pred) {
    double mean = 0;
    for (double v : y) {
      mean += v;
    }
    mean /= y.length;
    double res = 0;
    double tot = 0;
    for (int i = 0; i < y.length; i++) {
      res += (y[i] - pred[i]) * (y[i] - pred[i]);
      tot += (y[i] - mean) * (y[i] - mean);
    }
    if (tot == 0) {
      return res == 0 ? 1 : 0;
    }
    return 1 - res / tot;
  }

  /**
   * Feature names f0000, f0001, ... (zero-padded so that Tribuo's sorted order is the column
   * order).
   */
  private static String[] names(int d) {
    String[] names = new String[d];
    for (int i = 0; i < d; i++) {
      String n = Integer.toString(i);
      names[i] = "f" + "0000".substring(Math.min(4, n.length())) + n;
    }
    return names;
  }
}
