package ghn4j.onnx;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Detects the likely case of a CNN exported with BatchNorm folded into its convolutions (PyTorch's
 * default eval-mode export with constant folding): a different network for a GHN, which predicts
 * BatchNorm weights as nodes of their own. The signature: no {@code BatchNormalization} node at
 * all, and a convolution with a bias whose weight is named {@code onnx::Conv_<k>} (constant folding
 * names the merged tensors so, where unmerged ones keep their {@code state_dict} names), or whose
 * output feeds a residual {@code Add}, another convolution or a linear layer directly — without an
 * activation in between, which a conv–BN–ReLU net only shows when the BN was merged into the conv.
 * Genuinely BN-free nets such as SqueezeNet, VGG and AlexNet keep their names and put a ReLU after
 * every biased convolution, and pass.
 */
final class FoldedBatchNorm {

  /** How to export with BatchNorm kept, quoted in the error. */
  static final String EXPORT_ADVICE =
      "model.eval(); torch.onnx.export(model, x, f, "
          + "training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)";

  private static final Set<String> LINEAR_CONSUMERS = Set.of("Add", "Conv", "Gemm", "MatMul");

  private FoldedBatchNorm() {}

  /**
   * Throws IllegalArgumentException naming the file, the convolution and the export advice if BN
   * looks folded.
   */
  static void check(Path file, OnnxMl.GraphProto g) {
    Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("BatchNormalization")) {
        return;
      }
      for (String in : n.getInputList()) {
        consumers.computeIfAbsent(in, k -> new java.util.ArrayList<>()).add(n);
      }
    }
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (!n.getOpType().equals("Conv") || n.getInputCount() < 3 || n.getInput(2).isEmpty()) {
        continue;
      }
      if (n.getInput(1).startsWith("onnx::")) {
        // constant folding names the tensors it computes "onnx::Conv_<k>": a conv+BN merged into
        // new weights
        throw folded(
            file,
            "convolution '"
                + name(n)
                + "' has a bias and a weight named '"
                + n.getInput(1)
                + "' by constant folding, not a state_dict name");
      }
      for (OnnxMl.NodeProto c : consumers.getOrDefault(n.getOutput(0), List.of())) {
        if (LINEAR_CONSUMERS.contains(c.getOpType())) {
          throw folded(
              file,
              "convolution '"
                  + name(n)
                  + "' has a bias and feeds "
                  + c.getOpType()
                  + " '"
                  + name(c)
                  + "' without an activation in between");
        }
      }
    }
  }

  private static IllegalArgumentException folded(Path file, String evidence) {
    return new IllegalArgumentException(
        file
            + ": likely exported with BatchNorm folded into the convolutions (the "
            + "graph has no BatchNormalization node, and "
            + evidence
            + "). A GHN predicts BatchNorm layers as nodes of "
            + "their own, so the folded network is a different one. Export with BatchNorm kept: "
            + EXPORT_ADVICE
            + " (or import anyway with acceptFoldedBatchNorm)");
  }

  private static String name(OnnxMl.NodeProto n) {
    return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
  }
}
