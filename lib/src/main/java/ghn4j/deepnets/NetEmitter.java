package ghn4j.deepnets;

import ghn4j.graph.Op;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.List;

/**
 * Receives the structure of a DeepNets-1M network as {@link NetworkBuilder}'s walk produces it:
 * every trainable parameter in module ({@code state_dict}) order, and the nodes of the forward pass
 * in topological order. One walk serves both the fast parameter count (which only sums the
 * declarations) and the graph construction.
 */
interface NetEmitter {

  /** The handle of an absent value (ppuda's {@code None} state, e.g. behind a {@code none} op). */
  int NONE = -1;

  /** A parameter of a module, in module order; declared whether or not the forward pass uses it. */
  void declare(ParamSpec param);

  /**
   * A node of the forward pass. Returns its handle, or {@link #NONE} when an input is {@link #NONE}
   * (the node is not computed, as ppuda's {@code Cell.forward} skips ops on {@code None} states).
   */
  int node(
      String name,
      Primitive primitive,
      Op op,
      int[] shape,
      int cell,
      List<ParamSpec> params,
      int... inputs);

  /** Counts parameters only: the generator's fast path. */
  final class Counter implements NetEmitter {
    private long total;

    @Override
    public void declare(ParamSpec param) {
      total += param.numel();
    }

    @Override
    public int node(
        String name,
        Primitive primitive,
        Op op,
        int[] shape,
        int cell,
        List<ParamSpec> params,
        int... inputs) {
      for (int in : inputs) {
        if (in == NONE) {
          return NONE;
        }
      }
      return 0;
    }

    long total() {
      return total;
    }
  }
}
