package ghn4j.search;

import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import ghn4j.graph.Graph;
import ghn4j.properties.FeatureSet;
import ghn4j.properties.GroundTruth;
import ghn4j.properties.NetProperties;
import ghn4j.properties.Property;
import ghn4j.properties.PropertyCache;
import ghn4j.properties.Svr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import tech.tablesaw.api.Table;

/**
 * One architecture search end to end: fit the property regressors on the nets with ground truth,
 * predict the properties of N candidates of the search split, choose the top k by predicted
 * accuracy and by the combined score (accuracy, noise accuracy, speed) and k random ones per seed,
 * train every chosen net once under the ground-truth budget (cached like the val/test nets, split
 * {@code search}) and tabulate.
 */
public final class SearchRun {

  private SearchRun() {}

  /** Everything the search produced. */
  public record Result(
      List<ArchitectureSearch.Choice> choices,
      Map<Integer, NetProperties> measured,
      Map<Property, double[]> predicted,
      Table table) {}

  /** Properties in the combined score. */
  public static final List<Property> COMBINED =
      List.of(Property.ACCURACY, Property.NOISE_ACCURACY, Property.TIME);

  /**
   * @param known nets with ground truth (val and test) and their records, in the same order
   * @param candidates candidate nets (the search split; built at the budget's width)
   * @param k nets per method
   * @param randomSeeds how many random choices of k nets
   */
  public static Result run(
      GroundTruth gt,
      PropertyCache cache,
      List<SampledNet> known,
      List<NetProperties> knownProps,
      List<SampledNet> candidates,
      FeatureSet features,
      int k,
      int randomSeeds,
      Consumer<NetProperties> onEach)
      throws IOException {
    return run(
        gt,
        cache,
        known,
        knownProps,
        candidates,
        features,
        k,
        randomSeeds,
        Svr.ppudaGrid(),
        onEach);
  }

  /**
   * {@link #run(GroundTruth, PropertyCache, List, List, List, FeatureSet, int, int, Consumer)} with
   * another grid.
   */
  public static Result run(
      GroundTruth gt,
      PropertyCache cache,
      List<SampledNet> known,
      List<NetProperties> knownProps,
      List<SampledNet> candidates,
      FeatureSet features,
      int k,
      int randomSeeds,
      List<Svr.Params> grid,
      Consumer<NetProperties> onEach)
      throws IOException {
    List<Graph> knownGraphs =
        known.stream().map(n -> NetworkBuilder.graph(gt.narrow(n.args()))).toList();
    List<Graph> candGraphs =
        candidates.stream().map(n -> NetworkBuilder.graph(gt.narrow(n.args()))).toList();
    double[][][] x = features.rows(knownGraphs, candGraphs);
    Map<Property, double[]> y = new EnumMap<>(Property.class);
    for (Property p : Property.values()) {
      y.put(p, knownProps.stream().mapToDouble(r -> r.value(p)).toArray());
    }
    Map<Property, Svr.Params> best = new EnumMap<>(Property.class);
    for (Property p : Property.values()) {
      best.put(p, Svr.gridSearch(x[0], y.get(p), grid, 5).best());
    }
    Map<Property, double[]> predicted = ArchitectureSearch.predict(x[0], y, x[1], best);
    List<ArchitectureSearch.Choice> choices = new ArrayList<>();
    choices.add(
        new ArchitectureSearch.Choice(
            features.name() + ": top-" + k + " predicted accuracy",
            ArchitectureSearch.topK(predicted.get(Property.ACCURACY), k)));
    choices.add(
        new ArchitectureSearch.Choice(
            features.name() + ": top-" + k + " acc+noise+speed",
            ArchitectureSearch.topK(ArchitectureSearch.combined(predicted, COMBINED), k)));
    for (int s = 0; s < randomSeeds; s++) {
      choices.add(
          new ArchitectureSearch.Choice(
              "random " + k + " (seed " + s + ")",
              ArchitectureSearch.randomK(candidates.size(), k, s)));
    }
    TreeSet<Integer> toTrain = new TreeSet<>();
    for (ArchitectureSearch.Choice c : choices) {
      for (int i : c.chosen()) {
        toTrain.add(i);
      }
    }
    List<SampledNet> nets = new ArrayList<>();
    for (int i : toTrain) {
      nets.add(candidates.get(i));
    }
    Map<Integer, NetProperties> measured = new LinkedHashMap<>();
    List<NetProperties> records = gt.run("search", nets, cache, onEach);
    int j = 0;
    for (int i : toTrain) {
      measured.put(i, records.get(j++));
    }
    if (randomSeeds > 1) {
      int[] all =
          choices.stream()
              .filter(c -> c.method().startsWith("random"))
              .flatMapToInt(c -> java.util.Arrays.stream(c.chosen()))
              .toArray();
      choices.add(new ArchitectureSearch.Choice("random (all seeds)", all));
    }
    Table t =
        ArchitectureSearch.table(
            "Search: " + candidates.size() + " candidates, measured under " + gt.budget().tag(),
            choices,
            measured);
    return new Result(choices, measured, predicted, t);
  }
}
