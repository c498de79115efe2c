package ghn4j.deepnets;

import ghn4j.deepnets.AutogradNodes.TraceNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Decides which {@code msa} and {@code cse} nodes ppuda's graph of a DeepNets-1M network shows, by
 * emulating the autograd trace its {@code Graph(net)} walks (ppuda/deepnets1m/graph.py, PyTorch
 * 1.13, networkx ≥ 2.6).
 *
 * <p>ppuda builds a graph from the autograd nodes of one forward pass: a depth-first walk from the
 * output over {@code next_functions} numbers the nodes (an op with a parameter becomes that
 * parameter's node; a Linear's weight is moved in front of its bias), the input node is appended,
 * and the nodes are sorted by networkx's {@code topological_sort}, i.e. generation by generation
 * (longest distance from the input), each generation in the order its nodes lost their last
 * incoming edge. Its filter then keeps
 *
 * <ul>
 *   <li>a {@code Mul} node (shown as {@code cse}) only if the node two places before it in that
 *       order is a {@code Hardswish} — true for a ChannelSE gate when nothing else of the net sits
 *       at the gate's depths;
 *   <li>a {@code Clone} node (shown as {@code msa}; in these nets only the attention's {@code
 *       rearrange}) only if, after the removal of the other {@code Mul} nodes, the node eleven
 *       places before it is a {@code Softmax}.
 * </ul>
 *
 * Both tests count the autograd nodes of every module that runs at the same depths, so the answer
 * depends on the whole net. We rebuild the trace from {@link NetworkBuilder}'s walk: every node the
 * walk emits becomes the autograd nodes PyTorch 1.13 records for it (e.g. a 3-D Linear with bias:
 * view, addmm, view; an {@code einsum}: unsqueeze, two permutes and a reshape per operand, bmm,
 * view, permute, view), then replay ppuda's numbering, edge fix-ups, sort and the two positional
 * tests. The per-module node sequences were read off PyTorch 1.13.1's autograd graphs; with them
 * the node counts of all 200 nets of the reference generator's meta files match.
 *
 * <p>The result is the set of {@link NetEmitter#node} call indices (in the walk's order) whose
 * hidden node ppuda shows; {@link GraphEmitter} gives those nodes their primitive. Nets without msa
 * or cse ops need no trace.
 *
 * <p>The trace is recorded by {@link AutogradRecorder} (values in {@link AutogradNodes}) and
 * ordered by {@link TraceOrder}; this class holds the two positional tests.
 */
final class AutogradTrace {

  private AutogradTrace() {}

  /**
   * The walk's node calls (0-based, counting every {@link NetEmitter#node} call) whose attention
   * core, channel gate or zero filler ppuda's graph shows as an {@code msa} or {@code cse} node.
   */
  static BitSet shownNodes(NetArgs args) {
    if (!hasQuirkOps(args.genotype())) {
      return new BitSet();
    }
    AutogradRecorder recorder = new AutogradRecorder();
    int output = NetworkBuilder.walk(args, recorder);
    return shown(TraceOrder.sorted(recorder.root(output)));
  }

  /** ppuda's node names of the trace in its sorted order, before filtering (for tests). */
  static List<String> sortedNames(NetArgs args) {
    AutogradRecorder recorder = new AutogradRecorder();
    int output = NetworkBuilder.walk(args, recorder);
    List<String> names = new ArrayList<>();
    for (TraceNode t : TraceOrder.sorted(recorder.root(output))) {
      names.add(t.name());
    }
    return names;
  }

  private static boolean hasQuirkOps(Genotype g) {
    for (List<Genotype.Edge> edges : List.of(g.normal(), g.reduce())) {
      for (Genotype.Edge e : edges) {
        CellOp.Kind k = CellOp.parse(e.op()).kind();
        if (k == CellOp.Kind.MSA || k == CellOp.Kind.CSE) {
          return true;
        }
      }
    }
    return false;
  }

  /** ppuda's two positional tests (the start of {@code _filter_graph}) over the sorted trace. */
  private static BitSet shown(List<TraceNode> order) {
    BitSet shown = new BitSet();
    // Mul pass over the whole sorted list
    List<TraceNode> afterMul = new ArrayList<>(order.size());
    for (int i = 0; i < order.size(); i++) {
      TraceNode t = order.get(i);
      if (t.name().contains("Mul")) {
        boolean keep = at(order, i - 2).name().startsWith("Hard");
        if (!keep) {
          continue;
        }
        if (t.call() >= 0) {
          shown.set(t.call());
        }
      }
      afterMul.add(t);
    }
    // Clone pass over what the Mul pass left
    for (int i = 0; i < afterMul.size(); i++) {
      TraceNode t = afterMul.get(i);
      if (t.name().contains("Clone")
          && at(afterMul, i - 11).name().startsWith("Softmax")
          && t.call() >= 0) {
        shown.set(t.call());
      }
    }
    return shown;
  }

  /** Python's list indexing: negative indices count from the end. */
  private static TraceNode at(List<TraceNode> list, int i) {
    return list.get(Math.floorMod(i, list.size()));
  }
}
