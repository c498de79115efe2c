package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The message-passing part of a graph hypernetwork: the one extension point for trying another GNN
 * (as PyTorch Geometric's {@code MessagePassing} is for layers). A GHN computes initial node
 * features (op + shape embeddings), hands them to its {@code Hypernet} with the graph structure,
 * and decodes parameters from the node states it gets back; everything before and after is shared.
 *
 * <p><b>Receives</b> a {@link GnnInput}: {@code features} {@code [n, hid]} float32, the rows of all
 * graphs of a meta-batch stacked (graph {@code g} owns rows {@code offsets[g] .. offsets[g+1]-1},
 * node order = the graph's primitive view, topological); {@code edges} in those global row indices,
 * each {@code src → dst} with its distance: 1 for a real edge of the forward pass, {@code > 1} for
 * a virtual edge whose value is the shortest-path length (only when the GHN uses virtual edges);
 * edges never cross graphs. Attention-style GNNs build their per-graph mask from {@code offsets}
 * ({@link GnnInput#distances(int)} gives one graph's dense distance matrix).
 *
 * <p><b>Returns</b> the new node states {@code [n, hid]} (same rows, same order), in {@code
 * manager} or attached to autograd when called inside a {@code GradientCollector}. Must not modify
 * {@code features}. Weights are the implementation's business (ours read {@link GhnWeights} by
 * ppuda/ghn3 {@code state_dict} name; a GNN of one's own returns its trainable weights from {@link
 * #parameters()}).
 *
 * <p>Implementations here: {@link GatedGnn} (GHN-1/GHN-2), {@link NodeMlp} (the paper's MLP
 * baseline, no message passing) and {@link Graphormer} (GHN-3).
 */
public interface Hypernet {

  /** Node states after message passing, {@code [n, hid]}. */
  NDArray propagate(GnnInput input, NDManager manager);

  /**
   * Trainable weights of the hypernet's own, by name (arrays that require gradients), for a GNN
   * that does not read a GHN's {@link GhnWeights}: a GHN using it ({@link Ghn#withHypernet}) lists
   * them in {@link Ghn#parameters()} as {@code hypernet.<name>}, so meta-training ({@code
   * ghn4j.train.MetaStep}) updates them with the GHN's. Ours read {@link GhnWeights} and have none.
   */
  default java.util.Map<String, NDArray> parameters() {
    return java.util.Map.of();
  }
}
