package ghn4j.cli;

import ghn4j.bench.Ghn3Bench;
import ghn4j.ghn.Ghn3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ghn4j bench ghn3}: GHN-3 prediction time (graph from ONNX + forward) for ResNet-50 and
 * ViT-B/16 ({@link Ghn3Bench}), against ghn3's times on this machine.
 */
@Command(
    name = "ghn3",
    mixinStandardHelpOptions = true,
    description = {
      "GHN-3 prediction time (graph from the ONNX file + one GHN-3 forward) for ResNet-50 and ViT-B/16, "
          + "median of N runs, next to ghn3's times on this machine (target: at most 0.25x). Run with GHN4J_THREADS=1 "
          + "for the issue's 1-thread comparison.",
      "The models: data/cache/onnx/{resnet50,vit_b_16}.onnx, made by environment/bench/imagenet-onnx.sh (Debian's "
          + "python3-torchvision), or --onnx FILE ..."
    })
public final class BenchGhn3Command implements Callable<Integer> {

  @Option(
      names = "--ghn",
      description =
          "GHN-3 checkpoint file or catalog name (ghn3-tm8, ...); default: the random "
              + "small GHN-3 of the GHN-3 fixtures (hid 32, 3 layers, 8 heads; weights do not change the time)")
  String ghn;

  @Option(
      names = "--onnx",
      arity = "1..*",
      description = "ONNX files (plain or .onnx.gz) instead of the default two")
  List<Path> onnx;

  @Option(
      names = "--runs",
      defaultValue = "7",
      description = "timed runs (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "untimed runs first (default ${DEFAULT-VALUE})")
  int warmup;

  @Mixin DownloadOptions download;

  @Override
  public Integer call() throws IOException {
    if (runs < 1 || warmup < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--runs must be >= 1, --warmup >= 0");
    }
    ghn4j.io.Layout layout = ghn4j.io.Layout.detect();
    Path root = layout.root();
    List<Path> files = onnx;
    if (files == null) {
      Path dir = layout.data().resolve("cache").resolve("onnx");
      files = new ArrayList<>();
      for (String m : List.of("resnet50", "vit_b_16")) {
        Path f = dir.resolve(m + ".onnx");
        if (!Files.isRegularFile(f)) {
          System.err.println(
              "ghn4j: bench ghn3: "
                  + f
                  + " is missing: make it with environment/bench/imagenet-onnx.sh"
                  + " (exports torchvision's resnet50 and vit_b_16 with Debian's python3-torchvision), or pass --onnx FILE");
          return Main.ERROR;
        }
        files.add(f);
      }
    }
    Path ckpt;
    String name;
    if (ghn == null) {
      Path fixtures =
          ghn4j.report.FixtureLocation.find(root)
              .orElse(root.resolve("../shared/fixtures/reference"));
      ckpt = fixtures.resolveSibling("ghn3").resolve("ghn").resolve("ghn3-random.joblib");
      if (!Files.isRegularFile(ckpt)) {
        System.err.println(
            "ghn4j: bench ghn3: no --ghn and no GHN-3 fixture at "
                + ckpt
                + " (set GHN4J_FIXTURES to "
                + "the reference fixtures, whose sibling ghn3/ holds it)");
        return Main.ERROR;
      }
      name = "random fixture " + ckpt.getFileName();
    } else {
      ckpt = download.checkpoint(Path.of(ghn));
      name = ghn;
    }
    try (Ghn3 g = Ghn3.load(ckpt)) {
      System.out.print(Ghn3Bench.run(files, g, name, runs, warmup));
    }
    return 0;
  }
}
