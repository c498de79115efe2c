package ghn4j.cli;

import ai.djl.ndarray.NDManager;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.eval.BnCalibration;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.nn.BnState;
import ghn4j.nn.Devices;
import ghn4j.onnx.InputShape;
import ghn4j.onnx.NetworkExport;
import ghn4j.onnx.OnnxModel;
import ghn4j.onnx.PredictedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./ghn4j predict}: predicts every parameter of a network with a GHN and writes the network
 * with them, as ONNX or as a PyTorch state_dict in safetensors, optionally with BatchNorm
 * statistics recalibrated on training images.
 *
 * <p>One unit (~400 lines): its three routes (GHN-2 on --arch/--split, GHN-2 and GHN-3 on --onnx)
 * share the options, the calibration tail and the messages that say what was and was not
 * calibrated; the ONNX Runtime checks of the written model are in {@link OrtChecks}.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = {
      "Predict all parameters of a network (--onnx your own model, --arch, or --split/--index of "
          + "DeepNets-1M) with a GHN and "
          + "write them: --out x.onnx (ONNX opset 17, input 'input' [batch,3,H,W], output 'logits'; checked in ONNX "
          + "Runtime against ghn4j's executor unless --no-check) or --out x.safetensors (the state_dict with PyTorch's "
          + "names: model.load_state_dict(safetensors.torch.load_file(F))).",
      "BatchNorm: a GHN predicts no running statistics (ppuda evaluates with batch statistics). With --calibrate N, "
          + "N training images re-estimate them (momentum=None average) and the ONNX model normalises with them; "
          + "without, the ONNX model normalises with the statistics of each batch, and a state_dict carries "
          + "PyTorch's initial 0/1."
    })
public final class PredictCommand implements Callable<Integer> {

  @Option(
      names = "--ckpt",
      required = true,
      description =
          "GHN checkpoint: our .safetensors (+.json), ppuda .pt, or "
              + "a published name (./ghn4j pretrained list)")
  Path ckpt;

  @Mixin DownloadOptions download;

  @Mixin NetChoice netChoice;

  @Option(
      names = "--onnx",
      paramLabel = "MODEL.onnx",
      description =
          "your own network as ONNX (exported with "
              + "BatchNorm kept); --out x.onnx then writes the same model with every trainable initializer predicted")
  Path onnx;

  @Option(names = "--out", required = true, description = "output file: .onnx or .safetensors")
  Path out;

  @Option(
      names = "--calibrate",
      paramLabel = "N",
      description =
          "re-estimate BatchNorm running statistics on N " + "training images (0 = no calibration)")
  int calibrate;

  @Option(names = "--calibrate-batch", description = "images per calibration batch")
  int calibrateBatch = BnCalibration.DEFAULT_BATCH_SIZE;

  @Option(
      names = {"-s", "--seed"},
      description = "which training images calibrate")
  long seed;

  @Option(names = "--no-check", description = "do not run the written ONNX model in ONNX Runtime")
  boolean noCheck;

  @Mixin DataOptions data;

  /** {@link #ckpt} resolved (a catalog name fetched). */
  private Path ckptFile;

