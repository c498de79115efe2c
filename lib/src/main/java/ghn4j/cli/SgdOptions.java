package ghn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.eval.EvalNets;
import ghn4j.eval.NamedGraph;
import ghn4j.io.Layout;
import ghn4j.train.ProcStatus;
import ghn4j.train.SgdConfig;
import ghn4j.train.SgdTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options {@code sgd} and {@code finetune} share (a picocli mixin): which network, the SGD
 * recipe (ppuda's {@code train_net.py} defaults), the data subset and where results go; plus the
 * code that turns them into a {@link SgdTrainer} run in {@code <runs>/<name>/} (started, or resumed
 * through {@link SgdTrainer#resume} with the network and data its {@code config.json} names).
 */
final class SgdOptions {

  /** Reads {@code --opt} by its JSON name. */
  static final class OptimizerConverter extends ChoiceConverter<SgdConfig.Optimizer> {
    OptimizerConverter() {
      super(SgdConfig.Optimizer::parse);
    }
  }

  /** Reads {@code --schedule} by its JSON name. */
  static final class ScheduleConverter extends ChoiceConverter<SgdConfig.Schedule> {
    ScheduleConverter() {
      super(SgdConfig.Schedule::parse);
    }
  }

  @Mixin NetChoice netChoice;

  @Option(names = "--epochs", description = "epochs (paper's 100-shot fine-tuning: 50)")
  int epochs = 50;

  @Option(names = "--lr", description = "base learning rate (ppuda train_net: 0.025)")
  double lr = 0.025;

  @Option(names = "--momentum", description = "SGD momentum")
  double momentum = 0.9;

  @Option(
      names = "--opt",
      converter = OptimizerConverter.class,
      description = "sgd (PyTorch SGD, L2 added to the gradient) | adamw")
  SgdConfig.Optimizer opt = SgdConfig.Optimizer.SGD;

  @Option(
      names = "--schedule",
      converter = ScheduleConverter.class,
      description = "cosine (per epoch) | step (x0.1 at 2/3 and 5/6 of the epochs)")
  SgdConfig.Schedule schedule = SgdConfig.Schedule.COSINE;

  @Option(
      names = {"-b", "--batch-size"},
      description = "images per step (ppuda: 96)")
  int batchSize = 96;

  @Option(names = "--grad-clip", description = "global gradient-norm clip (0 = none)")
  double gradClip = 5;

  @Option(
      names = "--no-augment",
      description =
          "disable crop (padding 4; with --image-folder: random resized crop) " + "+ flip")
  boolean noAugment;

  @Option(
      names = "--shots",
      description =
          "train on N images per class, stratified by --seed (0 = all; CIFAR-10: "
              + "50,000; paper: 100)")
  int shots;

  @Option(
      names = "--images",
      description =
          "evaluate on a fixed stratified subset of N test images (0 = all; " + "CIFAR-10: 10,000)")
  int images;

  @Option(
      names = {"-s", "--seed"},
      description = "initialisation, n-shot subset, data order, augmentation")
  long seed = 0;

  @Option(names = "--eval-batch-size", description = "test batch size")
  int evalBatchSize = 64;

  @Option(names = "--prefetch", description = "image batches prepared ahead")
  int prefetch = 2;

  @Option(names = "--name", description = "run name (default <command>-<net>-s<seed>)")
  String name;

  @Option(names = "--runs", description = "runs directory (default <repo>/data/runs)")
  Path runs;

  @Option(names = "--run-dir", description = "explicit run directory (overrides --runs/--name)")
  Path runDir;

  @Mixin DataOptions data;

  @Option(
      names = "--init-noise",
      description =
          "add beta * std(corr(W)) * N(0,1) to every conv/linear weight but the "
              + "classifier before training (Knyazev 2022; ppuda --beta; 0 = off)")
  double initNoise;

  @Option(
      names = "--orth",
      description =
          "orthogonalise every conv/linear weight but the classifier before training "
              + "(QR; Knyazev 2022; ppuda --init orth), after --init-noise")
  boolean orth;

  @Option(
      names = "--resume",
      description =
          "continue the run in --run-dir (or --runs/--name) from the checkpoint "
              + "written after each epoch; the network, data subset and recipe come from its config.json")
  boolean resume;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code --init-noise}/{@code --orth} post-processing (noise seeded by {@code --seed}). */
  ghn4j.nn.Reinit.Options reinit() {
    return new ghn4j.nn.Reinit.Options(initNoise, orth, seed);
  }

  SgdConfig config(double wd) {
    return new SgdConfig(
        opt,
        lr,
        momentum,
        wd,
        schedule,
        epochs,
        batchSize,
        gradClip,
        !noAugment,
        seed,
        evalBatchSize,
        prefetch);
  }

  /**
   * The network chosen by --arch or --split/--index, with a classifier for {@code numClasses}
   * classes and, when {@code largeInput}, its ImageNet stem.
   */
  NamedGraph network(int numClasses, boolean largeInput) throws IOException {
    return netChoice.choose(numClasses, largeInput, "--arch and --split/--index");
  }

  /**
   * Loads the data (CIFAR-10 or --image-folder), builds the net and the trainer ({@code
   * makeTrainer}, or from the run directory's checkpoint with {@code --resume}), runs it and writes
   * the run directory (a checkpoint after every epoch).
   */
  int run(String command, double wd, ObjectNode extra, TrainerFactory makeTrainer)
      throws Exception {
    ObjectNode saved = null;
    if (resume) {
      if (runDir == null && name == null) {
        throw new ParameterException(spec.commandLine(), "--resume needs --run-dir or --name");
      }
      Path dir = runDir != null ? runDir : runsRoot().resolve(name);
      Path f = dir.resolve(SgdTrainer.CONFIG);
      if (!java.nio.file.Files.isRegularFile(f)) {
        throw new ParameterException(spec.commandLine(), "--resume: " + f + " not found");
      }
      saved = SgdTrainer.readRun(dir);
      if (!command.equals(saved.path("command").asText())) {
        throw new ParameterException(
            spec.commandLine(),
            "--resume: "
                + f
                + " is a '"
                + saved.path("command").asText()
                + "' run, not '"
                + command
                + "'");
      }
      netChoice.arch = saved.path("arch").isNull() ? null : saved.path("arch").asText(null);
      netChoice.split = saved.path("split").isNull() ? null : saved.path("split").asText(null);
      netChoice.index = saved.path("index").asInt(0);
      shots = saved.path("shots").asInt(0);
      images = saved.path("images").asInt(0);
      seed = saved.path("seed").asLong(seed);
      if (saved.hasNonNull("image_folder")) {
        data.imageFolder = Path.of(saved.get("image_folder").asText());
        data.imageSize = saved.path("image_size").asInt(data.imageSize);
      }
    }
    SgdConfig cfg;
    try {
      cfg = saved != null ? SgdConfig.fromJson(saved) : config(wd);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Dataset d = data.load(shots, seed, images, cfg.augment());
    NamedGraph net;
    try {
      net = network(d.numClasses(), d.largeInput());
      if (d.largeInput() && data.imageSize != 224 && EvalNets.fixedInputSize(net.graph())) {
        throw new IllegalArgumentException(
            net.name()
                + " is built for 224x224 inputs (positional encoding or flatten "
                + "head): use --image-size 224");
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    ImageSet train = d.train();
    ImageSet test = d.test();
    String runName =
        name != null ? name : command + "-" + net.name().replace('/', '-') + "-s" + seed;
    Path dir = runDir != null ? runDir : runsRoot().resolve(runName);
    try (SgdTrainer t =
        saved != null ? SgdTrainer.resume(dir, net.graph()) : makeTrainer.create(net, cfg)) {
      if (saved != null) {
        System.out.printf(
            "resuming %s after epoch %d of %d -> %s%n", net.name(), t.epoch(), cfg.epochs(), dir);
      } else {
        ObjectNode o = JSON.createObjectNode();
        o.put("command", command);
        o.put("net", net.name());
        o.put("arch", netChoice.arch);
        o.put("split", netChoice.split);
        o.put("index", netChoice.split == null ? null : netChoice.index);
        o.put("num_params", net.numParams());
        o.put("data", d.name());
        o.put(
            "image_folder",
            data.imageFolder == null ? null : data.imageFolder.toAbsolutePath().toString());
        o.put("image_size", data.imageFolder == null ? null : data.imageSize);
        o.put("num_classes", d.numClasses());
        o.put("shots", shots);
        o.put("images", images);
        o.put("train_images", train.size());
        o.put("test_images", test.size());
        o.put("predicted_tensors", t.predictedTensors());
        o.put("init_noise", initNoise);
        o.put("orth", orth);
        if (extra != null) {
          o.setAll(extra);
        }
        try {
          t.startRun(dir, o);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(
              spec.commandLine(),
              dir
                  + " already holds a checkpoint: add --resume or "
                  + "choose another --name/--run-dir");
        }
        System.out.printf(
            "%s %s (%,d params) on %,d training / %,d test images, %s lr %.4g wd %.1e %s %d epochs -> "
                + "%s%n",
            command,
            net.name(),
            net.numParams(),
            train.size(),
            test.size(),
            cfg.optimizer(),
            cfg.lr(),
            cfg.weightDecay(),
            cfg.schedule(),
            cfg.epochs(),
            dir);
      }
      List<SgdTrainer.EpochResult> rs =
          t.run(
              d,
              r ->
                  System.out.printf(
                      "epoch %d: train loss %.4f acc %.2f%%, test acc %.2f%%, lr %.3e, %.1f s, rss %.0f MB%n",
                      r.epoch() + 1,
                      r.trainLoss(),
                      r.trainAcc(),
                      r.testAcc(),
                      r.lr(),
                      r.seconds(),
                      ProcStatus.rssMb()));
      SgdTrainer.EpochResult last = rs.isEmpty() ? null : rs.get(rs.size() - 1);
      System.out.printf(
          "done: final test top-1 %.2f%%, peak RSS %.0f MB; metrics %s%n",
          last == null ? Double.NaN : last.testAcc(),
          ProcStatus.peakRssMb(),
          dir.resolve(SgdTrainer.METRICS));
    }
    return 0;
  }

  private Path runsRoot() {
    return runs != null ? runs : Layout.detect().runs();
  }

  /** Makes the trainer for the chosen net (from initialisation or from a GHN). */
  interface TrainerFactory {
    SgdTrainer create(NamedGraph net, SgdConfig config) throws Exception;
  }
}
