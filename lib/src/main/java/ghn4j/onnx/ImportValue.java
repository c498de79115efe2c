package ghn4j.onnx;

import ghn4j.onnx.ShapeArithmetic.Constant;

/** What an ONNX value name stands for during the import ({@link OnnxImporter}). */
sealed interface ImportValue
    permits ImportValue.NodeValue,
        ImportValue.ConstValue,
        ImportValue.InitValue,
        ImportValue.ShuffleValue {

  /**
   * The output of graph node {@code node} with static {@code shape} (batch 1); {@code pad} is a
   * pending zero padding {@code [ph, pw]} from a {@code Pad} that the next convolution or pool
   * absorbs, else null.
   */
  record NodeValue(int node, long[] shape, int[] pad) implements ImportValue {}

  record ConstValue(Constant constant) implements ImportValue {}

  /**
   * An initializer, possibly seen through a {@code Transpose} (2-D) or under another name:
   * PyTorch's exporter writes equal tensors once ({@code source}) and the others as {@code
   * Identity} nodes of it named by their own {@code state_dict} name ({@code name}) — all BatchNorm
   * weights of an untrained net, for instance.
   */
  record InitValue(String name, String source, long[] dims, boolean transposed)
      implements ImportValue {}

  /**
   * A channel shuffle in progress: the 5-D view of {@code node} ({@code [N, g, C/g, H, W]}),
   * transposed or not.
   */
  record ShuffleValue(int node, long[] inShape, int groups, boolean transposed)
      implements ImportValue {
    /** The 5-D shape after the transpose: {@code [N, C/g, g, H, W]}. */
    long[] fiveD() {
      return new long[] {inShape[0], inShape[1] / groups, groups, inShape[2], inShape[3]};
    }
  }
}
