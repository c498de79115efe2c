package ghn4j.cli;

import ai.djl.ndarray.NDManager;
import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.ReferenceMeta;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnConfig;
import ghn4j.io.AtomicFiles;
import ghn4j.nn.Devices;
import ghn4j.properties.Budget;
import ghn4j.properties.FeatureSet;
import ghn4j.properties.GroundTruth;
import ghn4j.properties.NetProperties;
import ghn4j.properties.PropertyCache;
import ghn4j.properties.PropertyExperiment;
import ghn4j.properties.PropertyPrediction;
import ghn4j.properties.ReferenceResults;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j properties}: ground truth for val/test nets, then Kendall's tau of property
 * regressors.
 */
@Command(
    name = "properties",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Property prediction (paper Sec. 5.3, ppuda property_prediction.py). 1) Ground truth: trains the "
          + "first --val nets of the val split and --test nets of the test split with SGD under the budget and records "
          + "clean accuracy, accuracy under Gaussian noise, inference time and convergence speed per net in a resumable "
          + "JSON-lines cache (a killed run continues where it stopped). Or --reference: ppuda's published "
          + "results_cifar10.json with the official nets (--meta-dir). 2) Regression: RBF SVR (Tribuo LibSVM) with "
          + "ppuda's grid search and 5-fold CV, trained on val nets, Kendall's tau on test nets over --seeds runs, for "
          + "the trained GHN's mean node embedding, an untrained GHN-2's, and params+nodes+depth."
    })
public final class PropertiesCommand implements Callable<Integer> {

  @Mixin PropertyOptions options;

  @Option(names = "--val", description = "val nets (regression training set; ppuda: 500)")
  int val = 30;

  @Option(names = "--test", description = "test nets (regression test set; ppuda: 500)")
  int test = 30;

  @Option(
      names = "--seeds",
      description = "runs per property (ppuda: 5; the last keeps the rows' order)")
  int seeds = 5;

  @Option(names = "--ground-truth-only", description = "stop after the ground-truth runs")
  boolean groundTruthOnly;

  @Option(
      names = "--reference",
      description =
          "ppuda's results_cifar10.json: use the paper's ground truth instead "
              + "of training (needs --meta-dir)")
  Path reference;

  @Option(
      names = "--meta-dir",
      description =
          "folder with ppuda's deepnets1m_val_meta.json and "
              + "deepnets1m_test_meta.json (the official evaluation nets), for --reference")
  Path metaDir;

  @Option(
      names = "--out",
      description = "tau table as CSV (default data/properties/tau-<budget>.csv)")
  Path out;

  @Override
  public Integer call() throws Exception {
    Budget budget = options.budget();
    PropertyExperiment.Data data;
    String tag;
    if (reference != null) {
      if (metaDir == null) {
        throw new IllegalArgumentException(
            "--reference needs --meta-dir with the official meta files");
      }
      ReferenceResults r = ReferenceResults.read(reference);
      List<SampledNet> v =
          head(ReferenceMeta.read(metaDir.resolve("deepnets1m_val_meta.json"), "val"), val);
      List<SampledNet> t =
          head(ReferenceMeta.read(metaDir.resolve("deepnets1m_test_meta.json"), "test"), test);
      data = PropertyExperiment.fromReference(r, v, t);
      tag = "reference";
    } else {
      GroundTruth gt = options.groundTruth(budget);
      PropertyCache cache = options.cache(budget);
      List<SampledNet> v = DeepNets.standard().nets(Split.VAL, val);
      List<SampledNet> t = DeepNets.standard().nets(Split.TEST, test);
      List<NetProperties> rv = options.runWithProgress(gt, "val", v, cache);
      List<NetProperties> rt = options.runWithProgress(gt, "test", t, cache);
      if (groundTruthOnly) {
        return 0;
      }
      data = PropertyExperiment.fromGroundTruth(v, rv, t, rt, gt::narrow);
      tag = budget.tag();
    }
    try (NDManager m = Devices.newManager();
        Ghn trained = Ghn.load(options.checkpoint().file());
        Ghn random = Ghn.create(GhnConfig.ghn2(), m, options.randomSeed)) {
      System.out.println("GHN: " + options.checkpoint().describe());
      List<FeatureSet> sets =
          List.of(
              FeatureSet.ghn("GHN-2 (trained)", trained),
              FeatureSet.ghn("GHN-2 (random init)", random),
              FeatureSet.simple());
      List<PropertyPrediction.Score> scores =
          PropertyExperiment.run(data, sets, seeds, System.out::println);
      tech.tablesaw.api.Table table =
          PropertyExperiment.table(
              "Kendall's tau ("
                  + data.train().size()
                  + " train / "
                  + data.test().size()
                  + " test nets, "
                  + tag
                  + ")",
              scores);
      System.out.println(table.printAll());
      Path csv = out != null ? out : options.dir().resolve("tau-" + tag + ".csv");
      AtomicFiles.write(csv, os -> table.write().csv(os));
      System.out.println("wrote " + csv);
    }
    return 0;
  }

  private static List<SampledNet> head(List<SampledNet> nets, int n) {
    return nets.subList(0, Math.min(n, nets.size()));
  }
}
