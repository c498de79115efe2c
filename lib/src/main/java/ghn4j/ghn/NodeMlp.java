package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The paper's MLP baseline as a {@link Hypernet}: no message passing, each node's features go
 * through ppuda's two-layer {@code gnn} MLP ({@code relu(fc2(relu(fc0(x))))}); edges are ignored.
 */
public final class NodeMlp implements Hypernet {

  private final GhnWeights weights;

  /** Reads {@code gnn.fc.0.*} and {@code gnn.fc.2.*} from {@code weights}. */
  public NodeMlp(GhnWeights weights) {
    this.weights = weights;
  }

  @Override
  public NDArray propagate(GnnInput input, NDManager manager) {
    return Mlps.reluBoth(weights, "gnn", input.features());
  }
}
