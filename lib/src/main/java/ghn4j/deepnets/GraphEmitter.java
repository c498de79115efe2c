package ghn4j.deepnets;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the walk of {@link NetworkBuilder} into a {@link BuiltNetwork}: prunes the nodes that do
 * not reach the output, and decides which sum and concat nodes a GHN sees, as ppuda's {@code
 * Graph._filter_graph} does. The attention cores, channel gates and zero fillers that ppuda's
 * positional filter keeps ({@link AutogradTrace}) get their {@code msa}/{@code cse} primitive here.
 */
final class GraphEmitter implements NetEmitter {

  private record Draft(
      String name,
      Primitive primitive,
      Op op,
      int[] shape,
      int cell,
      List<ParamSpec> params,
      int[] inputs) {}

  private final List<ParamSpec> declared = new ArrayList<>();
  private final List<Draft> drafts = new ArrayList<>();
  private final BitSet shown;
  private int calls;

  /**
   * @param shown the node calls (counted over every {@link #node} call) ppuda shows as msa/cse
   */
  GraphEmitter(BitSet shown) {
    this.shown = (BitSet) shown.clone();
  }

  @Override
  public void declare(ParamSpec param) {
    declared.add(param);
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
    int call = calls++;
    for (int in : inputs) {
      if (in == NONE) {
        return NONE;
      }
    }
    if (primitive == null && shown.get(call)) {
      primitive = shownPrimitive(op, name);
    }
    drafts.add(new Draft(name, primitive, op, shape, cell, params, inputs.clone()));
    return drafts.size() - 1;
  }

  /** ppuda's primitive for a kept {@code Clone} (msa) or {@code Mul} (cse) node. */
  private static Primitive shownPrimitive(Op op, String name) {
    if (op instanceof Ops.Attention) {
      return Primitive.MSA;
    }
    if (op instanceof Ops.ChannelScale || op instanceof Ops.Scale) {
      return Primitive.CSE;
    }
    throw new IllegalStateException(
        "node " + name + " (" + op.kind() + ") cannot be an msa or cse node");
  }

  /** Finishes the network whose output is {@code output}. */
  BuiltNetwork finish(int output, int nCells) {
    int n = drafts.size();
    boolean[] live = new boolean[n];
    live[output] = true;
    for (int i = output; i >= 0; i--) {
      if (live[i]) {
        for (int in : drafts.get(i).inputs()) {
          live[in] = true;
        }
      }
    }
    int[] newIndex = new int[n];
    List<Draft> kept = new ArrayList<>();
    for (int i = 0; i <= output; i++) {
      if (!live[i]) {
        newIndex[i] = -1;
        continue;
      }
      Draft d = drafts.get(i);
      int[] inputs = new int[d.inputs().length];
      for (int k = 0; k < inputs.length; k++) {
        inputs[k] = newIndex[d.inputs()[k]];
      }
      newIndex[i] = kept.size();
      kept.add(new Draft(d.name(), d.primitive(), d.op(), d.shape(), d.cell(), d.params(), inputs));
    }
    boolean[] dropped = ppudaDroppedNodes(kept);
    List<Node> nodes = new ArrayList<>(kept.size());
    Set<String> liveNames = new HashSet<>();
    for (int i = 0; i < kept.size(); i++) {
      Draft d = kept.get(i);
      nodes.add(
          new Node(
              d.name(),
              dropped[i] ? null : d.primitive(),
              d.op(),
              d.shape(),
              d.cell(),
              d.params(),
              d.inputs()));
      for (ParamSpec p : d.params()) {
        liveNames.add(p.name());
      }
    }
    List<ParamSpec> liveStateDict = new ArrayList<>();
    for (ParamSpec p : declared) {
      if (liveNames.contains(p.name())) {
        liveStateDict.add(p);
      }
    }
    return new BuiltNetwork(Graph.of(nodes, nCells), declared, liveStateDict);
  }

  /**
   * Which sum and concat nodes ppuda's graph filter removes. ppuda keeps an {@code Add} (then, in a
   * later pass, a {@code Cat}) node only if it has more than one incoming edge after the other
   * unsupported nodes (ReLU, views, ...) were contracted. Within a pass a removed node's edges are
   * rewired to its successors but its own outgoing edges stay until the pass ends, so a later node
   * of the same kind fed by a removed one counts it as an extra input. Adding {@code x + x} is one
   * incoming edge, so such a sum disappears, as does a concat of a single tensor.
   */
  private static boolean[] ppudaDroppedNodes(List<Draft> nodes) {
    int n = nodes.size();
    boolean[] candidate = new boolean[n];
    for (int i = 0; i < n; i++) {
      Draft d = nodes.get(i);
      candidate[i] = d.primitive() != null;
    }
    // Direct predecessors among candidate nodes (through contracted, primitive-less nodes).
    List<Set<Integer>> visible = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Set<Integer> src = new LinkedHashSet<>();
      for (int in : nodes.get(i).inputs()) {
        if (candidate[in]) {
          src.add(in);
        } else {
          src.addAll(visible.get(in));
        }
      }
      visible.add(src);
    }
    boolean[] dropped = new boolean[n];
    // Add pass.
    filterPass(nodes, visible, dropped, GraphEmitter::isSum);
    // After the Add pass the removed sums are gone: their successors see their (surviving) sources.
    List<Set<Integer>> resolved = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Set<Integer> s = new LinkedHashSet<>();
      for (int p : visible.get(i)) {
        if (dropped[p]) {
          s.addAll(resolved.get(p));
        } else {
          s.add(p);
        }
      }
      resolved.add(s);
    }
    // Cat pass.
    filterPass(nodes, resolved, dropped, GraphEmitter::isConcat);
    return dropped;
  }

  /**
   * One pass of ppuda's filter over the nodes of one kind: such a node is dropped when, with the
   * sources of the dropped nodes of its kind it reads merged in, it has at most one source.
   */
  private static void filterPass(
      List<Draft> nodes,
      List<Set<Integer>> sources,
      boolean[] dropped,
      java.util.function.Predicate<Draft> kind) {
    List<Set<Integer>> inset = new ArrayList<>(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      Set<Integer> s = sources.get(i);
      if (kind.test(nodes.get(i))) {
        s = new LinkedHashSet<>(s);
        for (int p : sources.get(i)) {
          if (dropped[p] && kind.test(nodes.get(p))) {
            s.addAll(inset.get(p));
          }
        }
        dropped[i] = s.size() <= 1;
      }
      inset.add(s);
    }
  }

  private static boolean isSum(Draft d) {
    return d.primitive() == Primitive.SUM && d.op() instanceof Ops.Sum;
  }

  private static boolean isConcat(Draft d) {
    return d.primitive() == Primitive.CONCAT;
  }
}
