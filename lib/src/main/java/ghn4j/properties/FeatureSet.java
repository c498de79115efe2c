package ghn4j.properties;

import ghn4j.ghn.Ghn;
import ghn4j.graph.Graph;
import java.util.List;
import java.util.function.Function;

/**
 * A named way to turn a net's graph into a feature vector for the regressors.
 *
 * @param name how tables name it
 * @param features the vector of one graph
 * @param standardize z-score the columns with the training nets' statistics before regression
 */
public record FeatureSet(String name, Function<Graph, double[]> features, boolean standardize) {

  /** The mean node embedding of {@code ghn} (used as is, as ppuda does). */
  public static FeatureSet ghn(String name, Ghn ghn) {
    return new FeatureSet(name, g -> Features.ghnMean(ghn, g), false);
  }

  /** The simple-graph baseline: log10 parameters, nodes, depth (standardised). */
  public static FeatureSet simple() {
    return new FeatureSet("params+nodes+depth", Features::simple, true);
  }

  /** {train rows, test rows} for the two lists of graphs. */
  public double[][][] rows(List<Graph> train, List<Graph> test) {
    double[][] a = train.stream().map(features).toArray(double[][]::new);
    double[][] b = test.stream().map(features).toArray(double[][]::new);
    if (standardize) {
      return new double[][][] {Features.standardize(a, a), Features.standardize(a, b)};
    }
    return new double[][][] {a, b};
  }
}
