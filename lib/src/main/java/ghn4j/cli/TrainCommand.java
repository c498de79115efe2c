package ghn4j.cli;

import ghn4j.data.Dataset;
import ghn4j.ghn.GhnConfig;
import ghn4j.io.Layout;
import ghn4j.optim.LrSchedule;
import ghn4j.train.ImageFolderData;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.MetaTrainer;
import ghn4j.train.NetSampling;
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

  @Option(names = "--preset", description = "ghn2 | ghn1 | mlp")
  String preset = "ghn2";

  @Option(names = "--hid", description = "node embedding width (paper: 32)")
  int hid = 32;

  @Option(
      names = "--max-shape",
      description =
          "decoder max shape out,in,h,w (ppuda: 2*hid,2*hid,11,11; with "
              + "--image-folder 2*hid,2*hid,16,16)")
  String maxShape;

  @Option(names = "--ve", negatable = true, description = "virtual edges (preset default)")
  Boolean ve;

  @Option(
      names = "--ln",
      negatable = true,
      description = "LayerNorm of node embeddings (preset default)")
  Boolean ln;

  @Option(
      names = "--weight-norm",
      negatable = true,
      description = "fan-in normalisation (preset default)")
  Boolean weightNorm;

  @Option(
      names = {"-m", "--meta-batch"},
      description = "architectures per step (paper: 8)")
  int metaBatch = 8;

  @Option(
      names = {"-b", "--batch-size"},
      description = "images per step")
  int batchSize = 64;

  @Option(names = "--lr", description = "Adam learning rate")
  double lr = 1e-3;

  @Option(names = "--wd", description = "Adam L2 weight decay")
  double wd = 1e-5;

  @Option(names = "--grad-clip", description = "global gradient-norm clip")
  double gradClip = 5;

  @Option(names = "--gamma", description = "LR factor at 2/3 and 5/6 of the run")
  double gamma = 0.1;

  @Option(
      names = "--lr-schedule",
      description =
          "multistep (ppuda: x gamma at 2/3 and 5/6) or cosine (decay to 0 over "
              + "the run's steps, or its time budget)")
  String lrSchedule = "multistep";

  @Option(
      names = "--warmup-steps",
      description = "linear LR warm-up over the first N steps (0 = none, as ppuda)")
  long warmupSteps;

  @Option(
      names = "--max-net-params",
      description =
          "cap on a training net's parameters at C = 32: capped draws "
              + "re-draw bigger nets (0 = none: uniform as ppuda)")
  long maxNetParams;

  @Option(
      names = "--capped-fraction",
      description = "share of drawn nets that must respect --max-net-params " + "(default 1 = all)")
  double cappedFraction = 1;

  @Option(
      names = "--max-c",
      description = "largest width C drawn for a training net (ppuda: 128; step 16 from 32)")
  int maxC = 128;

  @Option(names = "--epochs", description = "budget in epochs of 45,000 images")
  int epochs = 300;

  @Option(names = "--steps", description = "budget in steps (overrides --epochs; 0 = unset)")
  long steps;

  @Option(
      names = "--minutes",
      description = "wall-clock budget (0 = none); with only this, LR milestones by time")
  double minutes;

  @Option(
      names = "--cpu-minutes",
      description =
          "budget in minutes of this process's CPU time, all threads (0 = none;"
              + " fair on a shared machine); with only time budgets, LR milestones by the larger used fraction")
  double cpuMinutes;

  @Option(
      names = {"-s", "--seed"},
      description = "run seed: everything of step k derives from (seed, k)")
  long seed = 1111;

  @Option(names = "--num-nets", description = "train-split architectures to draw from")
  int numNets = 1_000_000;

  @Option(
      names = "--nets",
      description = "'generate' (on the fly) or a split directory of ./ghn4j generate")
  String nets = "generate";

  @Option(
      names = "--train-images",
      description =
          "CIFAR-10: the first N training images (default 45,000; ppuda holds "
              + "out 10%%); --image-folder: a stratified subset of about N images, drawn by --seed (default all)")
  Integer trainImages;

  @Option(names = "--no-augment", description = "disable crop+flip")
  boolean noAugment;

  @Option(
      names = "--no-classifier-dropout",
      description =
          "run the nets' classifier dropout (p = 0.5 between fc "
              + "layers, on in ppuda's training) as the identity")
  boolean noClassifierDropout;

  @Option(names = "--checkpoint-every", description = "steps between checkpoints")
  int checkpointEvery = 1000;

  @Option(names = "--log-every", description = "steps between metrics lines")
  int logEvery = 1;

  @Option(names = "--prefetch", description = "image batches prepared ahead")
  int prefetch = 4;

  @Option(names = "--name", description = "run name")
  String name = "ghn2";

  @Option(names = "--runs", description = "runs directory (default <repo>/data/runs)")
  Path runs;

  @Option(names = "--run-dir", description = "explicit run directory (overrides --runs/--name)")
  Path runDir;

  @Mixin DataOptions data;
  @Mixin WorkerOptions workerOptions;

  @Option(
      names = "--resume",
      description = "continue the run in the run directory from its checkpoint")
  boolean resume;

  @Option(names = "--no-progress", description = "plain log lines instead of a progress bar")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    Path dir =
        runDir != null ? runDir : (runs != null ? runs : Layout.detect().runs()).resolve(name);
    ImageFolderData recorded = resume ? ImageFolderData.read(dir).orElse(null) : null;
    if (recorded != null) {
      // an image-folder run: the same folder, size and subset as when it started
      data.imageFolder = recorded.folder();
      data.imageSize = recorded.imageSize();
      trainImages = recorded.trainImages();
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
    int perClass = folder && trainImages != null ? data.perClass(trainImages) : 0;
    MetaTrainConfig saved = resume ? MetaTrainer.readConfig(dir) : null;
    Dataset d =
        data.load(
            perClass,
            saved != null ? saved.seed() : seed,
            -1,
            saved != null ? saved.augment() : !noAugment);
    MetaTrainConfig cfg =
        saved != null
            ? saved
            : config(
                d.numClasses(),
                folder ? 0 : trainImages != null ? trainImages : 45_000,
                d.largeInput());
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
            new ImageFolderData(data.imageFolder, data.imageSize, trainImages, d.numClasses()));
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

  private MetaTrainConfig config(int numClasses, int firstImages, boolean largeInput) {
    GhnConfig base =
        switch (preset) {
          case "ghn2" -> GhnConfig.ghn2();
          case "ghn1" -> GhnConfig.ghn1();
          case "mlp" -> GhnConfig.mlp();
          default ->
              throw new IllegalArgumentException(
                  "--preset must be ghn2, ghn1 or mlp, got " + preset);
        };
    int k =
        largeInput
            ? 16
            : 11; // ppuda's spatial max shape: 16 for ImageNet (16x16 ViT patches), else 11
    int[] ms = {2 * hid, 2 * hid, k, k};
    if (maxShape != null) {
      String[] p = maxShape.split(",");
      ms =
          new int[] {
            Integer.parseInt(p[0]),
            Integer.parseInt(p[p.length > 1 ? 1 : 0]),
            p.length > 2 ? Integer.parseInt(p[2]) : k,
            p.length > 3 ? Integer.parseInt(p[3]) : k
          };
    }
    // the GHN predicts classifiers for the data's classes (ppuda: num_classes of the dataset)
    GhnConfig g =
        new GhnConfig(
            ms,
            numClasses,
            base.hypernet(),
            base.decoder(),
            weightNorm != null ? weightNorm : base.weightNorm(),
            ve != null ? ve : base.ve(),
            ln != null ? ln : base.layernorm(),
            hid);
    return MetaTrainConfig.defaults(g)
        .withMetaBatch(metaBatch)
        .withBatchSize(batchSize)
        .withLr(lr)
        .withWeightDecay(wd)
        .withGradClip(gradClip)
        .withGamma(gamma)
        .withBudget(epochs, steps, minutes, cpuMinutes)
        .withSeed(seed)
        .withNumNets(numNets)
        .withNets(nets)
        .withTrainImages(firstImages)
        .withAugment(!noAugment)
        .withMaxC(maxC)
        .withCheckpointEvery(checkpointEvery)
        .withLogEvery(logEvery)
        .withPrefetch(prefetch)
        .withClassifierDropout(!noClassifierDropout)
        .withRecipe(
            LrSchedule.Kind.parse(lrSchedule),
            warmupSteps,
            new NetSampling(maxNetParams, cappedFraction));
  }
}
