package ghn4j.spark;

import ghn4j.data.Cifar10;
import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.properties.Budget;
import ghn4j.properties.GroundTruth;
import ghn4j.properties.NetProperties;
import ghn4j.properties.PropertyCache;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The ground truth of {@code ./ghn4j properties} and {@code search} ({@link GroundTruth#measure}:
 * SGD training under a {@link Budget}, then the four properties) with one Spark task per net. Each
 * executor loads CIFAR-10 and the split's nets once ({@link ExecutorCache}); the driver appends
 * each record to the command's own resumable cache ({@link PropertyCache}: one complete line forced
 * to disk per net, a cut-off line repaired on opening) as it arrives, and nets already in the cache
 * are not trained again.
 */
public final class SparkGroundTruth {

  /** A net of a split: its position among the split's first {@code count} nets. */
  public record Net(String split, int index, int count) implements Serializable {}

  /** {@link Budget} as a value a task can carry. */
  record BudgetSpec(
      int width,
      int epochs,
      int trainPerClass,
      int testPerClass,
      int batchSize,
      double noiseStd,
      double convergeFraction,
      long seed)
      implements Serializable {

    static BudgetSpec of(Budget b) {
      return new BudgetSpec(
          b.width(),
          b.epochs(),
          b.trainPerClass(),
          b.testPerClass(),
          b.batchSize(),
          b.noiseStd(),
          b.convergeFraction(),
          b.seed());
    }

    Budget budget() {
      return new Budget(
          width, epochs, trainPerClass, testPerClass, batchSize, noiseStd, convergeFraction, seed);
    }
  }

  record Task(BudgetSpec budget, String dataDir, Net net) implements Serializable {

    /** Runs on an executor; returns the record as its JSON line. */
    String run() {
      GroundTruth gt =
          ExecutorCache.get(
              "groundtruth\t" + dataDir + "\t" + budget,
              () -> {
                try {
                  Cifar10 c = Cifar10.load(Path.of(dataDir));
                  return GroundTruth.of(budget.budget(), c.train(), c.test());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      List<SampledNet> nets =
          ExecutorCache.get(
              "deepnets\t" + net.split() + "\t" + net.count(),
              () -> DeepNets.standard().nets(Split.of(net.split()), net.count()));
      SampledNet n = nets.get(net.index());
      // SgdTrainer's autograd is per thread (Backprop), so the tasks of one executor train side by
      // side
      return gt.measure(net.split(), n.index(), n.args()).toJsonLine();
    }
  }

  private SparkGroundTruth() {}

  /**
   * Measures every net of {@code nets} not yet in {@code cache} on {@code sc}, appending each
   * record on the driver as its task finishes; returns how many were measured.
   */
  public static int run(
      JavaSparkContext sc,
      Budget budget,
      Path dataDir,
      List<Net> nets,
      PropertyCache cache,
      PrintStream log)
      throws IOException {
    String data =
        (dataDir != null ? dataDir : Cifar10.defaultDataDir()).toAbsolutePath().toString();
    Cifar10.load(Path.of(data)); // fail here, with the command's message, rather than in every task
    List<Task> todo = new ArrayList<>();
    for (Net n : nets) {
      if (!cache.contains(n.split(), n.index())) {
        todo.add(new Task(BudgetSpec.of(budget), data, n));
      }
    }
    log.printf(
        "ground truth: %d of %d nets in %s; %d to train as Spark tasks%n",
        nets.size() - todo.size(), nets.size(), cache.file(), todo.size());
    if (!todo.isEmpty()) {
      PerTask.run(
          sc,
          todo,
          Task::run,
          (i, line) -> {
            NetProperties p = NetProperties.fromJsonLine(line, "task " + i);
            try {
              cache.append(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            log.printf(
                "%s: %,d params, acc %.1f%%, noise %.1f%%, converge %.2f (%.0f s)%n",
                p.key(),
                p.params(),
                p.accuracy(),
                p.noiseAccuracy(),
                p.convergeTime(),
                p.trainSeconds());
          });
    }
    return todo.size();
  }

  /** The first {@code n} nets of {@code split}. */
  public static List<Net> first(String split, int n) {
    List<Net> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Net(split, i, n));
    }
    return out;
  }
}
