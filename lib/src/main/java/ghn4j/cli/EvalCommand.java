package ghn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.deepnets.OfficialDeepNets;
import ghn4j.download.Store;
import ghn4j.eval.EvalNets;
import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.Ghn;
import ghn4j.io.Layout;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j eval}: evaluates a GHN's predicted parameters on CIFAR-10 (or an ImageNet-style
 * {@code --image-folder}) test images (Table 2 shape).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Predict parameters for every net of the given splits (one at a time) and evaluate CIFAR-10 (or "
          + "--image-folder) test top-1 with BatchNorm in batch-statistics mode, batch 64 (ppuda eval_ghn.py). Writes "
          + "results.jsonl, results.csv and config.json into --out; prints mean ± standard error per split."
    })
public final class EvalCommand implements Callable<Integer> {

  @Option(
      names = "--ckpt",
      required = true,
      description =
          "GHN checkpoint: our .safetensors (+.json), ppuda .pt, or "
              + "a name of `./ghn4j pretrained list` (fetched and verified; e.g. ghn2-cifar10)")
  Path ckpt;

  @Option(
      names = "--split",
      split = ",",
      description = "predefined, val, test, wide, deep, dense, bnfree (comma list)")
  List<String> splits = List.of("predefined");

  @Option(names = "--nets", description = "at most this many nets per split (0 = all)")
  int nets;

  @Option(
      names = "--images",
      description =
          "evaluate on a fixed stratified subset of N test images (0 = all; " + "CIFAR-10: 10,000)")
  int images;

  @Option(names = "--batch-size", description = "test batch size")
  int batchSize = Evaluator.DEFAULT_BATCH_SIZE;

  @Option(names = "--nets-root", description = "split directories (default <repo>/data/deepnets1m)")
  Path netsRoot;

  @Option(
      names = "--meta",
      description =
          "ppuda deepnets1m_*_meta.json to read nets from (default: the official "
              + "deepnets1m_eval_meta.json when `./ghn4j data deepnets1m get meta` has put it in the cache)")
  Path meta;

  @Option(
      names = "--ghn4j-nets",
      description = "use ghn4j's regenerated splits even when the official meta is cached")
  boolean ghn4jNets;

  @Mixin DownloadOptions download;
  @Mixin DataOptions data;
  @Mixin WorkerOptions workerOptions;

  @Option(names = "--out", description = "output directory (default: <ckpt dir>/eval)")
  Path out;

  @Override
  public Integer call() throws Exception {
    Store store = download.store();
    String pretrainedName =
        !Files.exists(ckpt) && store.catalog().contains(ckpt.toString()) ? ckpt.toString() : null;
    ckpt = download.checkpoint(ckpt);
    Path metaJson =
        meta != null ? meta : ghn4jNets ? null : OfficialDeepNets.evalMeta(store).orElse(null);
    Dataset d = data.load(-1, 0, images, false);
    ImageSet test = d.test();
    Path dir =
        out != null
            ? out
            : pretrainedName != null
                ? Layout.detect().results().resolve("eval-" + pretrainedName)
                : ckpt.toAbsolutePath().getParent().resolve("eval");
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    ghn4j.io.JsonRecords.write(
        dir.resolve("config.json"),
        ghn4j.eval.EvalConfig.of(
            ckpt,
            splits,
            metaJson,
            nets,
            d.name(),
            d.numClasses(),
            d.largeInput(),
            test.size(),
            batchSize));
    Path root = netsRoot != null ? netsRoot : Layout.detect().splits();
    List<Evaluator.Summary> summaries = new ArrayList<>();
    try (Ghn ghn = Ghn.load(ckpt);
        BufferedWriter jl = Files.newBufferedWriter(dir.resolve("results.jsonl"));
        BufferedWriter csv = Files.newBufferedWriter(dir.resolve("results.csv"))) {
      csv.write(EvalResults.HEADER + "\n");
      for (String split : splits) {
        // classifiers follow the data's class count; ImageNet-sized images get ImageNet stems
        System.out.println(split + ": nets from " + EvalNets.source(split, root, metaJson));
        List<NamedGraph> graphs =
            EvalNets.load(split, root, metaJson, nets, d.numClasses(), d.largeInput());
        if (d.largeInput() && data.imageSize != 224) {
          List<NamedGraph> runnable =
              graphs.stream().filter(n -> !EvalNets.fixedInputSize(n.graph())).toList();
          if (runnable.size() < graphs.size()) {
            System.out.printf(
                "%s: skipped %d of %d nets built for 224x224 inputs (positional encodings or flatten "
                    + "heads); --image-size 224 includes them%n",
                split, graphs.size() - runnable.size(), graphs.size());
          }
          graphs = runnable;
        }
        List<Evaluator.NetResult> rows =
            Evaluator.evaluate(
                ghn,
                split,
                graphs,
                test,
                batchSize,
                d.normalization(),
                workerOptions.workers(),
                workerOptions.intraOpThreads(),
                r -> {
                  try {
                    jl.write(json.valueToTree(r).toString());
                    jl.write('\n');
                    jl.flush();
                    csv.write(EvalResults.row(r));
                    csv.flush();
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                  System.out.printf(
                      "%s %s: %d params, %d nodes, top-1 %.2f%% (predicted in %.3f s)%n",
                      r.split(), r.net(), r.params(), r.nodes(), r.accuracy(), r.predictSeconds());
                });
        summaries.add(Evaluator.summarize(split, rows));
      }
    }
    System.out.println(
        "\n" + d.name() + " top-1 of predicted parameters (" + test.size() + " test images):");
    summaries.forEach(s -> System.out.println("  " + s));
    return 0;
  }
}
