package ghn4j.graph;

import java.util.Arrays;

/**
 * The op vocabulary of executable graphs: small value records, one per kind of computation. The
 * executor ({@code ghn4j.nn}) gives each its meaning; builders ({@code ghn4j.zoo}, {@code
 * ghn4j.deepnets}) compose them. Ops with parameters read them from their node's {@link
 * Node#params()} (weight first, then bias).
 *
 * <p>Layouts: images are {@code [N, C, H, W]}, token sequences {@code [N, L, C]}, vectors {@code
 * [N, C]}.
 *
 * <p>One unit (~370 lines): the closed catalogue of ops, one small record per op whose {@code
 * kind()} is its JSON name.
 */
public final class Ops {

  private Ops() {}

  /** The network input. */
  public record Input() implements Op {
    public String kind() {
      return "input";
    }
  }

  /**
   * 2-D convolution without bias (a bias is its own {@link Bias} node, as in ppuda's graphs).
   * Weight {@code [out, in/groups, kh, kw]}.
   */
  public record Conv(int[] stride, int[] padding, int[] dilation, int groups) implements Op {
    public Conv {
      stride = stride.clone();
      padding = padding.clone();
      dilation = dilation.clone();
    }

    /** A square convolution. */
    public static Conv of(int stride, int padding, int dilation, int groups) {
      return new Conv(
          new int[] {stride, stride},
          new int[] {padding, padding},
          new int[] {dilation, dilation},
          groups);
    }

    public String kind() {
      return "conv";
    }

    @Override
    public int[] stride() {
      return stride.clone();
    }

    @Override
    public int[] padding() {
      return padding.clone();
    }

    @Override
    public int[] dilation() {
      return dilation.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Conv c
          && Arrays.equals(c.stride, stride)
          && Arrays.equals(c.padding, padding)
          && Arrays.equals(c.dilation, dilation)
          && c.groups == groups;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(stride) * 31 + groups;
    }

    @Override
    public String toString() {
      return "Conv[stride="
          + Arrays.toString(stride)
          + ", padding="
          + Arrays.toString(padding)
          + ", dilation="
          + Arrays.toString(dilation)
          + ", groups="
          + groups
          + "]";
    }
  }

  /** {@code x · Wᵀ} over the last axis, without bias. Weight {@code [out, in]}. */
  public record Linear() implements Op {
    public String kind() {
      return "linear";
    }
  }

  /**
   * Adds the node's bias {@code [C]} along the channel axis: axis 1 of an image, the last axis
   * otherwise.
   */
  public record Bias() implements Op {
    public String kind() {
      return "bias";
    }
  }

  /**
   * Batch normalisation over {@code [N, C, H, W]} with weight and bias {@code [C]}. Without {@code
   * trackRunningStats} (ppuda's {@code norm='bn'} or {@code 'bnorm'}) the layer keeps no running
   * statistics and normalises with the batch statistics in evaluation too, as PyTorch does.
   */
  public record BatchNorm(double eps, double momentum, boolean trackRunningStats) implements Op {
    /** A layer with running statistics (PyTorch's default). */
    public BatchNorm(double eps, double momentum) {
      this(eps, momentum, true);
    }

    public String kind() {
      return "bn";
    }
  }

  /** Layer normalisation over the last axis with weight and bias. */
  public record LayerNorm(double eps) implements Op {
    public String kind() {
      return "ln";
    }
  }

  /**
   * Max pooling with a square window; padding with -inf. {@code ceilMode} rounds the output size
   * up, as PyTorch's {@code ceil_mode=True} (SqueezeNet, GoogLeNet) does.
   */
  public record MaxPool(int kernel, int stride, int padding, boolean ceilMode) implements Op {
    /** Output size rounded down (PyTorch's default). */
    public MaxPool(int kernel, int stride, int padding) {
      this(kernel, stride, padding, false);
    }

    public String kind() {
      return "max_pool";
    }
  }

  /** Average pooling with a square window. */
  public record AvgPool(int kernel, int stride, int padding, boolean countIncludePad)
      implements Op {
    public String kind() {
      return "avg_pool";
    }
  }

  /** Mean over the spatial axes: {@code [N, C, H, W] → [N, C]}. */
  public record GlobalAvgPool() implements Op {
    public String kind() {
      return "glob_avg";
    }
  }

  /**
   * Element-wise activation: {@code relu, relu6, gelu, hardswish, hardsigmoid, sigmoid, silu, tanh,
   * identity} ({@code silu} is {@code x · sigmoid(x)}, also called Swish).
   */
  public record Activation(Fn function) implements Op {

    /**
     * The element-wise functions, by the names the JSON, the ONNX import and ppuda's modules use.
     */
    public enum Fn {
      RELU("relu"),
      RELU6("relu6"),
      GELU("gelu"),
      HARDSWISH("hardswish"),
      HARDSIGMOID("hardsigmoid"),
      SIGMOID("sigmoid"),
      SILU("silu"),
      TANH("tanh"),
      IDENTITY("identity");

      private final String jsonName;

      Fn(String jsonName) {
        this.jsonName = jsonName;
      }

