package ghn4j.deepnets;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test-only comparison of two graphs as labelled DAGs (label = primitive + shape): node and edge counts, label
 * multisets, then Weisfeiler–Lehman colour refinement over labelled in- and out-neighbourhoods, run jointly on both
 * graphs so that colour histograms are comparable. Equal histograms at the fixed point do not prove isomorphism in
 * general but are a very strong check on these DAGs; to be replaced by the shared {@code GraphIsomorphism}.
 */
final class LabelledDagCompare {

  private LabelledDagCompare() {}

  /** Null when the graphs agree, otherwise a description of the first difference found. */
  static String difference(Graph a, Graph b) {
    if (a.size() != b.size()) {
      return "node counts differ: " + a.size() + " vs " + b.size() + "; labels only in one: " + labelDiff(a, b);
    }
    int ea = distinctEdges(a);
    int eb = distinctEdges(b);
    if (ea != eb) {
      return "edge counts differ: " + ea + " vs " + eb;
    }
    String ld = labelDiff(a, b);
    if (!ld.isEmpty()) {
      return "label multisets differ: " + ld;
    }
    Map<String, Integer> ids = new HashMap<>();
    int[] ca = initial(a, ids);
    int[] cb = initial(b, ids);
    int classes = ids.size();
    for (int iter = 0; iter < a.size() + 1; iter++) {
      Map<String, Integer> next = new HashMap<>();
      int[] na = refine(a, ca, next);
      int[] nb = refine(b, cb, next);
      if (!histogram(na).equals(histogram(nb))) {
        return "Weisfeiler-Lehman colours differ after " + (iter + 1) + " rounds (" + describe(a, na, b, nb) + ")";
      }
      ca = na;
      cb = nb;
      if (next.size() == classes) {
        return null;
      }
      classes = next.size();
    }
    return null;
  }

  /** The graph without the nodes of the given primitives, their predecessors wired to their successors. */
  static Graph contract(Graph g, Set<Primitive> drop) {
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      nodes.add(drop.contains(n.primitive()) ? new Node(n.name(), null, n.op(), n.shape(), n.cell(), n.params(),
          n.inputs()) : n);
    }
    return Graph.of(nodes, g.nCells()).primitiveView();
  }

  private static int distinctEdges(Graph g) {
    return g.edges().stream().map(Arrays::toString).collect(java.util.stream.Collectors.toSet()).size();
  }

  private static String label(Node n) {
    return n.primitive().refName() + (n.shape() == null ? "" : Arrays.toString(n.shape()));
  }

  private static String labelDiff(Graph a, Graph b) {
    Map<String, Integer> count = new TreeMap<>();
    a.nodes().forEach(n -> count.merge(label(n), 1, Integer::sum));
    b.nodes().forEach(n -> count.merge(label(n), -1, Integer::sum));
    StringBuilder sb = new StringBuilder();
    count.forEach((k, v) -> {
      if (v != 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(k).append(v > 0 ? " +" : " ").append(v);
      }
    });
    return sb.toString();
  }

  private static int[] initial(Graph g, Map<String, Integer> ids) {
    int[] c = new int[g.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = ids.computeIfAbsent(label(g.node(i)), k -> ids.size());
    }
    return c;
  }

  private static int[] refine(Graph g, int[] colour, Map<String, Integer> ids) {
    int n = g.size();
    List<List<Integer>> in = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      in.add(new ArrayList<>());
      out.add(new ArrayList<>());
    }
    for (int[] e : g.edges()) {
      in.get(e[1]).add(colour[e[0]]);
      out.get(e[0]).add(colour[e[1]]);
    }
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      List<Integer> ins = in.get(i).stream().distinct().sorted().toList();
      List<Integer> outs = out.get(i).stream().distinct().sorted().toList();
      String sig = colour[i] + "|" + ins + "|" + outs;
      next[i] = ids.computeIfAbsent(sig, k -> ids.size());
    }
    return next;
  }

  private static Map<Integer, Integer> histogram(int[] c) {
    Map<Integer, Integer> h = new TreeMap<>();
    for (int x : c) {
      h.merge(x, 1, Integer::sum);
    }
    return h;
  }

  private static String describe(Graph a, int[] ca, Graph b, int[] cb) {
    Map<Integer, Integer> ha = histogram(ca);
    Map<Integer, Integer> hb = histogram(cb);
    for (int i = 0; i < ca.length; i++) {
      if (!ha.get(ca[i]).equals(hb.getOrDefault(ca[i], 0))) {
        return "e.g. ours " + a.node(i).name() + " (" + label(a.node(i)) + ") has no counterpart";
      }
    }
    for (int i = 0; i < cb.length; i++) {
      if (!hb.get(cb[i]).equals(ha.getOrDefault(cb[i], 0))) {
        return "e.g. reference " + b.node(i).name() + " (" + label(b.node(i)) + ") has no counterpart";
      }
    }
    return "?";
  }
}
