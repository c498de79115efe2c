package ghn4j.properties;

import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import ghn4j.graph.Graph;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The whole property-prediction experiment on a training set of nets (ppuda: val) and a test set
 * (ppuda: test): the nets' graphs and true properties ({@link Data}, from our {@link GroundTruth}
 * runs or from ppuda's published {@link ReferenceResults}), then Kendall's tau of every {@link
 * FeatureSet} for every property, as a table.
 */
public final class PropertyExperiment {

  private PropertyExperiment() {}

  /**
   * Graphs and true values of the training and the test nets.
   *
   * @param y per property: {training values, test values}
   */
  public record Data(List<Graph> train, List<Graph> test, Map<Property, double[][]> y) {}

  /**
   * From ground-truth records; graphs are built from {@code nets} at the budget's width ({@code
   * narrow}).
   */
  public static Data fromGroundTruth(
      List<SampledNet> trainNets,
      List<NetProperties> train,
      List<SampledNet> testNets,
      List<NetProperties> test,
      UnaryOperator<NetArgs> narrow) {
    Map<Property, double[][]> y = new EnumMap<>(Property.class);
    for (Property p : Property.values()) {
      y.put(
          p,
          new double[][] {
            train.stream().mapToDouble(r -> r.value(p)).toArray(),
            test.stream().mapToDouble(r -> r.value(p)).toArray()
          });
    }
    return new Data(graphs(trainNets, narrow), graphs(testNets, narrow), y);
  }

  /**
   * From ppuda's published results: {@code val}/{@code test} nets as the official meta files define
   * them (at their published width) and their values under each property's key.
   */
  public static Data fromReference(
      ReferenceResults r, List<SampledNet> valNets, List<SampledNet> testNets) {
    Map<Property, double[][]> y = new EnumMap<>(Property.class);
    for (Property p : Property.values()) {
      double[] tr = r.values("val", p);
      double[] te = r.values("test", p);
      y.put(p, new double[][] {pick(tr, valNets, "val"), pick(te, testNets, "test")});
    }
    return new Data(
        graphs(valNets, UnaryOperator.identity()), graphs(testNets, UnaryOperator.identity()), y);
  }

  private static double[] pick(double[] all, List<SampledNet> nets, String split) {
    double[] out = new double[nets.size()];
    for (int i = 0; i < out.length; i++) {
      int idx = nets.get(i).index();
      if (idx >= all.length) {
        throw new IllegalArgumentException(
            "results have " + all.length + " " + split + " nets, no index " + idx);
      }
      out[i] = all[idx];
    }
    return out;
  }

  private static List<Graph> graphs(List<SampledNet> nets, UnaryOperator<NetArgs> narrow) {
    List<Graph> out = new ArrayList<>(nets.size());
    for (SampledNet n : nets) {
      out.add(NetworkBuilder.graph(narrow.apply(n.args())));
    }
    return out;
  }

  /**
   * Kendall's tau of every feature set for every property ({@code seeds} runs each, ppuda's grid).
   */
  public static List<PropertyPrediction.Score> run(
      Data data, List<FeatureSet> sets, int seeds, Consumer<PropertyPrediction.Score> onEach) {
    return run(data, sets, seeds, Svr.ppudaGrid(), onEach);
  }

  /**
   * {@link #run(Data, List, int, Consumer)} with another hyper-parameter grid (e.g. a small one for
   * smoke runs).
   */
  public static List<PropertyPrediction.Score> run(
      Data data,
      List<FeatureSet> sets,
      int seeds,
      List<Svr.Params> grid,
      Consumer<PropertyPrediction.Score> onEach) {
    List<PropertyPrediction.Score> out = new ArrayList<>();
    for (FeatureSet fs : sets) {
      double[][][] x = fs.rows(data.train(), data.test());
      for (Property p : Property.values()) {
        double[][] y = data.y().get(p);
        PropertyPrediction.Score s =
            PropertyPrediction.evaluate(p, fs.name(), x[0], y[0], x[1], y[1], seeds, grid);
        out.add(s);
        if (onEach != null) {
          onEach.accept(s);
        }
      }
    }
    return out;
  }

  /**
   * One row per feature set, one column per property: "tau mean ± std", or why it is undefined
   * ({@link PropertyPrediction.Score#cell()}).
   */
  public static Table table(String title, List<PropertyPrediction.Score> scores) {
    StringColumn fsCol = StringColumn.create("features");
    Map<Property, StringColumn> cols = new EnumMap<>(Property.class);
    for (Property p : Property.values()) {
      cols.put(p, StringColumn.create(p.key()));
    }
    List<String> names =
        scores.stream().map(PropertyPrediction.Score::features).distinct().toList();
    for (String n : names) {
      fsCol.append(n);
      for (Property p : Property.values()) {
        String cell =
            scores.stream()
                .filter(s -> s.features().equals(n) && s.property() == p)
                .findFirst()
                .map(PropertyPrediction.Score::cell)
                .orElse("");
        cols.get(p).append(cell);
      }
    }
    Table t = Table.create(title, fsCol);
    for (Property p : Property.values()) {
      t.addColumns(cols.get(p));
    }
    return t;
  }
}
