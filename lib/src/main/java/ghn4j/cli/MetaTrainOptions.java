package ghn4j.cli;

import ghn4j.ghn.GhnConfig;
import ghn4j.io.Layout;
import ghn4j.optim.LrSchedule;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.NetSampling;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of {@code ./ghn4j train} that define a meta-training run (a picocli mixin), and the
 * one translation of them into a {@link MetaTrainConfig}: shared by {@code train} and {@code train
 * --spark} so that both accept the same options and build the same config from them.
 */
public final class MetaTrainOptions {

  /** ghn4j's GHN presets ({@code --preset}): ppuda's GHN-2, GHN-1 and the MLP baseline. */
  public enum Preset {
    GHN2("ghn2"),
    GHN1("ghn1"),
    MLP("mlp");

    private final String name;

    Preset(String name) {
      this.name = name;
    }

    /** The preset's config ({@link GhnConfig#ghn2()}, {@link GhnConfig#ghn1()}, ...). */
    public GhnConfig config() {
      return switch (this) {
        case GHN2 -> GhnConfig.ghn2();
        case GHN1 -> GhnConfig.ghn1();
        case MLP -> GhnConfig.mlp();
      };
    }

    /** The preset named {@code name} on the command line; the error lists the allowed names. */
    public static Preset parse(String name) {
      return ghn4j.io.JsonRecords.parseName(values(), p -> p.name, "--preset", name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Reads {@code --preset} by its lower-case name. */
  static final class PresetConverter extends ChoiceConverter<Preset> {
    PresetConverter() {
      super(Preset::parse);
    }
  }

  /** Reads {@code --lr-schedule} by its JSON name. */
  static final class LrScheduleConverter extends ChoiceConverter<LrSchedule.Kind> {
    LrScheduleConverter() {
      super(LrSchedule.Kind::parse);
    }
  }

  @Option(names = "--preset", converter = PresetConverter.class, description = "ghn2 | ghn1 | mlp")
  Preset preset = Preset.GHN2;

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
      converter = LrScheduleConverter.class,
      description =
          "multistep (ppuda: x gamma at 2/3 and 5/6) or cosine (decay to 0 over "
              + "the run's steps, or its time budget)")
  LrSchedule.Kind lrSchedule = LrSchedule.Kind.MULTI_STEP;

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
      description = "share of drawn nets that must respect --max-net-params (default 1 = all)")
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

  @Option(
      names = "--resume",
      description = "continue the run in the run directory from its checkpoint")
  boolean resume;

  /**
   * The run directory: {@code --run-dir}, else {@code --runs} (default data/runs) / {@code --name}.
   */
  public Path runDir() {
    return runDir != null ? runDir : (runs != null ? runs : Layout.detect().runs()).resolve(name);
  }

  /** Whether {@code --resume} was given. */
  public boolean resume() {
    return resume;
  }

  /** CIFAR-10's {@code --train-images}: the first this many images (45,000 when not given). */
  public int cifarTrainImages() {
    return trainImages != null ? trainImages : 45_000;
  }

  /**
   * The config these options describe, for data with {@code numClasses} classes, using the first
   * {@code firstImages} training images (0: all), and a decoder for large inputs ({@code
   * largeInput}: ppuda's spatial max shape 16 for ImageNet's 16x16 ViT patches, else 11).
   */
  public MetaTrainConfig config(int numClasses, int firstImages, boolean largeInput) {
    GhnConfig base = preset.config();
    int k = largeInput ? 16 : 11;
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
        base.withMaxShape(ms)
            .withNumClasses(numClasses)
            .withWeightNorm(weightNorm != null ? weightNorm : base.weightNorm())
            .withVe(ve != null ? ve : base.ve())
            .withLayernorm(ln != null ? ln : base.layernorm())
            .withHid(hid);
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
        .withRecipe(lrSchedule, warmupSteps, new NetSampling(maxNetParams, cappedFraction));
  }
}
