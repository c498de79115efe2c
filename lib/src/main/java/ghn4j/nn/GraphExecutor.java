package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.ParamSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an executable {@link Graph} on a batch: walks the nodes in their (topological) order,
 * computes each with the {@link OpKernel} registered for its op, and returns the last node's value
 * (the logits). Parameters come as a map {@code state_dict name → NDArray}, so the same executor
 * serves parameters predicted by a GHN (gradients flow back into the predicted arrays through
 * autograd) and parameters trained directly ({@link TrainableNetwork}).
 *
 * <p>Memory: intermediates are created in the manager of the input batch (DJL: a result belongs to
 * its first operand's manager) and each is closed as soon as its last consumer has run, so a
 * forward pass leaves only its output behind. Closing a handle does not disturb autograd: the
 * recorded graph keeps the tensors it needs.
 *
 * <p>An executor is immutable and thread-compatible; build it once per graph (it precomputes
 * kernels and last uses).
 */
public final class GraphExecutor {

  private final Graph graph;
  private final OpKernel[] kernels;
  private final int[] lastUse;
  private final Set<String> paramNames;

  /** An executor with the standard kernels. */
  public GraphExecutor(Graph graph) {
    this(graph, KernelRegistry.standard());
  }

  /**
   * An executor with the given kernels; fails naming the first node that has no op (a graph read
   * from a reference file) or whose op has no kernel.
   */
  public GraphExecutor(Graph graph, KernelRegistry registry) {
    this.graph = graph;
    int n = graph.size();
    kernels = new OpKernel[n];
    for (int i = 0; i < n; i++) {
      Node node = graph.node(i);
      if (node.op() == null) {
        throw new IllegalArgumentException(
            "graph is not executable: node "
                + i
                + " ("
                + node.name()
                + ") has no op"
                + " (graphs read from reference files describe structure only)");
      }
      if (i > 0) {
        kernels[i] =
            registry
                .kernelFor(node.op())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "no kernel for op '"
                                + node.op().kind()
                                + "' ("
                                + node.op().getClass().getName()
                                + ") at node "
                                + node.name()));
      }
    }
    lastUse = new int[n];
    Arrays.fill(lastUse, -1);
    for (int i = 0; i < n; i++) {
      for (int src : graph.node(i).inputs()) {
        lastUse[src] = Math.max(lastUse[src], i);
      }
    }
    paramNames = new HashSet<>();
    for (ParamSpec p : graph.params()) {
      paramNames.add(p.name());
    }
  }

  /** The graph this executor runs. */
  public Graph graph() {
    return graph;
  }

  /**
   * Checks that {@code params} holds exactly the graph's parameters with their shapes; the error
   * names the first missing parameter, unexpected key or shape mismatch.
   */
  public void checkParams(Map<String, NDArray> params) {
    for (ParamSpec p : graph.params()) {
      NDArray a = params.get(p.name());
      if (a == null) {
        throw new IllegalArgumentException(
            "missing parameter " + p.name() + " " + Arrays.toString(p.shape()));
      }
      long[] expected = Arrays.stream(p.shape()).asLongStream().toArray();
      if (!a.getShape().equals(new Shape(expected))) {
        throw new IllegalArgumentException(
            "parameter "
                + p.name()
                + " has shape "
                + a.getShape()
                + ", expected "
                + new Shape(expected));
      }
    }
    for (String key : params.keySet()) {
      if (!paramNames.contains(key)) {
        throw new IllegalArgumentException(
            "unexpected parameter " + key + ": the graph has no parameter of that name");
      }
    }
  }

  /**
   * Runs the network on {@code input} ({@code [N, C, H, W]}) with {@code params} and returns the
   * output node's value. The result and all intermediates belong to {@code input}'s manager; only
   * the result survives the call.
   *
   * @throws IllegalArgumentException if a parameter is missing, unexpected or mis-shaped (named in
   *     the message)
   * @throws IllegalStateException if a kernel fails; the message names the node
   */
  public NDArray forward(NDArray input, Map<String, NDArray> params, Mode mode) {
    checkParams(params);
    int n = graph.size();
    NDArray[] values = new NDArray[n];
    // Arrays the executor must never close: the caller's input and parameters.
    IdentityHashMap<NDArray, Boolean> owned = new IdentityHashMap<>();
    for (NDArray p : params.values()) {
      owned.put(p, Boolean.TRUE);
    }
    owned.put(input, Boolean.TRUE);
    // How many value slots hold each array (a kernel may return one of its inputs, e.g. identity).
    IdentityHashMap<NDArray, Integer> holders = new IdentityHashMap<>();
    values[0] = input;
    holders.merge(input, 1, Integer::sum);
    boolean done = false;
    try {
      for (int i = 1; i < n; i++) {
        Node node = graph.node(i);
        int[] srcs = node.inputs();
        List<NDArray> in = new ArrayList<>(srcs.length);
        for (int s : srcs) {
          in.add(values[s]);
        }
        List<NDArray> ps = new ArrayList<>(node.params().size());
        for (ParamSpec p : node.params()) {
          ps.add(params.get(p.name()));
        }
        NDArray out;
        try {
          out = kernels[i].apply(node, in, ps, mode);
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              "node "
                  + i
                  + " ("
                  + node.name()
                  + ", op "
                  + node.op().kind()
                  + ") failed on inputs "
                  + shapes(in)
                  + ": "
                  + e.getMessage(),
              e);
        }
        values[i] = out;
        holders.merge(out, 1, Integer::sum);
        for (int s : srcs) {
          if (lastUse[s] == i && values[s] != null) {
            release(values, s, holders, owned);
          }
        }
      }
      done = true;
      return values[n - 1];
    } finally {
      if (!done) {
        for (int i = 0; i < n; i++) {
          if (values[i] != null) {
            release(values, i, holders, owned);
          }
        }
      }
    }
  }

  private static void release(
      NDArray[] values,
      int i,
      IdentityHashMap<NDArray, Integer> holders,
      IdentityHashMap<NDArray, Boolean> owned) {
    NDArray a = values[i];
    values[i] = null;
    int left = holders.merge(a, -1, Integer::sum);
    if (left == 0) {
      holders.remove(a);
      if (!owned.containsKey(a)) {
        a.close();
      }
    }
  }

  private static String shapes(List<NDArray> in) {
    List<String> s = new ArrayList<>();
    for (NDArray a : in) {
      s.add(a == null ? "null" : a.getShape().toString());
    }
    return s.toString();
  }
}
