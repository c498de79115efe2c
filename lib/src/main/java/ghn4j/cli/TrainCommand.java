package ghn4j.cli;

import ghn4j.data.Dataset;
import ghn4j.train.ImageFolderData;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.MetaTrainer;
import ghn4j.train.ProcStatus;
import ghn4j.train.TrainNets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j train}: meta-trains a GHN on CIFAR-10 (or an ImageNet-style {@code
 * --image-folder}) with ppuda's recipe ({@link MetaTrainer}).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Meta-train a GHN on CIFAR-10 or an ImageNet-style --image-folder (ppuda train_ghn.py recipe: "
          + "Adam, clip 5, MultiStepLR x0.1 at 2/3 and 5/6). Writes config.json, checkpoint.safetensors, "
          + "ghn.safetensors/.json and metrics.jsonl into <runs>/<name>/. --resume continues a killed run with the same "
          + "losses."
    })
public final class TrainCommand implements Callable<Integer> {

  /** The run's options, shared with {@code train --spark}. */
  @Mixin MetaTrainOptions run;

  @Mixin DataOptions data;
  @Mixin WorkerOptions workerOptions;

  @Option(names = "--no-progress", description = "plain log lines instead of a progress bar")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    Path dir = run.runDir();
    boolean resume = run.resume();
    ImageFolderData recorded = resume ? ImageFolderData.read(dir).orElse(null) : null;
    if (recorded != null) {
      // an image-folder run: the same folder, size and subset as when it started
      data.imageFolder = recorded.folder();
      data.imageSize = recorded.imageSize();
      run.trainImages = recorded.trainImages();
    }
    boolean folder = data.imageFolder != null;
    if (folder && data.imageSize != 224) {
      // sampled ViT-style nets have 14x14 positional encodings and flatten heads sized for 224 (as
      // ppuda builds them)
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--image-folder meta-training "
              + "needs --image-size 224: DeepNets-1M's ImageNet nets are built for 224x224 inputs");
    }
    // CIFAR-10: the whole training set, MetaTrainer keeps the first --train-images; a folder: the
    // subset is read
    int perClass = folder && run.trainImages != null ? data.perClass(run.trainImages) : 0;
    MetaTrainConfig saved = resume ? MetaTrainer.readConfig(dir) : null;
    Dataset d =
        data.load(
            perClass,
            saved != null ? saved.seed() : run.seed,
            -1,
            saved != null ? saved.augment() : !run.noAugment);
    MetaTrainConfig cfg =
        saved != null
            ? saved
            : run.config(d.numClasses(), folder ? 0 : run.cifarTrainImages(), d.largeInput());
    TrainNets trainNets =
        cfg.nets().equals("generate")
            ? TrainNets.generated(cfg.numNets())
            : TrainNets.fromDir(Path.of(cfg.nets()));
    try (MetaTrainer t =
        resume
            ? MetaTrainer.resume(dir, d, trainNets, null)
            : MetaTrainer.start(cfg, d, trainNets, dir)) {
      t.useWorkers(workerOptions.workers(), workerOptions.intraOpThreads());
      if (folder && !resume) {
        t.recordData(
            new ImageFolderData(data.imageFolder, data.imageSize, run.trainImages, d.numClasses()));
      }
      System.out.println(
          "data: "
              + d.name()
              + ", "
              + d.train().size()
              + " training images, "
              + d.numClasses()
              + " classes");
      System.out.println("run " + dir + ": " + t.describe());
      System.out.println(
          "workers: "
              + workerOptions.workers()
              + " × "
              + workerOptions.intraOpThreads()
              + " intra-op thread(s)");
      long total = t.totalSteps() > 0 ? t.totalSteps() : -1;
      ProgressBar pb =
          noProgress
              ? null
              : new ProgressBarBuilder()
                  .setTaskName("train")
                  .setInitialMax(total)
                  .setStyle(ProgressBarStyle.ASCII)
                  .setUpdateIntervalMillis(1000)
                  .startsFrom(t.step(), java.time.Duration.ZERO)
                  .build();
      double[] avg = new double[3];
      MetaTrainer.Result r;
      try {
        r =
            t.run(
                s -> {
                  avg[0] += s.loss();
                  avg[1] += s.accuracy();
                  avg[2]++;
                  if (pb != null) {
                    pb.stepTo(s.step() + 1);
                    pb.setExtraMessage(
                        String.format(
                            "loss %.3f acc %.1f %.2fs/step", s.loss(), s.accuracy(), s.seconds()));
                  } else if ((s.step() + 1) % Math.max(1, cfg.logEvery() * 10) == 0) {
                    System.out.printf(
                        "step %d epoch %d loss %.4f (avg %.4f) acc %.1f (avg %.1f) lr %.2e %.2f s/step "
                            + "elapsed %.1f min (%.1f CPU min) rss %.0f MB%n",
                        s.step() + 1,
                        s.epoch(),
                        s.loss(),
                        avg[0] / avg[2],
                        s.accuracy(),
                        avg[1] / avg[2],
                        s.lr(),
                        s.seconds(),
                        t.elapsedSeconds() / 60,
                        t.cpuSeconds() / 60,
                        ProcStatus.rssMb());
                    avg[0] = avg[1] = avg[2] = 0;
                  }
                });
      } finally {
        if (pb != null) {
          pb.close();
        }
      }
      System.out.printf(
          "done: %d steps this session, next step %d, %d skipped meta-batches, %.1f min "
              + "(%.1f CPU min), peak RSS %.0f MB; checkpoint %s%n",
          r.stepsDone(),
          r.nextStep(),
          r.skipped(),
          r.elapsedSeconds() / 60,
          r.cpuSeconds() / 60,
          ProcStatus.peakRssMb(),
          r.checkpoint());
    }
    return 0;
  }
}
