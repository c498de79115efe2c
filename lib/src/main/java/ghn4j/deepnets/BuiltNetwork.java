package ghn4j.deepnets;

import ghn4j.graph.Graph;
import ghn4j.graph.ParamSpec;
import java.util.List;

/**
 * A DeepNets-1M network as {@link NetworkBuilder} builds it.
 *
 * @param graph the executable graph: only the live nodes (those whose output reaches the
 *     classifier), so its parameters are exactly the ones ppuda's GHN predicts
 * @param stateDict every trainable parameter of the module as ppuda builds it, dead modules
 *     included, in {@code state_dict} order
 * @param liveStateDict the parameters of the live nodes, in {@code state_dict} order (the graph
 *     lists the same parameters in node order, which differs inside a transformer block: ppuda
 *     registers {@code to_qkv} and {@code to_out} before {@code ln1}, but runs {@code ln1} first)
 */
public record BuiltNetwork(Graph graph, List<ParamSpec> stateDict, List<ParamSpec> liveStateDict) {

  public BuiltNetwork {
    stateDict = List.copyOf(stateDict);
    liveStateDict = List.copyOf(liveStateDict);
  }

  /**
   * Trainable parameters of the module as built (ppuda's {@code capacity}), dead modules included.
   */
  public long numParams() {
    return sum(stateDict);
  }

  /** Parameters of the live nodes; equals {@code graph().numParams()}. */
  public long liveParams() {
    return sum(liveStateDict);
  }

  private static long sum(List<ParamSpec> params) {
    long n = 0;
    for (ParamSpec p : params) {
      n += p.numel();
    }
    return n;
  }
}
