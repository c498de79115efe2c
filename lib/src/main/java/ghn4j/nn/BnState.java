package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The running mean and variance buffers of every BatchNorm node of a graph (PyTorch's {@code
 * running_mean} and {@code running_var}), keyed by the node's name (its weight's name). Kept
 * outside the parameter map because they are not trainable and a GHN does not predict them. The
 * buffers live in the manager given at creation and are updated in place by {@link
 * Mode#train(BnState) training} passes.
 */
public final class BnState {

  private final Map<String, NDArray> means;
  private final Map<String, NDArray> vars;

  private BnState(Map<String, NDArray> means, Map<String, NDArray> vars) {
    this.means = Collections.unmodifiableMap(means);
    this.vars = Collections.unmodifiableMap(vars);
  }

  /** Fresh buffers as PyTorch initialises them: mean 0, variance 1, in {@code manager}. */
  public static BnState initial(Graph graph, NDManager manager, DataType dtype) {
    Map<String, NDArray> means = new LinkedHashMap<>();
    Map<String, NDArray> vars = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Ops.BatchNorm) {
        long c = n.params().get(0).dim(0);
        means.put(n.name(), manager.zeros(new Shape(c), dtype));
        vars.put(n.name(), manager.ones(new Shape(c), dtype));
      }
    }
    return new BnState(means, vars);
  }

  /**
   * Buffers from a PyTorch {@code state_dict}: for each BatchNorm node (named by its weight, {@code
   * <module>.weight}), {@code <module>.running_mean} and {@code <module>.running_var} of {@code
   * buffers}, copied into {@code manager}. The error names the first missing buffer.
   */
  public static BnState fromStateDict(
      Graph graph, Map<String, NDArray> buffers, NDManager manager) {
    Map<String, NDArray> means = new LinkedHashMap<>();
    Map<String, NDArray> vars = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Ops.BatchNorm) {
        String module =
            n.name().endsWith(".weight") ? n.name().substring(0, n.name().length() - 7) : n.name();
        means.put(n.name(), buffer(buffers, module + ".running_mean", manager));
        vars.put(n.name(), buffer(buffers, module + ".running_var", manager));
      }
    }
    return new BnState(means, vars);
  }

  private static NDArray buffer(Map<String, NDArray> buffers, String name, NDManager manager) {
    NDArray b = buffers.get(name);
    if (b == null) {
      throw new IllegalArgumentException(
          "no buffer " + name + " among " + buffers.size() + " running statistics");
    }
    NDArray copy = b.duplicate();
    copy.attach(manager);
    return copy;
  }

  /**
   * {@code graph} with every BatchNorm layer tracking running statistics, so that {@link Mode#eval}
   * normalises all of them with a state's buffers. What an inference export of a network with
   * recalibrated statistics computes: ppuda's {@code 'bn'} layers (DeepNets-1M nets) keep no
   * statistics and would otherwise normalise with the batch.
   */
  public static Graph trackingAll(Graph graph) {
    java.util.List<Node> nodes = new java.util.ArrayList<>(graph.size());
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Ops.BatchNorm b && !b.trackRunningStats()) {
        nodes.add(
            new Node(
                n.name(),
                n.primitive(),
                new Ops.BatchNorm(b.eps(), b.momentum(), true),
                n.shape(),
                n.cell(),
                n.params(),
                n.inputs()));
      } else {
        nodes.add(n);
      }
    }
    return Graph.of(nodes, graph.nCells());
  }

  /** The BatchNorm node names this state covers. */
  public Set<String> names() {
    return means.keySet();
  }

  /** The running mean of BatchNorm node {@code name}; the error names the node if it is unknown. */
  public NDArray runningMean(String name) {
    return require(means, name);
  }

  /** The running variance of BatchNorm node {@code name}. */
  public NDArray runningVar(String name) {
    return require(vars, name);
  }

  private static NDArray require(Map<String, NDArray> m, String name) {
    NDArray a = m.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no running statistics for BatchNorm node " + name);
    }
    return a;
  }
}
