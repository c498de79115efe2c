package ghn4j.cli;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.ghn.Ghn;
import ghn4j.io.AtomicFiles;
import ghn4j.properties.Budget;
import ghn4j.properties.FeatureSet;
import ghn4j.properties.GroundTruth;
import ghn4j.properties.NetProperties;
import ghn4j.properties.PropertyCache;
import ghn4j.search.SearchRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j search}: rank search-split nets by GHN-predicted properties, train the top k and
 * random k.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Architecture search with property predictors (paper Sec. 5.3). Fits the grid-searched RBF SVR of "
          + "each property on the GHN embeddings of the val and test nets with ground truth (the 'properties' command's "
          + "cache, run first with the same budget; missing nets are trained now), predicts the properties of the first "
          + "--candidates nets of the search split, and trains with SGD under the same budget: the top --k by predicted "
          + "accuracy, the top --k by a combined score (mean z-score of accuracy, noise accuracy and -time), and --k "
          + "random nets for each of --random-seeds seeds. Prints mean ± std over each group's nets."
    })
public final class SearchCommand implements Callable<Integer> {

  @Mixin PropertyOptions options;

  @Option(names = "--val", description = "val nets with ground truth (regression data)")
  int val = 12;

  @Option(names = "--test", description = "test nets with ground truth (regression data)")
  int test = 12;

  @Option(names = "--candidates", description = "nets of the search split to rank (ppuda: 100,000)")
  int candidates = 200;

  @Option(names = "--k", description = "nets trained per method")
  int k = 3;

  @Option(names = "--random-seeds", description = "random choices of --k nets")
  int randomSeeds = 2;

  @Option(
      names = "--out",
      description = "table as CSV (default data/properties/search-<budget>.csv)")
  Path out;

  @Override
  public Integer call() throws Exception {
    Budget budget = options.budget();
    GroundTruth gt = options.groundTruth(budget);
    PropertyCache cache = options.cache(budget);
    List<SampledNet> known = new ArrayList<>();
    List<NetProperties> knownProps = new ArrayList<>();
    List<SampledNet> v = DeepNets.standard().nets(Split.VAL, val);
    List<SampledNet> t = DeepNets.standard().nets(Split.TEST, test);
    known.addAll(v);
    known.addAll(t);
    knownProps.addAll(options.runWithProgress(gt, "val", v, cache));
    knownProps.addAll(options.runWithProgress(gt, "test", t, cache));
    List<SampledNet> cands = DeepNets.standard().nets(Split.SEARCH, candidates);
    try (Ghn trained = Ghn.load(options.checkpoint().file())) {
      System.out.println("GHN: " + options.checkpoint().describe());
      SearchRun.Result r =
          SearchRun.run(
              gt,
              cache,
              known,
              knownProps,
              cands,
              FeatureSet.ghn("GHN-2", trained),
              k,
              randomSeeds,
              p -> System.out.println(PropertyOptions.line(p)));
      for (var c : r.choices()) {
        System.out.println(c.method() + ": candidates " + java.util.Arrays.toString(c.chosen()));
      }
      System.out.println(r.table().printAll());
      Path csv = out != null ? out : options.dir().resolve("search-" + budget.tag() + ".csv");
      AtomicFiles.write(csv, os -> r.table().write().csv(os));
      System.out.println("wrote " + csv);
    }
    return 0;
  }
}