  @Override
  public Integer call() throws Exception {
    String outName = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!outName.endsWith(".onnx") && !outName.endsWith(".safetensors")) {
      throw new IllegalArgumentException("--out " + out + ": write .onnx or .safetensors");
    }
    ckptFile = download.checkpoint(ckpt);
    if (ghn4j.ghn.Ghn3.isCheckpoint(ckptFile)) {
      if (onnx == null) {
        throw new IllegalArgumentException(
            "--ckpt "
                + ckpt
                + " is a GHN-3: it predicts for an ONNX model (--onnx "
                + "MODEL.onnx); --arch and --split/--index build ppuda's graphs for GHN-2");
      }
      return predictOnnxGhn3(ckptFile, outName);
    }
    if (onnx != null) {
      return predictOnnx(outName);
    }
    boolean folder = data.imageFolder != null;
    Dataset d = null;
    if (calibrate > 0) {
      d = loadCalibrationData();
      if (d == null) {
        return Main.ERROR;
      }
    } else if (folder) {
      d = data.load(1, seed, -1, false); // only for the class count
    }
    int classes = d != null ? d.numClasses() : 10;
    boolean largeInput = d != null && d.largeInput();
    InputShape input = folder ? InputShape.rgb(data.imageSize) : InputShape.cifar10();
    NamedGraph net = network(classes, largeInput);
    Graph g = net.graph();
    System.out.printf(
        "%s: %,d parameters, %d nodes; input %dx%dx%d, %d classes%n",
        net.name(),
        net.numParams(),
        net.numNodes(),
        input.channels(),
        input.height(),
        input.width(),
        classes);
    try (Ghn ghn = Ghn.load(ckptFile);
        NDManager m = Devices.newManager()) {
      Predictions p = ghn.predict(List.of(g), m);
      NetworkExport export = NetworkExport.of(p, 0, g);
      if (!export.hasBatchNorm()) {
        System.out.println("BatchNorm: none in this network; nothing to calibrate");
      } else if (calibrate > 0) {
        ImageSet images =
            d.train().shuffled(seed).subset(range(Math.min(calibrate, d.train().size())));
        int batches = (images.size() + calibrateBatch - 1) / calibrateBatch;
        BnState stats =
            BnCalibration.calibrate(
                g, export.params(), images, calibrateBatch, d.normalization(), m);
        export = export.withStats(stats, batches);
        System.out.printf(
            "BatchNorm: running statistics re-estimated on %d %s training images (%d batches of up to "
                + "%d)%n",
            images.size(), d.name(), batches, calibrateBatch);
      } else {
        System.out.println(
            "BatchNorm: NOT calibrated (no --calibrate N): "
                + (outName.endsWith(".onnx")
                    ? "the ONNX model normalises with the statistics of each batch (as ppuda "
                        + "evaluates), so its outputs depend on the batch; pass --calibrate N with training data for a model "
                        + "that works one image at a time"
                    : "the state_dict carries PyTorch's initial running statistics (0/1): evaluate with BatchNorm in "
                        + "train() mode, or pass --calibrate N with training data"));
      }
      export.write(out, input);
      System.out.println("wrote " + out);
      if (outName.endsWith(".onnx") && !noCheck) {
        return OrtChecks.matchesExecutor(out, export, input, seed, m);
      }
    }
    return 0;
  }

  /**
   * {@code --onnx}: the user's model in, the same model out with predicted initializers (ONNX) or
   * its state_dict (safetensors). Its BatchNorm nodes run on running statistics (an ONNX model's
   * inference form): recalibrated with {@code --calibrate N}, else the file's own, which do not
   * belong to the predicted parameters — said clearly.
   */
  private int predictOnnx(String outName) throws Exception {
    if (netChoice.given()) {
      throw new IllegalArgumentException("give one of --onnx, --arch and --split/--index");
    }
    OnnxModel model = OnnxModel.read(onnx);
    Graph g = model.graph();
    long[] in = model.inputShape();
    InputShape input = new InputShape((int) in[1], (int) in[2], (int) in[3]);
    System.out.printf(
        "%s: %,d parameters, %d nodes (%d seen by the GHN); input %s%n",
        onnx, g.numParams(), g.size(), g.primitiveView().size(), java.util.Arrays.toString(in));
    try (Ghn ghn = Ghn.load(ckptFile);
        NDManager m = Devices.newManager()) {
      long t0 = System.nanoTime();
      PredictedModel p = PredictedModel.of(model, ghn, m);
      System.out.printf(
          "predicted %,d parameters in %.0f ms%n", g.numParams(), (System.nanoTime() - t0) / 1e6);
      p = calibrateAndWrite(p, outName, m);
      if (p == null) {
        return Main.ERROR;
      }
      if (outName.endsWith(".onnx")
          && !noCheck
          && (!p.export().hasBatchNorm() || p.export().stats() != null)) {
        return OrtChecks.matchesExecutor(out, p.export(), input, seed, m);
      }
    }
    return 0;
  }

  /**
   * {@code --onnx} with a GHN-3 checkpoint: GHN-3's graph from the file's dataflow (any family).
   * When ghn4j's executable importer takes the model (CNNs), the rest is as for GHN-2: optional
   * calibration, the same model written with predicted initializers (or its state_dict), and the
   * ONNX Runtime check against our executor. Otherwise (ViT, ConvNeXt: their token reshapes are not
   * executable in ghn4j) the predicted initializers are written into the same model (or as
   * safetensors) and ONNX Runtime runs the result on random images (finite logits), without an
   * executor to compare with; --calibrate is refused for such a model that has BatchNorm.
   */
  private int predictOnnxGhn3(Path ckptFile, String outName) throws Exception {
    if (netChoice.given()) {
      throw new IllegalArgumentException("give one of --onnx, --arch and --split/--index");
    }
    try (ghn4j.ghn.Ghn3 ghn = ghn4j.ghn.Ghn3.load(ckptFile);
        NDManager m = Devices.newManager()) {
      System.out.printf("GHN-3 %s (%s): %s%n", ckptFile.getFileName(), ghn.format(), ghn.config());
      ghn4j.onnx.Ghn3Prediction p = ghn4j.onnx.Ghn3Prediction.of(onnx, ghn, m);
      long predicted = p.params().values().stream().mapToLong(a -> a.getShape().size()).sum();
      System.out.printf(
          "%s: GHN-3 graph of %d nodes; predicted %,d parameters in %d tensors (graph %.0f ms, GHN-3 "
              + "forward %.0f ms)%n",
          onnx,
          p.graph().size(),
          predicted,
          p.params().size(),
          p.graphSeconds() * 1e3,
          p.forwardSeconds() * 1e3);
      List<String> kept = p.notPredicted();
      if (!kept.isEmpty()) {
        System.out.println(
            "not predicted by GHN-3 (as ghn3; they keep the file's values): "
                + String.join(", ", kept.size() > 6 ? kept.subList(0, 6) : kept)
                + (kept.size() > 6 ? " ... (" + kept.size() + ")" : ""));
      }
      PredictedModel exec = p.executable();
      if (exec == null) {
        boolean hasBn = onnxHasBatchNorm(p);
        if (calibrate > 0 && hasBn) {
          System.err.println(
              "--calibrate: ghn4j cannot run "
                  + onnx.getFileName()
                  + " ("
                  + p.whyNotExecutable()
                  + "), so it cannot re-estimate its BatchNorm statistics; nothing written. Drop --calibrate.");
          return Main.ERROR;
        }
        System.out.println(
            "executable import: no ("
                + firstLine(p.whyNotExecutable())
                + "): the predicted parameters"
                + " are written into the model as it is"
                + (hasBn ? "; its BatchNorm keeps the file's running statistics" : ""));
        if (outName.endsWith(".onnx")) {
          p.writeOnnx(out);
        } else {
          p.writeSafetensors(out);
        }
        System.out.println("wrote " + out);
        if (outName.endsWith(".onnx") && !noCheck) {
          return OrtChecks.finiteLogits(out, p.inputShape(2), seed);
        }
        return 0;
      }
      exec = calibrateAndWrite(exec, outName, m);
      if (exec == null) {
        return Main.ERROR;
      }
      if (outName.endsWith(".onnx") && !noCheck) {
        if (!exec.export().hasBatchNorm() || exec.export().stats() != null) {
          long[] in = exec.source().inputShape();
          return OrtChecks.matchesExecutor(
              out, exec.export(), new InputShape((int) in[1], (int) in[2], (int) in[3]), seed, m);
        }
        System.out.println(
            "(not compared with ghn4j's executor: the file's running statistics are not the predicted "
                + "network's; --calibrate N makes them so)");
        return OrtChecks.finiteLogits(out, p.inputShape(2), seed);
      }
    }
    return 0;
  }

  /**
   * The common tail of both {@code --onnx} routes: re-estimates {@code p}'s BatchNorm statistics on
   * {@code --calibrate N} training images (or says why its statistics are not the predicted
   * network's), then writes it to {@code --out} (ONNX or safetensors by the name). Returns the
   * written model, or {@code null} when the calibration data could not be loaded (already
   * reported).
   */
  private PredictedModel calibrateAndWrite(PredictedModel p, String outName, NDManager m)
      throws Exception {
    if (!p.export().hasBatchNorm()) {
      System.out.println("BatchNorm: none in this network; nothing to calibrate");
    } else if (calibrate > 0) {
      Dataset d = loadCalibrationData();
      if (d == null) {
        return null;
      }
      ImageSet images =
          d.train().shuffled(seed).subset(range(Math.min(calibrate, d.train().size())));
      p = p.calibrate(images, d.normalization(), m);
      System.out.printf(
          "BatchNorm: running statistics re-estimated on %d %s training images%n",
          images.size(), d.name());
    } else {
      System.out.println(
          "BatchNorm: NOT calibrated (no --calibrate N): "
              + (outName.endsWith(".onnx")
                  ? "the written model keeps the running statistics of "
                      + onnx.getFileName()
                      + ", which do not belong to the predicted parameters; pass --calibrate N with training data"
                  : "the state_dict carries PyTorch's initial running statistics (0/1): evaluate with BatchNorm in "
                      + "train() mode, or pass --calibrate N with training data"));
    }
    if (outName.endsWith(".onnx")) {
      p.writeOnnx(out);
    } else {
      p.writeSafetensors(out);
    }
    System.out.println("wrote " + out);
    return p;
  }

  private static boolean onnxHasBatchNorm(ghn4j.onnx.Ghn3Prediction p) {
    return p.graph().nodes().stream().anyMatch(n -> n.primitive() == ghn4j.graph.Primitive.BN);
  }

  private static String firstLine(String s) {
    String t = s == null ? "" : s.strip();
    int nl = t.indexOf('\n');
    t = nl < 0 ? t : t.substring(0, nl);
    return t.length() > 160 ? t.substring(0, 160) + "..." : t;
  }

  /** Training images for --calibrate, or null after saying clearly why there are none. */
  private Dataset loadCalibrationData() {
    try {
      // enough per class for N images (floor(N / classes) + 1), then the first N of them in a
      // seeded order
      int perClass = data.perClass(calibrate) + 1;
      Dataset d = data.load(perClass, seed, -1, false);
      if (d.train() == null || d.train().size() == 0) {
        System.err.println(
            "--calibrate " + calibrate + ": the data set has no training images; nothing written");
        return null;
      }
      return d;
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "--calibrate "
              + calibrate
              + ": no training images available ("
              + e.getMessage()
              + "). "
              + "Prepare CIFAR-10 with `./ghn4j data prepare` (or give --data-dir / --image-folder), or drop --calibrate "
              + "to write the model with batch-statistics BatchNorm. Nothing written.");
      return null;
    }
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /** The network of --arch or --split/--index (as {@code sgd}/{@code finetune} choose it). */
  private NamedGraph network(int numClasses, boolean largeInput) throws IOException {
    return netChoice.choose(numClasses, largeInput, "--onnx, --arch and --split/--index");
  }
}
