package ghn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.data.Cifar10;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.SplitIO;
import ghn4j.deepnets.TrainingWidth;
import ghn4j.ghn.GhnConfig;
import ghn4j.io.AtomicFiles;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.MetaTrainer;
import ghn4j.train.ProcStatus;
import ghn4j.train.TrainNets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j bench-train}: speed and memory of GHN-2 meta-training ({@link MetaTrainer},
 * ppuda's recipe) for a few meta-batch sizes. Prints median seconds per step (after warm-up steps)
 * and of each phase of a step ({@link MetaTrainer.Phases}: the phases' medians need not add up to
 * the step's), the resident memory (VmRSS) after chosen steps, which must stay flat, and the
 * process's peak (VmHWM, cumulative over the configurations run so far). Numbers to read, not a
 * pass/fail test.
 */
@Command(
    name = "bench-train",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Benchmark GHN-2 meta-training steps (ppuda recipe, CIFAR-10, nets generated on the fly): median "
          + "s/step, RSS at chosen steps (flat = no native leak), peak RSS (VmHWM). Runs in a temporary directory."
    })
public final class BenchTrainCommand implements Callable<Integer> {

  @Option(names = "--steps", description = "meta-training steps per configuration")
  int steps = 20;

  @Option(
      names = {"-m", "--meta-batch"},
      split = ",",
      description = "meta-batch sizes to run (paper: 8)")
  List<Integer> metaBatches = List.of(8, 1);

  @Option(
      names = {"-b", "--batch-size"},
      description = "images per step")
  int batchSize = 64;

  @Option(names = "--warmup", description = "first steps left out of the median")
  int warmup = 2;

  @Option(
      names = "--rss-at",
      split = ",",
      description =
          "steps (1-based) after which to read VmRSS "
              + "(default: --warmup+1 and --steps), e.g. 200,2000")
  List<Long> rssAt;

  @Option(
      names = {"-s", "--seed"},
      description = "run seed")
  long seed = 1111;

  @Option(
      names = "--workers",
      description =
          "meta-batch worker threads of 1 intra-op thread each (1 = sequential "
              + "on the process's threads)")
  int workers = 1;

  @Option(names = "--data-dir", description = "data directory with cifar10/ (default <repo>/data)")
  Path dataDir;

  @Option(
      names = "--dump-nets",
      description =
          "write each step's sampled nets (ppuda net_args, JSON lines "
              + "{\"step\", \"meta_batch\", \"net_args\": [...]}) so that environment/bench/ppuda_side_by_side.py "
              + "--nets-jsonl trains the very same nets; with several -m, the file of the last")
  Path dumpNets;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One configuration's numbers. */
  record Row(
      int metaBatch,
      int batchSize,
      long steps,
      double medianSeconds,
      double[] phaseMedians,
      Map<Long, Double> rss,
      double peakMb) {}

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || warmup < 0 || batchSize < 1) {
      throw new IllegalArgumentException("--steps and --batch-size must be >= 1, --warmup >= 0");
    }
    List<Long> at = rssAt != null ? rssAt : List.of(Math.min(steps, warmup + 1L), (long) steps);
    ImageSet train = Cifar10.load(dataDir != null ? dataDir : Cifar10.defaultDataDir()).train();
    List<Row> rows = new ArrayList<>();
    for (int mb : metaBatches) {
      rows.add(bench(mb, train, at));
      print(rows);
    }
    return 0;
  }

  private Row bench(int metaBatch, ImageSet train, List<Long> at) throws IOException {
    MetaTrainConfig cfg =
        MetaTrainConfig.defaults(GhnConfig.ghn2())
            .withMetaBatch(metaBatch)
            .withBatchSize(batchSize)
            .withBudget(0, steps, 0)
            .withSeed(seed)
            .withCheckpointEvery(0);
    Path dir = Files.createTempDirectory("ghn4j-bench-train");
    double[] secs = new double[steps];
    double[][] phases = new double[5][steps]; // MetaTrainer.Phases, one row per phase
    Map<Long, Double> rss = new LinkedHashMap<>();
    System.out.printf("meta-batch %d x %d images, %d steps ...%n", metaBatch, batchSize, steps);
    TrainNets nets = TrainNets.generated(cfg.numNets());
    List<String> dumped = new ArrayList<>();
    TrainingWidth widths = new TrainingWidth(cfg.minC(), cfg.maxC(), cfg.minFc(), cfg.maxFc());
    SplitIO io = new SplitIO();
    try (MetaTrainer t =
        MetaTrainer.start(cfg, Dataset.cifar10(train, null, cfg.augment()), nets, dir)) {
      if (workers > 1) {
        t.useWorkers(workers, 1);
      }
      t.run(
          steps,
          s -> {
            if (dumpNets
                != null) { // the same draw as the trainer's (TrainNets.metaBatch is a function of
              // its arguments)
              ArrayNode args = JSON.createArrayNode();
              for (NetArgs a :
                  nets.metaBatch(
                      cfg.seed(),
                      s.step(),
                      s.attempts() - 1,
                      metaBatch,
                      widths,
                      cfg.ghn().numClasses())) {
                args.add(io.toJson(a));
              }
              ObjectNode line =
                  JSON.createObjectNode().put("step", s.step()).put("meta_batch", metaBatch);
              line.set("net_args", args);
              dumped.add(line.toString());
            }
            secs[(int) s.step()] = s.seconds();
            MetaTrainer.Phases p = s.phases();
            double[] ph = {p.graphs(), p.ghnForward(), p.nets(), p.ghnBackward(), p.update()};
            for (int i = 0; i < ph.length; i++) {
              phases[i][(int) s.step()] = ph[i];
            }
            if (at.contains(s.step() + 1)) {
              rss.put(s.step() + 1, ProcStatus.rssMb());
            }
            if ((s.step() + 1) % 10 == 0) {
              System.out.printf(
                  "  step %d: %.2f s, loss %.3f, rss %.0f MB%n",
                  s.step() + 1, s.seconds(), s.loss(), ProcStatus.rssMb());
            }
          });
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (dumpNets != null) {
      AtomicFiles.writeString(dumpNets, String.join("\n", dumped) + "\n");
    }
    double[] phaseMedians = new double[phases.length];
    for (int i = 0; i < phases.length; i++) {
      phaseMedians[i] = median(phases[i]);
    }
    return new Row(
        metaBatch, batchSize, steps, median(secs), phaseMedians, rss, ProcStatus.peakRssMb());
  }

  /** Median of the steps after the warm-up. */
  private double median(double[] perStep) {
    double[] timed =
        Arrays.copyOfRange(perStep, Math.min(warmup, perStep.length - 1), perStep.length);
    Arrays.sort(timed);
    return timed.length % 2 == 1
        ? timed[timed.length / 2]
        : (timed[timed.length / 2 - 1] + timed[timed.length / 2]) / 2;
  }

  private static void print(List<Row> rows) {
    System.out.println();
    System.out.println(
        "| meta-batch | images | steps | median s/step | graphs | GHN fwd | nets fwd+bwd | GHN bwd "
            + "| clip+Adam | RSS at step (MB) | peak RSS (MB) |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    for (Row r : rows) {
      StringBuilder rss = new StringBuilder();
      r.rss()
          .forEach(
              (k, v) ->
                  rss.append(rss.length() == 0 ? "" : ", ")
                      .append(String.format("%d: %.0f", k, v)));
      double[] ph = r.phaseMedians();
      System.out.printf(
          "| %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %s | %.0f |%n",
          r.metaBatch(),
          r.batchSize(),
          r.steps(),
          r.medianSeconds(),
          ph[0],
          ph[1],
          ph[2],
          ph[3],
          ph[4],
          rss,
          r.peakMb());
    }
    System.out.println();
  }
}
