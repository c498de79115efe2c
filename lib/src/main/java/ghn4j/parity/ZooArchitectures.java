package ghn4j.parity;

import ghn4j.graph.Graph;
import ghn4j.zoo.MobileNetV2;
import ghn4j.zoo.ResNet;
import ghn4j.zoo.Vgg;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * torchvision architecture names ({@code arch} of a {@code kind: torchvision} fixture) → our zoo
 * builders, as ppuda's {@code adjust_net} adapts them to 32×32 inputs.
 */
public final class ZooArchitectures {

  /** A zoo builder: (classes, ImageNet stem?) → graph. */
  private interface Builder {
    Graph build(int numClasses, boolean largeInput);
  }

  private static final Map<String, Builder> BUILDERS =
      Map.of(
          "resnet18", (n, l) -> ResNet.build(ResNet.RESNET18, n, l),
          "resnet34", (n, l) -> ResNet.build(ResNet.RESNET34, n, l),
          "resnet50", (n, l) -> ResNet.build(ResNet.RESNET50, n, l),
          "resnet101", (n, l) -> ResNet.build(ResNet.RESNET101, n, l),
          "resnet152", (n, l) -> ResNet.build(ResNet.RESNET152, n, l),
          "wide_resnet50_2", (n, l) -> ResNet.build(ResNet.WIDE_RESNET50_2, n, l),
          "wide_resnet101_2", (n, l) -> ResNet.build(ResNet.WIDE_RESNET101_2, n, l),
          "vgg11_bn", Vgg::vgg11Bn,
          "vgg16_bn", Vgg::vgg16Bn,
          "mobilenet_v2", MobileNetV2::build);

  private ZooArchitectures() {}

  /**
   * The adjusted (32×32) graph of {@code arch}, or empty for an architecture the zoo does not have.
   */
  public static Optional<Graph> build(String arch, int numClasses) {
    return build(arch, numClasses, false);
  }

  /**
   * The graph of {@code arch} with torchvision's ImageNet stem when {@code largeInput}, else as
   * ppuda's {@code adjust_net} adapts it to 32×32 inputs; empty for an architecture the zoo does
   * not have.
   */
  public static Optional<Graph> build(String arch, int numClasses, boolean largeInput) {
    Builder b = arch == null ? null : BUILDERS.get(arch.toLowerCase(Locale.ROOT));
    return b == null ? Optional.empty() : Optional.of(b.build(numClasses, largeInput));
  }

  /** The names {@link #build} knows, for error messages. */
  public static String known() {
    return String.join(", ", new java.util.TreeSet<>(BUILDERS.keySet()));
  }
}
