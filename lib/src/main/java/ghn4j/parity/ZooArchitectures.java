package ghn4j.parity;

import ghn4j.graph.Graph;
import ghn4j.zoo.MobileNetV2;
import ghn4j.zoo.ResNet;
import ghn4j.zoo.Vgg;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * torchvision architecture names ({@code arch} of a {@code kind: torchvision} fixture) → our zoo builders, as ppuda's
 * {@code adjust_net} adapts them to 32×32 inputs.
 */
public final class ZooArchitectures {

  private static final Map<String, IntFunction<Graph>> BUILDERS = Map.of(
      "resnet18", ResNet::resnet18,
      "resnet34", ResNet::resnet34,
      "resnet50", ResNet::resnet50,
      "resnet101", ResNet::resnet101,
      "resnet152", ResNet::resnet152,
      "wide_resnet50_2", ResNet::wideResnet50_2,
      "wide_resnet101_2", ResNet::wideResnet101_2,
      "vgg11_bn", Vgg::vgg11Bn,
      "vgg16_bn", Vgg::vgg16Bn,
      "mobilenet_v2", MobileNetV2::mobilenetV2);

  private ZooArchitectures() {}

  /** The adjusted graph of {@code arch}, or empty for an architecture the zoo does not have. */
  public static Optional<Graph> build(String arch, int numClasses) {
    IntFunction<Graph> b = arch == null ? null : BUILDERS.get(arch.toLowerCase(Locale.ROOT));
    return b == null ? Optional.empty() : Optional.of(b.apply(numClasses));
  }

  /** The names {@link #build} knows, for error messages. */
  public static String known() {
    return String.join(", ", new java.util.TreeSet<>(BUILDERS.keySet()));
  }
}
