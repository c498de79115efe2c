package ghn4j.spark;

import ghn4j.data.Batch;
import ghn4j.data.Cifar10;
import ghn4j.data.Dataset;
import ghn4j.graph.Graph;
import ghn4j.train.GradientShard;
import ghn4j.train.MetaStep;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.MetaTrainer;
import ghn4j.train.TrainNets;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * {@code ./ghn4j train --spark}: data-parallel meta-training in Spark's barrier execution mode. One
 * barrier stage of {@code tasks} tasks (all start together, or none) runs the whole session; every
 * task holds a replica of the GHN and its Adam state (resumed from the run's checkpoint), and at
 * every step
 *
 * <ol>
 *   <li>samples the step's meta-batch and image batch as {@link MetaTrainer} does (they are
 *       functions of the seed and the step, so every task draws the same ones),
 *   <li>computes the {@link GradientShard} of its contiguous share of the nets ({@link
 *       MetaStep#gradients}),
 *   <li>exchanges shards with {@link BarrierTaskContext#allGather} and sums them in task order, the
 *       same sum in every task,
 *   <li>applies it ({@link MetaStep#apply}: mean, clipping, Adam): the replicas stay equal, and
 *       equal to one process stepping over the whole meta-batch up to float summation order.
 * </ol>
 *
 * Task 0 writes the run directory (checkpoint, GHN export, metrics) as the single-JVM {@code train}
 * does, so {@code --resume} works with or without Spark; the other tasks write into scratch copies.
 *
 * <p>Why allGather and not a reduce on the driver: Spark has no driver-side reduce inside a running
 * stage, only between stages, so a driver reduce means one job per step (task launch, closure and
 * weight shipping every step, and the replicas' Adam state would have to live on the driver).
 * allGather keeps one long-lived stage whose tasks keep their state; its cost is that the driver
 * relays every shard to every task (see docs/spark.md for the bytes).
 */
public final class SparkMetaTrain {

  /**
   * What one step cost, measured in task 0.
   *
   * @param computeSeconds its share's gradient (prediction, nets, backward)
   * @param exchangeSeconds the allGather (waiting for the slowest task included)
   * @param shardBytes one shard as bytes ({@link GradientShard#toBytes()})
   * @param messageChars what one task sends (the shard in Base64: allGather carries strings)
   */
  public record StepCost(
      long step,
      double loss,
      double seconds,
      double computeSeconds,
      double exchangeSeconds,
      long shardBytes,
      long messageChars)
      implements Serializable {}

  /**
   * A session of a run.
   *
   * @param runDir the run directory (on a file system every executor sees)
   * @param dataDir the data directory holding {@code cifar10/}; null = the default
   * @param tasks data-parallel tasks (each needs a free task slot: barrier tasks start together)
   * @param maxSteps steps in this session at most (the run's budget ends it earlier)
   */
  public record Job(Path runDir, Path dataDir, int tasks, long maxSteps) {}

  /**
   * Test seam: with this system property naming a directory, task 0 writes every exchanged total
   * gradient there ({@code exchange-<n>.bin}, {@link GradientShard#toBytes()}) so that a test can
   * compare it with one process's.
   */
  static final String KEEP_GRADIENTS = "ghn4j.spark.test.keepGradients";

  private SparkMetaTrain() {}

  /**
   * Starts the run ({@code config} non-null; the run directory must not hold a checkpoint) or
   * resumes it ({@code config} null), trains on {@code sc} and returns task 0's per-step costs.
   */
  public static List<StepCost> run(
      JavaSparkContext sc, Job job, MetaTrainConfig config, PrintStream log) throws IOException {
    Path runDir = job.runDir().toAbsolutePath();
    String dataDir =
        (job.dataDir() != null ? job.dataDir() : Cifar10.defaultDataDir())
            .toAbsolutePath()
            .toString();
    if (config != null) {
      if (Files.isRegularFile(runDir.resolve(MetaTrainer.CHECKPOINT))) {
        throw new IllegalArgumentException(
            runDir
                + " already holds a checkpoint: add --resume or choose another "
                + "run directory");
      }
      // the driver starts the run (config.json, the step-0 checkpoint): every task then resumes it
      // alike
      try (MetaTrainer t =
          MetaTrainer.start(config, trainData(dataDir, config), nets(config), runDir)) {
        t.checkpoint();
      }
    } else if (!Files.isRegularFile(runDir.resolve(MetaTrainer.CHECKPOINT))) {
      throw new IllegalArgumentException(
          runDir + ": no " + MetaTrainer.CHECKPOINT + " to resume from");
    }
    MetaTrainConfig cfg = MetaTrainer.readConfig(runDir);
    if (cfg.minutes() > 0 || cfg.cpuMinutes() > 0) {
      // each task would read its own clock and stop (or move the LR milestones) at another step
      // than the others
      throw new IllegalArgumentException(
          runDir
              + ": a time budget (--minutes/--cpu-minutes) cannot be split over "
              + "barrier tasks; give --steps or --epochs");
    }
    if (job.tasks() < 1 || job.tasks() > cfg.metaBatch()) {
      throw new IllegalArgumentException(
          "--tasks " + job.tasks() + ": between 1 and the meta-batch (" + cfg.metaBatch() + ")");
    }
    log.printf(
        "run %s: meta-batch %d over %d barrier tasks%n", runDir, cfg.metaBatch(), job.tasks());
    RDD<Integer> ranks =
        sc.parallelize(IntStream.range(0, job.tasks()).boxed().toList(), job.tasks()).rdd();
    RDD<StepCost> costs =
        ranks
            .barrier()
            .mapPartitions(
                new Train(runDir.toString(), dataDir, job.tasks(), job.maxSteps()),
                false,
                ClassTag$.MODULE$.apply(StepCost.class));
    List<StepCost> out = costs.toJavaRDD().collect();
    return out.stream().sorted(Comparator.comparingLong(StepCost::step)).toList();
  }

  static Dataset trainData(String dataDir, MetaTrainConfig cfg) throws IOException {
    return Dataset.cifar10(Cifar10.load(Path.of(dataDir)).train(), null, cfg.augment());
  }

  static TrainNets nets(MetaTrainConfig cfg) throws IOException {
    return cfg.nets().equals("generate")
        ? TrainNets.generated(cfg.numNets())
        : TrainNets.fromDir(Path.of(cfg.nets()));
  }

  /** The barrier task: one rank's share of every step of the session. */
  private static final class Train extends AbstractFunction1<Iterator<Integer>, Iterator<StepCost>>
      implements Serializable {
    private final String runDir;
    private final String dataDir;
    private final int tasks;
    private final long maxSteps;

    Train(String runDir, String dataDir, int tasks, long maxSteps) {
      this.runDir = runDir;
      this.dataDir = dataDir;
      this.tasks = tasks;
      this.maxSteps = maxSteps;
    }

    @Override
    public Iterator<StepCost> apply(Iterator<Integer> ignored) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      int rank = ctx.partitionId();
      Path scratch = null;
      try {
        Path run = Path.of(runDir);
        MetaTrainConfig cfg = MetaTrainer.readConfig(run);
        Dataset data =
            ExecutorCache.get(
                "train\t" + dataDir + "\t" + cfg.augment(),
                () -> {
                  try {
                    return trainData(dataDir, cfg);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        Path dir = run;
        if (rank != 0) {
          // the other ranks keep their (equal) state and files out of the run directory
          scratch = Files.createTempDirectory("ghn4j-spark-rank" + rank + "-");
          for (String f : List.of(MetaTrainer.CONFIG, MetaTrainer.CHECKPOINT)) {
            Files.copy(run.resolve(f), scratch.resolve(f), StandardCopyOption.REPLACE_EXISTING);
          }
          dir = scratch;
        }
        Exchange exchange = new Exchange(ctx, rank, tasks);
        List<StepCost> costs = new ArrayList<>();
        try (MetaTrainer t = MetaTrainer.resume(dir, data, nets(cfg), null)) {
          t.exchangeGradients(exchange);
          t.run(
              maxSteps,
              s -> {
                costs.add(
                    new StepCost(
                        s.step(),
                        s.loss(),
                        s.seconds(),
                        exchange.compute,
                        exchange.exchange,
                        exchange.shardBytes,
                        exchange.messageChars));
                exchange.compute = 0;
                exchange.exchange = 0;
              });
        }
        return CollectionConverters.asScala(
            rank == 0 ? costs.iterator() : List.<StepCost>of().iterator());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        if (scratch != null) {
          deleteTree(scratch);
        }
      }
    }
  }

  /** The allGather exchange of one rank, with its measurements of the current step. */
  private static final class Exchange implements MetaTrainer.GradientExchange {
    private final BarrierTaskContext ctx;
    private final int rank;
    private final int tasks;
    double compute;
    double exchange;
    long shardBytes;
    long messageChars;
    private int exchanges;

    Exchange(BarrierTaskContext ctx, int rank, int tasks) {
      this.ctx = ctx;
      this.rank = rank;
      this.tasks = tasks;
    }

    @Override
    public GradientShard total(MetaStep step, List<Graph> graphs, Batch batch, long dropoutSeed) {
      int m = graphs.size();
      int from = MetaStep.shareStart(rank, tasks, m);
      int to = MetaStep.shareStart(rank + 1, tasks, m);
      long t0 = System.nanoTime();
      // net k of the meta-batch draws its dropout masks from (dropoutSeed, k) whichever task runs
      // it
      byte[] mine = step.gradients(graphs.subList(from, to), from, batch, dropoutSeed).toBytes();
      String message = Base64.getEncoder().encodeToString(mine);
      long t1 = System.nanoTime();
      String[] all = ctx.allGather(message);
      List<GradientShard> shards = new ArrayList<>(all.length);
      for (String s : all) {
        shards.add(GradientShard.fromBytes(Base64.getDecoder().decode(s)));
      }
      long t2 = System.nanoTime();
      GradientShard total = GradientShard.sum(shards); // in task order: the same sum in every task
      String keep = System.getProperty(KEEP_GRADIENTS);
      if (keep != null && rank == 0) {
        try {
          java.nio.file.Files.write(
              Path.of(keep).resolve("exchange-" + exchanges + ".bin"), total.toBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      exchanges++;
      compute += (t1 - t0) / 1e9;
      exchange += (t2 - t1) / 1e9;
      shardBytes = mine.length;
      messageChars = message.length();
      return total;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // scratch in the temp directory: left for the OS
    }
  }

  /** One line per step and the means, for the log and docs/spark.md. */
  public static void report(List<StepCost> costs, int tasks, PrintStream log) {
    log.println(
        "step  loss     s/step  compute_s  exchange_s  shard_bytes  sent_per_task  relayed_by_driver");
    for (StepCost c : costs) {
      log.printf(
          "%4d  %.4f  %6.2f  %9.2f  %10.2f  %11d  %13d  %17d%n",
          c.step(),
          c.loss(),
          c.seconds(),
          c.computeSeconds(),
          c.exchangeSeconds(),
          c.shardBytes(),
          c.messageChars(),
          (long) tasks * tasks * c.messageChars());
    }
  }
}
