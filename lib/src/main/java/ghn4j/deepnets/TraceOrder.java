package ghn4j.deepnets;

import ghn4j.deepnets.AutogradNodes.Fn;
import ghn4j.deepnets.AutogradNodes.Leaf;
import ghn4j.deepnets.AutogradNodes.Module;
import ghn4j.deepnets.AutogradNodes.TraceNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * ppuda's order of the autograd nodes ({@code Graph._build_graph}): its depth-first numbering from
 * the output ({@code traverse_graph}), the Linear-weight edge fix-up, the appended input node and
 * networkx's generation-by-generation topological sort.
 */
final class TraceOrder {

  private TraceOrder() {}

  /**
   * ppuda's node list in networkx's topological (generation) order, with the pos_enc sum inserted.
   */
  static List<TraceNode> sorted(Fn root) {
    Walk w = new Walk();
    w.traverse(root);
    int n = w.nodes.size();
    Adjacency a = new Adjacency(n + 1);
    for (int[] e : w.edges) {
      a.add(e[0], e[1]);
    }
    // Linear layers: move the weight in front of its bias (or matmul)
    for (int i = 0; i < n; i++) {
      if (!w.nodes.get(i).linearWeight()) {
        continue;
      }
      int[] outs = a.out[i].stream().toArray();
      for (int on : outs) {
        int[] preds = a.in[on].stream().toArray();
        for (int p : preds) {
          if (p != i) {
            a.add(p, i);
          }
        }
        for (int p : preds) {
          a.remove(p, on);
        }
        a.add(i, on);
      }
    }
    // the input node feeds the one node without incoming edges
    int source = -1;
    for (int i = 0; i < n; i++) {
      if (a.in[i].isEmpty()) {
        if (source >= 0) {
          throw new IllegalStateException(
              "more than one autograd node without inputs: "
                  + w.nodes.get(source).name()
                  + ", "
                  + w.nodes.get(i).name());
        }
        source = i;
      }
    }
    a.add(n, source);
    List<TraceNode> all = new ArrayList<>(w.nodes);
    all.add(new TraceNode("input", false, false, -1));
    List<TraceNode> order = new ArrayList<>(n + 2);
    for (int i : a.generations()) {
      TraceNode t = all.get(i);
      order.add(t);
      if (t.posEnc()) {
        // ppuda inserts an explicit sum after the positional encoding
        order.add(new TraceNode("AddBackward0", false, false, -1));
      }
    }
    return order;
  }

  /** ppuda's recursive {@code traverse_graph}, with an explicit stack. */
  private static final class Walk {
    final List<TraceNode> nodes = new ArrayList<>();
    final List<int[]> edges = new ArrayList<>();

    /** Per visited Fn or Leaf: the node it links to (-1: none) — ppuda's {@code seen}. */
    private final Map<Object, Integer> seen = new IdentityHashMap<>();

    private final class Frame {
      final Fn fn;
      final int linkStart;
      int next;

      Frame(Fn fn) {
        this.fn = fn;
        int first = -1;
        int last = -1;
        for (Object u : fn.next()) {
          if (u instanceof Leaf l && !l.skipped()) {
            int id = nodes.size();
            nodes.add(
                new TraceNode(
                    l.name(),
                    l.module() == Module.LINEAR && l.name().contains(".weight"),
                    l.module() == Module.POS_ENC,
                    -1));
            seen.put(l, id);
            first = first < 0 ? id : first;
            last = id;
          }
        }
        if (first < 0) {
          first = last = nodes.size();
          nodes.add(new TraceNode(fn.name(), false, false, fn.call()));
        }
        linkStart = first;
        seen.put(fn, last);
      }
    }

    void traverse(Fn root) {
      List<Frame> stack = new ArrayList<>();
      stack.add(new Frame(root));
      while (!stack.isEmpty()) {
        Frame f = stack.get(stack.size() - 1);
        if (f.next == f.fn.next().length) {
          stack.remove(stack.size() - 1);
          continue;
        }
        Object u = f.fn.next()[f.next];
        if (u == null) {
          f.next++;
          continue;
        }
        if (u instanceof Fn child && !seen.containsKey(child)) {
          stack.add(new Frame(child)); // resume f at the same child once it is done
          continue;
        }
        f.next++;
        int link = seen.getOrDefault(u, -1);
        if (u instanceof Leaf l && !seen.containsKey(l)) {
          seen.put(l, -1); // a skipped norm bias: AccumulateGrad makes no node
        }
        if (link >= 0 && link != f.linkStart) {
          boolean bias = u instanceof Leaf l && l.name().contains("bias");
          edges.add(bias ? new int[] {f.linkStart, link} : new int[] {link, f.linkStart});
        }
      }
    }
  }

  /**
   * A directed graph on 0..n-1 with sorted adjacency (numpy's row-major order, as networkx reads
   * it).
   */
  private static final class Adjacency {
    final BitSet[] out;
    final BitSet[] in;

    Adjacency(int n) {
      out = new BitSet[n];
      in = new BitSet[n];
      for (int i = 0; i < n; i++) {
        out[i] = new BitSet();
        in[i] = new BitSet();
      }
    }

    void add(int from, int to) {
      out[from].set(to);
      in[to].set(from);
    }

    void remove(int from, int to) {
      out[from].clear(to);
      in[to].clear(from);
    }

    /** networkx's topological_sort: Kahn's algorithm, one generation after the other. */
    int[] generations() {
      int n = out.length;
      int[] indegree = new int[n];
      List<Integer> current = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        indegree[i] = in[i].cardinality();
        if (indegree[i] == 0) {
          current.add(i);
        }
      }
      int[] order = new int[n];
      int k = 0;
      while (!current.isEmpty()) {
        List<Integer> next = new ArrayList<>();
        for (int v : current) {
          order[k++] = v;
          for (int c = out[v].nextSetBit(0); c >= 0; c = out[v].nextSetBit(c + 1)) {
            if (--indegree[c] == 0) {
              next.add(c);
            }
          }
        }
        current = next;
      }
      if (k != n) {
        throw new IllegalStateException("the autograd graph has a cycle");
      }
      return order;
    }
  }
}
