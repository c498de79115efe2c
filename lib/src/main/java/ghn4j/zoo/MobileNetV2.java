package ghn4j.zoo;

import ghn4j.graph.Graph;

/**
 * torchvision's MobileNetV2 (width 1.0) as an executable graph with torchvision's {@code
 * state_dict} names. The {@code (numClasses)} builder applies ppuda's {@code adjust_net} for 32×32
 * inputs: every conv in {@code features[:5]} gets stride 1 (blocks 0, 2 and 4 lose their stride 2;
 * residual connections are decided when torchvision builds the block, before the change, so they
 * are unaffected), leaving an 8×8 final feature map.
 */
public final class MobileNetV2 {

  private MobileNetV2() {}

  /**
   * torchvision's inverted residual settings: expansion t, channels c, repeats n, first stride s.
   */
  private static final int[][] SETTINGS = {
    {1, 16, 1, 1},
    {6, 24, 2, 2},
    {6, 32, 3, 2},
    {6, 64, 4, 2},
    {6, 96, 3, 1},
    {6, 160, 3, 2},
    {6, 320, 1, 1}
  };

  public static Graph mobilenetV2(int numClasses) {
    return build(numClasses, false);
  }

  /** MobileNetV2 with or without adjust_net. */
  public static Graph build(int numClasses, boolean largeInput) {
    GraphBuilder b = new GraphBuilder();
    int feature = 0;
    int x = convBnRelu6(b, "features.0", 3, 32, 3, stride(2, feature, largeInput), 1, b.input());
    int in = 32;
    feature++;
    for (int[] s : SETTINGS) {
      int t = s[0];
      int c = s[1];
      for (int i = 0; i < s[2]; i++) {
        int declared = i == 0 ? s[3] : 1;
        boolean residual = declared == 1 && in == c;
        int stride = stride(declared, feature, largeInput);
        String p = "features." + feature + ".conv";
        int hidden = in * t;
        int y = x;
        int k = 0;
        if (t != 1) {
          y = convBnRelu6(b, p + "." + k++, in, hidden, 1, 1, 1, y);
        }
        y = convBnRelu6(b, p + "." + k++, hidden, hidden, 3, stride, hidden, y);
        y = b.conv(p + "." + k++, hidden, c, 1, 1, 0, 1, y);
        y = b.batchNorm(p + "." + k, c, y);
        x = residual ? b.sum("features." + feature + ".add", x, y) : y;
        in = c;
        feature++;
      }
    }
    x = convBnRelu6(b, "features." + feature, in, 1280, 1, 1, 1, x);
    // F.adaptive_avg_pool2d(x, (1, 1)) runs as a mean over H, W in PyTorch (ppuda sees
    // MeanBackward: glob_avg)
    x = b.globalAvgPool("avgpool", x);
    x = b.flatten(x);
    x = b.dropout(0.2, x);
    b.linear("classifier.1", 1280, numClasses, x);
    return b.build();
  }

  /** adjust_net: convs in features[:5] get stride 1. */
  private static int stride(int declared, int feature, boolean largeInput) {
    return !largeInput && feature < 5 ? 1 : declared;
  }

  /** torchvision's Conv2dNormActivation: conv (no bias) {@code p.0}, BN {@code p.1}, ReLU6. */
  private static int convBnRelu6(
      GraphBuilder b, String p, int in, int out, int k, int stride, int groups, int x) {
    int y = b.conv(p + ".0", in, out, k, stride, (k - 1) / 2, groups, x);
    y = b.batchNorm(p + ".1", out, y);
    return b.activation("relu6", y);
  }
}