      /** The name in graph JSON and error messages, e.g. {@code "relu"}. */
      public String jsonName() {
        return jsonName;
      }

      /** The function called {@code name}, or empty. */
      public static java.util.Optional<Fn> byName(String name) {
        for (Fn f : values()) {
          if (f.jsonName.equals(name)) {
            return java.util.Optional.of(f);
          }
        }
        return java.util.Optional.empty();
      }
    }

    public Activation {
      java.util.Objects.requireNonNull(function, "activation function");
    }

    /**
     * The activation called {@code name} ({@code relu}, {@code gelu}, ...).
     *
     * @throws IllegalArgumentException for a name that is not one of {@link Fn}'s
     */
    public Activation(String name) {
      this(
          Fn.byName(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown activation '"
                              + name
                              + "' (known: "
                              + java.util.Arrays.stream(Fn.values()).map(Fn::jsonName).toList()
                              + ")")));
    }

    /** The function's name, e.g. {@code "relu"}. */
    public String fn() {
      return function.jsonName();
    }

    public String kind() {
      return fn();
    }
  }

  /**
   * Element-wise sum of all inputs (with broadcasting, e.g. a {@code [1, C, H, W]} tensor over the
   * batch).
   */
  public record Sum() implements Op {
    public String kind() {
      return "sum";
    }
  }

  /** Concatenation of all inputs along {@code axis}. */
  public record Concat(int axis) implements Op {
    public String kind() {
      return "concat";
    }
  }

  /**
   * Channel gating: input 0 {@code [N, C, H, W]} times input 1 {@code [N, C]} broadcast over H and
   * W.
   */
  public record ChannelScale() implements Op {
    public String kind() {
      return "channel_scale";
    }
  }

  /** Multiplies by a constant (0 makes DARTS' {@code none} op). */
  public record Scale(double factor) implements Op {
    public String kind() {
      return "scale";
    }
  }

  /** Flattens all axes after the first. */
  public record Flatten() implements Op {
    public String kind() {
      return "flatten";
    }
  }

  /** Spatial subsampling {@code x[:, :, offset::stride, offset::stride]}. */
  public record Subsample(int stride, int offset) implements Op {
    public String kind() {
      return "subsample";
    }
  }

  /** Adds the node's learned positional encoding {@code [1, C, H, W]}. */
  public record PosEnc() implements Op {
    public String kind() {
      return "pos_enc";
    }
  }

  /**
   * Outputs the node's only parameter as it is (no input): a learned tensor that other nodes
   * consume, e.g. ppuda's positional encoding, which its graphs show as a source node feeding a
   * {@link Sum} (the sum broadcasts the {@code [1, C, H, W]} tensor over the batch).
   */
  public record LearnedTensor() implements Op {
    public String kind() {
      return "learned_tensor";
    }
  }

  /** Image to tokens: {@code [N, C, H, W] → [N, H·W, C]}. */
  public record ToTokens() implements Op {
    public String kind() {
      return "to_tokens";
    }
  }

  /** Tokens back to a square image: {@code [N, L, C] → [N, C, √L, √L]}. */
  public record ToImage() implements Op {
    public String kind() {
      return "to_image";
    }
  }

  /**
   * The parameter-free core of multi-head self-attention: input {@code [N, L, 3·inner]} (q, k, v
   * concatenated), output {@code softmax(q kᵀ · d^-½) v} of shape {@code [N, L, inner]}, with
   * {@code heads} heads of size {@code d = inner / heads}.
   */
  public record Attention(int heads) implements Op {
    public String kind() {
      return "attention";
    }
  }

  /**
   * Adaptive average pooling to a fixed {@code [outH, outW]} (PyTorch's {@code
   * adaptive_avg_pool2d}): output cell {@code i} averages input rows {@code floor(i·H/outH) ..
   * ceil((i+1)·H/outH) - 1}, likewise for columns. torchvision's VGG pools to 7×7 even when the
   * feature map is smaller (4×4 for 32×32 inputs), which repeats values.
   */
  public record AdaptiveAvgPool(int outH, int outW) implements Op {
    public String kind() {
      return "adaptive_avg_pool";
    }
  }

  /**
   * Dropout with drop probability {@code p}: identity when evaluating; in training mode it zeroes
   * elements with probability {@code p} and scales the rest by {@code 1/(1-p)}, as PyTorch does.
   */
  public record Dropout(double p) implements Op {
    public String kind() {
      return "dropout";
    }
  }

  /**
   * torchvision's channel shuffle ({@code [N, g·c, H, W] → view [N, g, c, H, W] → transpose(1, 2) →
   * [N, c·g, H, W]}), as ShuffleNetV2 mixes its two branches.
   */
  public record ChannelShuffle(int groups) implements Op {
    public String kind() {
      return "channel_shuffle";
    }
  }

  /**
   * {@code x.narrow(axis, start, length)}: one chunk of a split, e.g. ShuffleNetV2's {@code
   * x.chunk(2, dim=1)}.
   */
  public record Narrow(int axis, int start, int length) implements Op {
    public String kind() {
      return "narrow";
    }
  }
}
