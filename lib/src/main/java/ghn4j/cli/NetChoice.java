package ghn4j.cli;

import ghn4j.deepnets.Presets;
import ghn4j.eval.EvalNets;
import ghn4j.eval.NamedGraph;
import ghn4j.io.Layout;
import ghn4j.parity.ZooArchitectures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options that name a network by {@code --arch} or {@code --split}/{@code --index} (a picocli
 * mixin of sgd, finetune and predict), and the network they name.
 */
final class NetChoice {

  @Option(
      names = "--arch",
      description =
          "resnet18|resnet34|resnet50|...|vgg11_bn|mobilenet_v2|vit|darts|pdarts "
              + "(or use --split/--index)")
  String arch;

  @Option(
      names = "--split",
      description = "DeepNets-1M split of the net (train, val, test, wide, deep, dense, bnfree)")
  String split;

  @Option(names = "--index", description = "index of the net in --split")
  int index;

  @Option(names = "--nets-root", description = "split directories (default <repo>/data/deepnets1m)")
  Path netsRoot;

  /** True when --arch or --split was given. */
  boolean given() {
    return arch != null || split != null;
  }

  /**
   * The network chosen by {@code --arch} or {@code --split}/{@code --index}, with a classifier for
   * {@code numClasses} classes and, when {@code largeInput}, its ImageNet stem; {@code
   * alternatives} names the options for the error when neither or both are given.
   */
  NamedGraph choose(int numClasses, boolean largeInput, String alternatives) throws IOException {
    if ((arch == null) == (split == null)) {
      throw new IllegalArgumentException("give exactly one of " + alternatives);
    }
    if (arch != null) {
      String a = arch.toLowerCase(Locale.ROOT);
      return switch (a) {
        case "vit" ->
            new NamedGraph(
                "vit", ghn4j.deepnets.NetworkBuilder.graph(Presets.vit(numClasses, largeInput)));
        case "darts" ->
            new NamedGraph(
                "darts",
                ghn4j.deepnets.NetworkBuilder.graph(Presets.darts(numClasses, largeInput)));
        case "pdarts" ->
            new NamedGraph(
                "pdarts",
                ghn4j.deepnets.NetworkBuilder.graph(Presets.pdarts(numClasses, largeInput)));
        default ->
            new NamedGraph(
                a,
                ZooArchitectures.build(a, numClasses, largeInput)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "--arch "
                                    + arch
                                    + ": unknown; known: vit, darts, pdarts, "
                                    + ZooArchitectures.known())));
      };
    }
    if (index < 0) {
      throw new IllegalArgumentException("--index must be >= 0, got " + index);
    }
    Path root = netsRoot != null ? netsRoot : Layout.detect().splits();
    List<NamedGraph> nets = EvalNets.load(split, root, null, index + 1, numClasses, largeInput);
    if (index >= nets.size()) {
      throw new IllegalArgumentException(
          "--split "
              + split
              + " has "
              + nets.size()
              + " nets; --index "
              + index
              + " is out of range");
    }
    return nets.get(index);
  }
}
