package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.nn.Reinit;
import ghn4j.optim.ParamArrays;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The parameters SGD starts from: the initialised ones, overwritten where a GHN predicts (GHN-2 or
 * GHN-3; the paper's fine-tuning), then post-processed by {@link Reinit} (Knyazev 2022: noise
 * and/or orthogonalisation; ppuda applies it to any init).
 */
final class StartingParams {

  private StartingParams() {}

  /**
   * Overwrites {@code params} (initialised, in place) with what {@code predictor} predicts for
   * {@code graph} (null: nothing), then applies {@code reinit}; returns how many tensors came from
   * the predictor.
   *
   * @param predictor the parameters a GHN predicts for the graph, by state_dict name, in the given
   *     manager
   */
  static int overwrite(
      Graph graph,
      Map<String, NDArray> params,
      BiFunction<Graph, NDManager, Map<String, NDArray>> predictor,
      Reinit.Options reinit) {
    int n = 0;
    boolean gradMode = ParamArrays.setGradMode(false);
    try {
      if (predictor != null) {
        try (NDManager tmp = Devices.newManager()) {
          for (Map.Entry<String, NDArray> e : predictor.apply(graph, tmp).entrySet()) {
            NDArray dst = params.get(e.getKey());
            if (dst == null) {
              throw new IllegalArgumentException(
                  "GHN predicted " + e.getKey() + ", which the graph does not have");
            }
            ParamArrays.copyInto(e.getValue(), dst, "predicted " + e.getKey());
            n++;
          }
        }
      }
      if (reinit.active()) {
        Reinit.apply(graph, params, reinit);
      }
    } finally {
      ParamArrays.setGradMode(gradMode);
    }
    return n;
  }
}
