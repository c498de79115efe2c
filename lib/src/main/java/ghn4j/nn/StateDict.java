package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network's tensors as PyTorch's {@code module.state_dict()} names and orders them: every
 * parameter by its {@code state_dict} name, and after the weight and bias of each BatchNorm layer
 * that tracks running statistics its buffers {@code running_mean}, {@code running_var} and {@code
 * num_batches_tracked} (int64 scalar). Layers without running statistics ({@code
 * track_running_stats=False}, ppuda's {@code 'bn'}) have no buffers in PyTorch, so none are written
 * for them, and {@code module.load_state_dict} loads the result strictly.
 */
public final class StateDict {

  private StateDict() {}

  /**
   * The state_dict of {@code graph} with {@code params}; BatchNorm buffers from {@code stats}, or
   * PyTorch's initial 0/1 when {@code stats} is null. New arrays (the initial buffers, the
   * counters) are made in {@code manager}; the parameter and {@code stats} arrays are the caller's.
   *
   * @param batchesTracked the value of every {@code num_batches_tracked} (calibration batches, or
   *     0)
   */
  public static Map<String, NDArray> of(
      Graph graph,
      Map<String, NDArray> params,
      BnState stats,
      long batchesTracked,
      NDManager manager) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      for (ParamSpec p : n.params()) {
        NDArray a = params.get(p.name());
        if (a == null) {
          throw new IllegalArgumentException("missing parameter " + p.name());
        }
        out.putIfAbsent(p.name(), a);
      }
      if (n.op() instanceof Ops.BatchNorm b && b.trackRunningStats()) {
        String prefix = modulePrefix(n);
        long c = n.params().get(0).dim(0);
        DataType dtype = params.get(n.params().get(0).name()).getDataType();
        out.put(
            prefix + ".running_mean",
            stats != null ? stats.runningMean(n.name()) : manager.zeros(new Shape(c), dtype));
        out.put(
            prefix + ".running_var",
            stats != null ? stats.runningVar(n.name()) : manager.ones(new Shape(c), dtype));
        out.put(
            prefix + ".num_batches_tracked",
            manager.create(new long[] {batchesTracked}, new Shape()).duplicate());
      }
    }
    return out;
  }

  /**
   * The {@code state_dict} prefix of a BatchNorm node: its weight's name without {@code .weight}
   * ({@code layer1.0.bn1.weight → layer1.0.bn1}), where PyTorch keeps the layer's buffers.
   */
  public static String modulePrefix(Node node) {
    String w = node.params().isEmpty() ? node.name() : node.params().get(0).name();
    return w.endsWith(".weight") ? w.substring(0, w.length() - ".weight".length()) : w;
  }
}
