package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Post-processing of predicted parameters before fine-tuning, from Knyazev 2022 ("Pretraining a
 * Neural Network before Knowing Its Architecture", ppuda's {@code utils/init.py}): GHN predictions
 * lack diversity (tiled, correlated filters), which hurts gradient descent; two fixes are applied
 * to every convolution and linear weight except the last one (the classifier):
 *
 * <ul>
 *   <li><b>noise</b> ({@code beta > 0}): {@code W += beta · std(corr(W)) · N(0, 1)}, where {@code
 *       corr(W)} are the correlation coefficients between the rows of the weight read as a matrix
 *       (out × in·kh·kw, transposed when it has fewer rows than columns), as {@code
 *       torch.corrcoef};
 *   <li><b>orthogonalisation</b>: the same matrix is replaced by the Q factor of its QR
 *       decomposition with the signs of R's diagonal folded in (the Q with a positive-diagonal R),
 *       keeping the shape.
 * </ul>
 *
 * Noise comes first when both are asked for, as in ppuda. Noise is drawn in Java from {@code (seed,
 * parameter name)}. ghn4j difference: constant rows (zero variance) give NaN correlations in torch
 * and hence NaN noise; we leave such rows out of the statistic.
 */
public final class Reinit {

  /**
   * What to apply.
   *
   * @param beta noise scale (0: none; ppuda's {@code --beta})
   * @param orthogonal orthogonalise (ppuda's {@code --init orth})
   * @param seed seed of the noise
   */
  public record Options(double beta, boolean orthogonal, long seed) {

    public Options {
      if (!(beta >= 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException(
            "noise scale beta must be a finite number >= 0, got " + beta);
      }
    }

    /** Nothing to do. */
    public static Options none() {
      return new Options(0, false, 0);
    }

    /** Whether any transform is asked for. */
    public boolean active() {
      return beta > 0 || orthogonal;
    }
  }

  private Reinit() {}

  /**
   * The names of the weights the transforms apply to: convolution and linear weights of rank ≥ 2 in
   * node order, the last one (the classifier) left out as in ppuda.
   */
  public static List<String> targets(Graph graph) {
    List<String> out = new ArrayList<>();
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Ops.Conv || n.op() instanceof Ops.Linear) {
        for (ParamSpec p : n.params()) {
          if (p.isWeight() && p.shape().length >= 2) {
            out.add(p.name());
          }
        }
      }
    }
    if (!out.isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /**
   * Applies {@code options} in place to the {@link #targets} of {@code graph} among {@code params}
   * (float32 or float64 arrays; grad mode must be off when they require gradients). Returns the
   * names transformed.
   */
  public static List<String> apply(Graph graph, Map<String, NDArray> params, Options options) {
    List<String> done = new ArrayList<>();
    if (!options.active()) {
      return done;
    }
    for (String name : targets(graph)) {
      NDArray w = params.get(name);
      if (w == null) {
        continue;
      }
      Shape shape = w.getShape();
      int rows = Math.toIntExact(shape.get(0));
      int cols = Math.toIntExact(shape.size() / rows);
      double[] v = w.toType(DataType.FLOAT64, false).toDoubleArray();
      boolean transposed = rows < cols;
      double[][] m = transposed ? transpose(v, rows, cols) : rowsOf(v, rows, cols);
      if (options.beta() > 0) {
        double s = options.beta() * correlationStd(m, w.getManager());
        SplittableRandom rnd =
            new SplittableRandom(options.seed() ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        for (double[] row : m) {
          for (int j = 0; j < row.length; j++) {
            row[j] += s * gaussian(rnd);
          }
        }
      }
      if (options.orthogonal()) {
        orthonormalColumns(m);
      }
      double[] out = transposed ? flattenTransposed(m, rows, cols) : flatten(m);
      try (NDManager tmp = w.getManager().newSubManager()) {
        NDArray src = Tensors.fromDoubles(tmp, out, shape, w.getDataType());
        w.set(src.toByteBuffer());
      }
      done.add(name);
    }
    return done;
  }

  /**
   * Sample standard deviation (n - 1) of all entries of the row correlation matrix of {@code m}
   * ({@code torch.corrcoef} then {@code .std()}), computed as {@code Z·Zᵀ} of the centred,
   * unit-norm rows in float64 by the engine.
   */
  static double correlationStd(double[][] m, NDManager parent) {
    List<double[]> z = new ArrayList<>();
    for (double[] row : m) {
      double mean = 0;
      for (double x : row) {
        mean += x;
      }
      mean /= row.length;
      double ss = 0;
      double[] c = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        c[j] = row[j] - mean;
        ss += c[j] * c[j];
      }
      if (ss > 0) {
        double inv = 1 / Math.sqrt(ss);
        for (int j = 0; j < c.length; j++) {
          c[j] *= inv;
        }
        z.add(c);
      }
    }
    if (z.size() < 1) {
      return 0;
    }
    int n = z.size();
    int d = m[0].length;
    double[] flat = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(z.get(i), 0, flat, i * d, d);
    }
    try (NDManager tmp = parent.newSubManager()) {
      NDArray zt = Tensors.fromDoubles(tmp, flat, new Shape(n, d), DataType.FLOAT64);
      NDArray corr = zt.matMul(zt.transpose());
      long count = corr.size();
      if (count < 2) {
        return 0;
      }
      double mean = corr.sum().getDouble() / count;
      double ss = corr.sub(mean).square().sum().getDouble();
      return Math.sqrt(ss / (count - 1));
    }
  }

  /**
   * Replaces the columns of {@code m} (rows ≥ columns) by the Q of its QR decomposition with a
   * positive-diagonal R (Gram-Schmidt, run twice for orthogonality in floating point). A column
   * dependent on the previous ones (zero residual) is left at zero, which cannot happen for
   * predicted weights with noise.
   */
  static void orthonormalColumns(double[][] m) {
    int rows = m.length;
    int cols = m[0].length;
    for (int j = 0; j < cols; j++) {
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < j; k++) {
          double dot = 0;
          for (int i = 0; i < rows; i++) {
            dot += m[i][k] * m[i][j];
          }
          for (int i = 0; i < rows; i++) {
            m[i][j] -= dot * m[i][k];
          }
        }
      }
      double norm = 0;
      for (int i = 0; i < rows; i++) {
        norm += m[i][j] * m[i][j];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < rows; i++) {
        m[i][j] = norm > 0 ? m[i][j] / norm : 0;
      }
    }
  }

  private static double[][] rowsOf(double[] v, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(v, i * cols, m[i], 0, cols);
    }
    return m;
  }

  private static double[][] transpose(double[] v, int rows, int cols) {
    double[][] m = new double[cols][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[j][i] = v[i * cols + j];
      }
    }
    return m;
  }

  private static double[] flatten(double[][] m) {
    int cols = m[0].length;
    double[] v = new double[m.length * cols];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, v, i * cols, cols);
    }
    return v;
  }

  private static double[] flattenTransposed(double[][] m, int rows, int cols) {
    double[] v = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        v[i * cols + j] = m[j][i];
      }
    }
    return v;
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller from two uniforms in (0, 1]
    double u1 = 1 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
