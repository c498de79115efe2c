package ghn4j.spark;

import ghn4j.deepnets.OfficialDeepNets;
import ghn4j.download.DownloadSettings;
import ghn4j.download.Store;
import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j eval --spark}: {@code ./ghn4j eval} with one Spark task per net ({@link
 * SparkEval}).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "As ./ghn4j eval (same options, same config.json/results.jsonl/results.csv), one Spark task per "
          + "net; results are written as nets finish and a re-run skips the nets already in --out."
    })
public final class SparkEvalCommand implements Callable<Integer> {

  @Mixin SparkOptions sparkOptions;

  @Option(
      names = "--ckpt",
      required = true,
      description =
          "GHN checkpoint (file) or a name of `./ghn4j pretrained "
              + "list` (fetched and verified)")
  Path ckpt;

  @Option(
      names = "--split",
      split = ",",
      description = "predefined, val, test, wide, deep, dense, bnfree (comma list)")
  List<String> splits = List.of("predefined");

  @Option(names = "--nets", description = "at most this many nets per split (0 = all)")
  int nets;

  @Option(names = "--images", description = "a fixed stratified subset of N test images (0 = all)")
  int images;

  @Option(names = "--batch-size", description = "test batch size")
  int batchSize = Evaluator.DEFAULT_BATCH_SIZE;

  @Option(names = "--nets-root", description = "split directories (default <repo>/data/deepnets1m)")
  Path netsRoot;

  @Option(
      names = "--meta",
      description =
          "ppuda deepnets1m_*_meta.json to read nets from (default: the official one "
              + "when cached)")
  Path meta;

  @Option(
      names = "--ghn4j-nets",
      description = "use ghn4j's regenerated splits even when the official meta is cached")
  boolean ghn4jNets;

  @Option(names = "--data-dir", description = "data directory with cifar10/ (default <repo>/data)")
  Path dataDir;

  @Option(
      names = "--image-folder",
      paramLabel = "PATH",
      description = "an ImageNet-style folder instead of CIFAR-10")
  Path imageFolder;

  @Option(names = "--image-size", description = "with --image-folder: network input side")
  int imageSize = 224;

  @Option(names = "--out", description = "output directory (default: <ckpt dir>/eval)")
  Path out;

  @Override
  public Integer call() throws Exception {
    Store store = Store.standard(DownloadSettings.fromEnvironment());
    String pretrainedName =
        !Files.exists(ckpt) && store.catalog().contains(ckpt.toString()) ? ckpt.toString() : null;
    Path file = pretrainedName != null ? store.get(pretrainedName) : ckpt;
    Path metaJson =
        meta != null ? meta : ghn4jNets ? null : OfficialDeepNets.evalMeta(store).orElse(null);
    ghn4j.io.Layout layout = ghn4j.io.Layout.detect();
    Path dir =
        out != null
            ? out
            : pretrainedName != null
                ? layout.results().resolve("eval-" + pretrainedName)
                : file.toAbsolutePath().getParent().resolve("eval");
    Path nr = netsRoot != null ? netsRoot : layout.splits();
    TestImages testImages =
        new TestImages(
            dataDir == null ? null : dataDir.toAbsolutePath().toString(),
            imageFolder == null ? null : imageFolder.toAbsolutePath().toString(),
            imageSize,
            images);
    long t0 = System.nanoTime();
    List<Evaluator.NetResult> rows;
    try (JavaSparkContext sc =
        SparkSetup.open(sparkOptions.master, "ghn4j eval", sparkOptions.conf)) {
      rows =
          SparkEval.run(
              sc,
              new SparkEval.Job(file, splits, nets, testImages, batchSize, nr, metaJson, dir),
              System.out);
    }
    System.out.printf(
        "%nCIFAR-10 top-1 of predicted parameters (Spark, %s, %.1f s):%n",
        sparkOptions.master, (System.nanoTime() - t0) / 1e9);
    EvalResults.bySplit(rows).values().forEach(s -> System.out.println("  " + s));
    System.out.println("results: " + dir.resolve("results.csv"));
    return 0;
  }
}
