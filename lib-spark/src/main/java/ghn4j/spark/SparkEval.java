package ghn4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.data.Dataset;
import ghn4j.eval.EvalNets;
import ghn4j.eval.Evaluator;
import ghn4j.eval.NamedGraph;
import ghn4j.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ./ghn4j eval --spark}: the evaluation of {@link ghn4j.cli.EvalCommand} with one Spark task
 * per net. Each executor loads the GHN, the test images and the split's nets once ({@link
 * ExecutorCache}) and runs {@link Evaluator#predictAndEvaluate} for its nets; the driver writes
 * each result as it arrives ({@link EvalResultsFile}: the same config.json, results.jsonl and
 * results.csv, atomically) and a re-run skips the nets already in the file.
 */
public final class SparkEval {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to evaluate (the options of {@code ./ghn4j eval}).
   *
   * @param netsRoot split directories; null = generated splits
   * @param meta ppuda meta JSON; null = none
   */
  public record Job(
      Path ckpt,
      List<String> splits,
      int nets,
      TestImages images,
      int batchSize,
      Path netsRoot,
      Path meta,
      Path out) {}

  /**
   * One net to evaluate: which checkpoint, which net (split, position in {@link EvalNets#load}),
   * which images.
   */
  record Task(
      String ckpt,
      String split,
      int position,
      String net,
      String netsRoot,
      String meta,
      int nets,
      int numClasses,
      boolean largeInput,
      TestImages images,
      int batchSize)
      implements Serializable {

    /** Runs on an executor. */
    Evaluator.NetResult run() {
      Dataset d =
          ExecutorCache.get(
              "images " + images,
              () -> {
                try {
                  return images.load();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      List<NamedGraph> graphs =
          ExecutorCache.get(
              String.join(
                  "\t",
                  "nets",
                  split,
                  netsRoot,
                  meta,
                  String.valueOf(nets),
                  String.valueOf(numClasses),
                  String.valueOf(largeInput)),
              () -> {
                try {
                  return EvalNets.load(
                      split, path(netsRoot), path(meta), nets, numClasses, largeInput);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      NamedGraph n = graphs.get(position);
      if (!n.name().equals(net)) {
        throw new IllegalStateException(
            "executor's net "
                + position
                + " of "
                + split
                + " is "
                + n.name()
                + ", the driver's is "
                + net
                + ": do the nodes see the same --nets-root/--meta files?");
      }
      Evaluator.Evaluation e =
          ExecutorCache.withGhn(
              Path.of(ckpt),
              ghn ->
                  Evaluator.predictAndEvaluate(
                      ghn, n.graph(), d.test(), batchSize, d.normalization()));
      return new Evaluator.NetResult(
          split,
          n.name(),
          n.numParams(),
          n.numNodes(),
          e.accuracy(),
          e.predictSeconds(),
          e.evalSeconds());
    }
  }

  /** A finished net as it travels back to the driver (the core's record is not Serializable). */
  record Row(
      String split,
      String net,
      long params,
      int nodes,
      double accuracy,
      double predictSeconds,
      double evalSeconds)
      implements Serializable {

    static Row of(Evaluator.NetResult r) {
      return new Row(
          r.split(),
          r.net(),
          r.params(),
          r.nodes(),
          r.accuracy(),
          r.predictSeconds(),
          r.evalSeconds());
    }

    Evaluator.NetResult result() {
      return new Evaluator.NetResult(
          split, net, params, nodes, accuracy, predictSeconds, evalSeconds);
    }
  }

  private SparkEval() {}

  private static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  private static String string(Path p) {
    return p == null ? null : p.toAbsolutePath().toString();
  }

  /**
   * Evaluates the job's nets on {@code sc}, skipping those already in {@code job.out()}'s results,
   * and returns every row (old and new) in the single-JVM order.
   *
   * @throws IllegalArgumentException when {@code out} holds results of another configuration
   */
  public static List<Evaluator.NetResult> run(JavaSparkContext sc, Job job, PrintStream log)
      throws IOException {
    if (!Files.isRegularFile(job.ckpt())) {
      // here, not in every task
      throw new IllegalArgumentException(job.ckpt() + ": no such checkpoint file");
    }
    Dataset d = job.images().load();
    Path dir = job.out();
    Files.createDirectories(dir);
    ObjectNode cfg =
        ghn4j.eval.EvalConfig.of(
                job.ckpt(),
                job.splits(),
                job.meta(),
                job.nets(),
                d.name(),
                d.numClasses(),
                d.largeInput(),
                d.test().size(),
                job.batchSize())
            .toJson();
    Path cfgFile = dir.resolve("config.json");
    if (Files.isRegularFile(cfgFile)
        && Files.isRegularFile(dir.resolve("results.jsonl"))
        && !JSON.readTree(cfgFile.toFile()).equals(cfg)) {
      throw new IllegalArgumentException(
          cfgFile
              + ": results of another evaluation ("
              + Files.readString(cfgFile).replaceAll("\\s+", " ")
              + "); use another --out or delete "
              + dir);
    }
    AtomicFiles.writeString(cfgFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));

    List<Task> tasks = new ArrayList<>();
    List<String> order = new ArrayList<>();
    boolean small =
        d.largeInput() && job.images().imageFolder() != null && job.images().imageSize() != 224;
    for (String split : job.splits()) {
      log.println(split + ": nets from " + EvalNets.source(split, job.netsRoot(), job.meta()));
      List<NamedGraph> graphs =
          EvalNets.load(
              split, job.netsRoot(), job.meta(), job.nets(), d.numClasses(), d.largeInput());
      int skipped = 0;
      for (int i = 0; i < graphs.size(); i++) {
        if (small && EvalNets.fixedInputSize(graphs.get(i).graph())) {
          skipped++;
          continue;
        }
        order.add(EvalResultsFile.key(split, graphs.get(i).name()));
        tasks.add(
            new Task(
                job.ckpt().toAbsolutePath().toString(),
                split,
                i,
                graphs.get(i).name(),
                string(job.netsRoot()),
                string(job.meta()),
                job.nets(),
                d.numClasses(),
                d.largeInput(),
                job.images(),
                job.batchSize()));
      }
      if (skipped > 0) {
        log.printf(
            "%s: skipped %d of %d nets built for 224x224 inputs (positional encodings or flatten heads); "
                + "--image-size 224 includes them%n",
            split, skipped, graphs.size());
      }
    }
    EvalResultsFile results = new EvalResultsFile(dir, order);
    List<Task> todo =
        tasks.stream().filter(t -> !results.done(EvalResultsFile.key(t.split(), t.net()))).toList();
    if (results.size() > 0) {
      log.printf(
          "%s: %d of %d nets already evaluated; %d to go%n",
          dir.resolve("results.jsonl"), results.size(), tasks.size(), todo.size());
    }
    if (!todo.isEmpty()) {
      PerTask.run(
          sc,
          todo,
          Task::run,
          Row::of,
          (i, row) -> {
            Evaluator.NetResult r = row.result();
            try {
              results.add(r);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            log.printf(
                "%s %s: %d params, %d nodes, top-1 %.2f%% (predicted in %.3f s)%n",
                r.split(), r.net(), r.params(), r.nodes(), r.accuracy(), r.predictSeconds());
          });
    }
    return results.rows();
  }
}
