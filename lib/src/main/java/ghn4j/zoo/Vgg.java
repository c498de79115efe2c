package ghn4j.zoo;

import ghn4j.graph.Graph;

/**
 * torchvision's VGG with BatchNorm ({@code vgg11_bn}, {@code vgg16_bn}) as executable graphs with
 * torchvision's {@code state_dict} names ({@code features.<i>}, {@code classifier.<i>}).
 *
 * <p>The {@code (numClasses)} builders apply ppuda's {@code adjust_net} for 32×32 inputs: the
 * max-pools among {@code features[:10]} are replaced by identities (module indices are unchanged),
 * leaving three pools, so the features are 4×4; torchvision's {@code AdaptiveAvgPool2d((7, 7))}
 * still pools them to 7×7 (repeating values) and the classifier keeps its 512·7·7 = 25088 inputs.
 * Conv layers have biases (torchvision's VGG keeps them with BN).
 */
public final class Vgg {

  private Vgg() {}

  /** Max-pool marker in a configuration. */
  private static final int M = -1;

  /** torchvision's configuration "A". */
  private static final int[] VGG11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};

  /** torchvision's configuration "D". */
  private static final int[] VGG16 = {
    64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M
  };

  public static Graph vgg11Bn(int numClasses) {
    return build(VGG11, numClasses, false);
  }

  public static Graph vgg16Bn(int numClasses) {
    return build(VGG16, numClasses, false);
  }

  /** VGG-11-BN with or without adjust_net. */
  public static Graph vgg11Bn(int numClasses, boolean largeInput) {
    return build(VGG11, numClasses, largeInput);
  }

  /** VGG-16-BN with or without adjust_net. */
  public static Graph vgg16Bn(int numClasses, boolean largeInput) {
    return build(VGG16, numClasses, largeInput);
  }

  private static Graph build(int[] cfg, int numClasses, boolean largeInput) {
    GraphBuilder b = new GraphBuilder();
    int x = b.input();
    int in = 3;
    int index = 0; // torchvision's module index in `features`
    for (int v : cfg) {
      if (v == M) {
        if (largeInput || index >= 10) {
          x = b.maxPool("features." + index, 2, 2, 0, x);
        }
        index += 1;
      } else {
        String conv = "features." + index;
        x = b.conv(conv, in, v, 3, 1, 1, 1, x);
        x = b.bias(conv, v, x);
        x = b.batchNorm("features." + (index + 1), v, x);
        x = b.activation("relu", x);
        in = v;
        index += 3;
      }
    }
    x = b.adaptiveAvgPool("avgpool", 7, x);
    x = b.flatten(x);
    x = b.linear("classifier.0", 512 * 7 * 7, 4096, x);
    x = b.activation("relu", x);
    x = b.dropout(0.5, x);
    x = b.linear("classifier.3", 4096, 4096, x);
    x = b.activation("relu", x);
    x = b.dropout(0.5, x);
    b.linear("classifier.6", 4096, numClasses, x);
    return b.build();
  }
}
