package ghn4j.zoo;

import ghn4j.graph.Graph;

/**
 * torchvision's ResNets and Wide ResNets as executable graphs with torchvision's {@code state_dict}
 * names.
 *
 * <p>The {@code (numClasses)} builders are the 32×32 variants as ppuda's {@code adjust_net} makes
 * them: {@code conv1} becomes 3×3, stride 1, padding 1 and the max-pool is removed. {@link #build}
 * with {@code largeInput = true} gives the ImageNet stem (7×7 stride-2 conv, 3×3 stride-2
 * max-pool).
 */
public final class ResNet {

  private ResNet() {}

  /** The block type and depth of one family member. */
  public record Spec(boolean bottleneck, int[] layers, int widthPerGroup) {
    public Spec {
      layers = layers.clone();
    }

    @Override
    public int[] layers() {
      return layers.clone();
    }
  }

  public static final Spec RESNET18 = new Spec(false, new int[] {2, 2, 2, 2}, 64);
  public static final Spec RESNET34 = new Spec(false, new int[] {3, 4, 6, 3}, 64);
  public static final Spec RESNET50 = new Spec(true, new int[] {3, 4, 6, 3}, 64);
  public static final Spec RESNET101 = new Spec(true, new int[] {3, 4, 23, 3}, 64);
  public static final Spec RESNET152 = new Spec(true, new int[] {3, 8, 36, 3}, 64);
  public static final Spec WIDE_RESNET50_2 = new Spec(true, new int[] {3, 4, 6, 3}, 128);
  public static final Spec WIDE_RESNET101_2 = new Spec(true, new int[] {3, 4, 23, 3}, 128);

  public static Graph resnet18(int numClasses) {
    return build(RESNET18, numClasses, false);
  }

  public static Graph resnet34(int numClasses) {
    return build(RESNET34, numClasses, false);
  }

  public static Graph resnet50(int numClasses) {
    return build(RESNET50, numClasses, false);
  }

  public static Graph resnet101(int numClasses) {
    return build(RESNET101, numClasses, false);
  }

  public static Graph resnet152(int numClasses) {
    return build(RESNET152, numClasses, false);
  }

  public static Graph wideResnet50_2(int numClasses) {
    return build(WIDE_RESNET50_2, numClasses, false);
  }

  public static Graph wideResnet101_2(int numClasses) {
    return build(WIDE_RESNET101_2, numClasses, false);
  }

  /**
   * A ResNet of the given spec; {@code largeInput} keeps torchvision's ImageNet stem instead of
   * adjust_net's.
   */
  public static Graph build(Spec spec, int numClasses, boolean largeInput) {
    GraphBuilder b = new GraphBuilder();
    int x =
        largeInput
            ? b.conv("conv1", 3, 64, 7, 2, 3, 1, b.input())
            : b.conv("conv1", 3, 64, 3, 1, 1, 1, b.input());
    x = b.batchNorm("bn1", 64, x);
    x = b.activation("relu", x);
    if (largeInput) {
      x = b.maxPool("maxpool", 3, 2, 1, x);
    }
    int expansion = spec.bottleneck() ? 4 : 1;
    int inplanes = 64;
    int[] layers = spec.layers();
    for (int l = 0; l < 4; l++) {
      int planes = 64 << l;
      int stride = l == 0 ? 1 : 2;
      for (int k = 0; k < layers[l]; k++) {
        String prefix = "layer" + (l + 1) + "." + k;
        int s = k == 0 ? stride : 1;
        x =
            spec.bottleneck()
                ? bottleneck(b, prefix, inplanes, planes, s, spec.widthPerGroup(), x)
                : basicBlock(b, prefix, inplanes, planes, s, x);
        inplanes = planes * expansion;
      }
    }
    x = b.globalAvgPool("avgpool", x);
    x = b.flatten(x);
    b.linear("fc", inplanes, numClasses, x);
    return b.build();
  }

  private static int basicBlock(
      GraphBuilder b, String p, int inplanes, int planes, int stride, int x) {
    int y = b.conv(p + ".conv1", inplanes, planes, 3, stride, 1, 1, x);
    y = b.batchNorm(p + ".bn1", planes, y);
    y = b.activation("relu", y);
    y = b.conv(p + ".conv2", planes, planes, 3, 1, 1, 1, y);
    y = b.batchNorm(p + ".bn2", planes, y);
    int identity = downsample(b, p, inplanes, planes, stride, x);
    return b.activation("relu", b.sum(p + ".add", y, identity));
  }

  private static int bottleneck(
      GraphBuilder b, String p, int inplanes, int planes, int stride, int widthPerGroup, int x) {
    int width = planes * widthPerGroup / 64;
    int out = planes * 4;
    int y = b.conv(p + ".conv1", inplanes, width, 1, 1, 0, 1, x);
    y = b.batchNorm(p + ".bn1", width, y);
    y = b.activation("relu", y);
    y = b.conv(p + ".conv2", width, width, 3, stride, 1, 1, y);
    y = b.batchNorm(p + ".bn2", width, y);
    y = b.activation("relu", y);
    y = b.conv(p + ".conv3", width, out, 1, 1, 0, 1, y);
    y = b.batchNorm(p + ".bn3", out, y);
    int identity = downsample(b, p, inplanes, out, stride, x);
    return b.activation("relu", b.sum(p + ".add", y, identity));
  }

  /** torchvision adds a 1×1 conv + BN shortcut when the shape changes. */
  private static int downsample(
      GraphBuilder b, String p, int inplanes, int out, int stride, int x) {
    if (stride == 1 && inplanes == out) {
      return x;
    }
    int d = b.conv(p + ".downsample.0", inplanes, out, 1, stride, 0, 1, x);
    return b.batchNorm(p + ".downsample.1", out, d);
  }
}
