package ghn4j.cli;

import ghn4j.bench.FixtureGhnBench;
import ghn4j.bench.GeneratorBench;
import ghn4j.bench.OnnxImportBench;
import ghn4j.bench.PredictionBench;
import ghn4j.bench.ZooBench;
import ghn4j.deepnets.Split;
import ghn4j.io.Layout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ghn4j bench ...}: the speed benchmarks of {@code ghn4j.bench} (numbers to read, not
 * pass/fail tests). Subcommand {@code ghn}: GHN prediction time for ResNet-50, the ViT and
 * DeepNets-1M test nets; {@code fixtures}: the same on ppuda's fixture graphs; {@code graphs}:
 * DeepNets-1M generator throughput and graph construction / executor speed of the zoo; {@code
 * onnx}: ONNX import time of ResNet-50; {@code workers}: meta-training s/step sequential vs
 * parallel workers ({@link BenchWorkersCommand}); {@code ghn3}: GHN-3 prediction time ({@link
 * BenchGhn3Command}).
 */
@Command(
    name = "bench",
    description = "Speed benchmarks.",
    subcommands = {
      BenchCommand.GhnBench.class,
      BenchCommand.FixturesBench.class,
      BenchCommand.GraphBench.class,
      BenchCommand.OnnxBench.class,
      BenchWorkersCommand.class,
      BenchGhn3Command.class
    })
public final class BenchCommand extends CommandGroup {

  /**
   * {@code ghn4j bench ghn [--ghn FILE] [--runs N] [--warmup N] [--test-nets N]}: {@link
   * PredictionBench}.
   */
  @Command(
      name = "ghn",
      mixinStandardHelpOptions = true,
      description =
          "GHN prediction time (graph construction + forward) for ResNet-50, ViT and DeepNets-1M test nets.")
  static final class GhnBench implements Callable<Integer> {

    @Option(
        names = "--ghn",
        description = "GHN checkpoint (.pt or .safetensors); default: random GHN-2")
    Path ghnFile;

    @Option(
        names = "--runs",
        defaultValue = "5",
        description = "timed runs per case (default ${DEFAULT-VALUE})")
    int runs;

    @Option(
        names = "--warmup",
        defaultValue = "2",
        description = "untimed runs first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(
        names = "--test-nets",
        defaultValue = "20",
        description = "DeepNets-1M test nets (default ${DEFAULT-VALUE})")
    int testNets;

    @Override
    public Integer call() throws IOException {
      if (runs < 1 || warmup < 0 || testNets < 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--runs must be ≥ 1, --warmup and " + "--test-nets ≥ 0");
      }
      PredictionBench.run(ghnFile, runs, warmup, testNets);
      return 0;
    }
  }

  /**
   * {@code ghn4j bench fixtures [--fixtures DIR] [--ghn FILE] [--runs N] [NET...]}: {@link
   * FixtureGhnBench}.
   */
  @Command(
      name = "fixtures",
      mixinStandardHelpOptions = true,
      description = "GHN prediction time (graph preparation + forward) on ppuda's fixture graphs.")
  static final class FixturesBench implements Callable<Integer> {

    @Option(
        names = "--fixtures",
        description = "the reference fixture directory (default: found as the tests do)")
    Path fixtures;

    @Option(
        names = "--ghn",
        description = "GHN checkpoint; default: the fixtures' ghn/ghn2-random.safetensors")
    Path ghnFile;

    @Option(
        names = "--runs",
        defaultValue = "7",
        description = "timed runs per net (default ${DEFAULT-VALUE})")
    int runs;

    @Parameters(description = "fixture graph names (default: resnet18 val-000 deep-000)")
    List<String> nets = List.of("resnet18", "val-000", "deep-000");

    @Override
    public Integer call() throws IOException {
      if (runs < 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be ≥ 1");
      }
      Path dir =
          fixtures != null
              ? fixtures
              : Layout.detect()
                  .fixtures()
                  .orElseThrow(
                      () ->
                          new CommandLine.ParameterException(
                              new CommandLine(this),
                              "no reference fixtures in "
                                  + Layout.detect().fixtureCandidates()
                                  + "; give --fixtures"));
      FixtureGhnBench.run(
          dir, ghnFile != null ? ghnFile : dir.resolve("ghn/ghn2-random.safetensors"), runs, nets);
      return 0;
    }
  }

  /**
   * {@code ghn4j bench graphs [--nets N] [--forward-runs N]}: {@link GeneratorBench} (nets/s of the
   * DeepNets-1M generator, sampling alone, then with parameter counting and graph construction) and
   * {@link ZooBench} (ResNet-50 graph construction time, ResNet-18 executor forward).
   */
  @Command(
      name = "graphs",
      mixinStandardHelpOptions = true,
      description =
          "Generator throughput (nets/s incl. graph construction and parameter counting), ResNet-50 graph "
              + "construction time and ResNet-18 forward time.")
  static final class GraphBench implements Callable<Integer> {

    @Option(
        names = "--nets",
        defaultValue = "300",
        description = "train nets to generate (default ${DEFAULT-VALUE})")
    int nets;

    @Option(
        names = "--forward-runs",
        defaultValue = "5",
        description =
            "timed ResNet-18 forward passes, batch 64 (default ${DEFAULT-VALUE}; 0 skips)")
    int forwardRuns;

    @Override
    public Integer call() {
      GeneratorBench.run(nets, Split.TRAIN);
      ZooBench.run(200, forwardRuns);
      return 0;
    }
  }

  /** {@code ghn4j bench onnx [--file F] [--runs N] [--warmup N]}: {@link OnnxImportBench}. */
  @Command(
      name = "onnx",
      mixinStandardHelpOptions = true,
      description =
          "ONNX import time (read + graph) of ResNet-50 written from the zoo (94 MB), or of --file.")
  static final class OnnxBench implements Callable<Integer> {

    @Option(
        names = "--file",
        description = "an .onnx file to import instead of the generated ResNet-50")
    Path file;

    @Option(
        names = "--runs",
        defaultValue = "10",
        description = "timed runs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(
        names = "--warmup",
        defaultValue = "3",
        description = "untimed runs first (default ${DEFAULT-VALUE})")
    int warmup;

    @Override
    public Integer call() throws IOException {
      if (runs < 1 || warmup < 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--runs must be ≥ 1, --warmup ≥ 0");
      }
      System.out.print(OnnxImportBench.runOnFileOrResNet50(file, runs, warmup));
      return 0;
    }
  }
}
