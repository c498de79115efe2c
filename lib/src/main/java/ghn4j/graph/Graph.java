package ghn4j.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A network as a directed acyclic graph of {@link Node}s in topological order: the one
 * representation the DeepNets-1M generator and the model zoo emit, a GHN reads and the executor
 * runs.
 *
 * <p>Invariants (checked on construction): node 0 is the {@link Primitive#INPUT}; every input index
 * of a node is smaller than the node's own index (so the order is topological and there is no
 * cycle); every node reaches the last node (the network's output); parameter names are unique.
 */
public final class Graph {

  private final List<Node> nodes;
  private final int nCells;

  private Graph(List<Node> nodes, int nCells) {
    this.nodes = List.copyOf(nodes);
    this.nCells = nCells;
    validate();
  }

  /** A graph of nodes that are already in topological order. */
  public static Graph of(List<Node> nodes, int nCells) {
    return new Graph(nodes, nCells);
  }

  /**
   * A graph from nodes in any order and edges {@code [src, dst]} between their indices. Sorts the
   * nodes topologically (stable: among ready nodes the lowest original index goes first, so an
   * already topological order is kept) and names a node on a cycle if there is one. Input order of
   * a node follows the order of the edges.
   */
  public static Graph fromEdges(List<Node> nodes, List<int[]> edges, int nCells) {
    int n = nodes.size();
    List<List<Integer>> in = new ArrayList<>();
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      in.add(new ArrayList<>());
      out.add(new ArrayList<>());
    }
    for (int[] e : edges) {
      if (e[0] < 0 || e[0] >= n || e[1] < 0 || e[1] >= n) {
        throw new IllegalArgumentException(
            "edge " + Arrays.toString(e) + " refers to a node outside 0.." + (n - 1));
      }
      if (e[0] == e[1]) {
        throw new IllegalArgumentException(
            "self-loop at node " + e[0] + " (" + nodes.get(e[0]).name() + ")");
      }
      in.get(e[1]).add(e[0]);
      out.get(e[0]).add(e[1]);
    }
    int[] indeg = new int[n];
    for (int i = 0; i < n; i++) {
      indeg[i] = in.get(i).size();
    }
    java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (indeg[i] == 0) {
        ready.add(i);
      }
    }
    int[] newIndex = new int[n];
    Arrays.fill(newIndex, -1);
    List<Integer> order = new ArrayList<>(n);
    while (!ready.isEmpty()) {
      int v = ready.poll();
      newIndex[v] = order.size();
      order.add(v);
      for (int w : out.get(v)) {
        if (--indeg[w] == 0) {
          ready.add(w);
        }
      }
    }
    if (order.size() < n) {
      for (int i = 0; i < n; i++) {
        if (newIndex[i] < 0) {
          throw new IllegalArgumentException(
              "the graph has a cycle through node " + i + " (" + nodes.get(i).name() + ")");
        }
      }
    }
    List<Node> sorted = new ArrayList<>(n);
    for (int v : order) {
      List<Integer> src = in.get(v);
      int[] inputs = new int[src.size()];
      for (int k = 0; k < inputs.length; k++) {
        inputs[k] = newIndex[src.get(k)];
      }
      sorted.add(nodes.get(v).withInputs(inputs));
    }
    return new Graph(sorted, nCells);
  }

  private void validate() {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a graph needs at least an input node");
    }
    Node first = nodes.get(0);
    if (first.primitive() != Primitive.INPUT || first.inputCount() != 0) {
      throw new IllegalArgumentException("node 0 must be the input with no inputs, found " + first);
    }
    Set<String> paramNames = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      for (int src : node.inputs()) {
        if (src < 0 || src >= i) {
          throw new IllegalArgumentException(
              "node "
                  + i
                  + " ("
                  + node.name()
                  + ") takes input "
                  + src
                  + ", which is not an earlier node: "
                  + "nodes must be in topological order (is there a cycle?)");
        }
      }
      if (i > 0 && node.inputCount() == 0 && node.primitive() != Primitive.POS_ENC) {
        throw new IllegalArgumentException("node " + i + " (" + node.name() + ") has no input");
      }
      for (ParamSpec p : node.params()) {
        if (!paramNames.add(p.name())) {
          throw new IllegalArgumentException(
              "parameter " + p.name() + " appears twice (node " + i + ")");
        }
      }
    }
    boolean[] reaches = new boolean[nodes.size()];
    reaches[nodes.size() - 1] = true;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (reaches[i]) {
        for (int src : nodes.get(i).inputs()) {
          reaches[src] = true;
        }
      }
    }
    for (int i = 0; i < reaches.length; i++) {
      if (!reaches[i]) {
        throw new IllegalArgumentException(
            "node "
                + i
                + " ("
                + nodes.get(i).name()
                + ") does not reach the output node "
                + nodes.get(nodes.size() - 1).name());
      }
    }
  }

  /** All nodes in topological order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Node {@code i}. */
  public Node node(int i) {
    return nodes.get(i);
  }

  /** Number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** Number of cells (1 for nets without cells). */
  public int nCells() {
    return nCells;
  }

  /** All parameters in node order. */
  public List<ParamSpec> params() {
    List<ParamSpec> all = new ArrayList<>();
    for (Node n : nodes) {
      all.addAll(n.params());
    }
    return all;
  }

  /** Total number of trainable parameters. */
  public long numParams() {
    long total = 0;
    for (Node n : nodes) {
      for (ParamSpec p : n.params()) {
        total += p.numel();
      }
    }
    return total;
  }

  /** Whether every node has an op, i.e. the executor can run this graph. */
  public boolean isExecutable() {
    for (Node n : nodes) {
      if (n.op() == null) {
        return false;
      }
    }
    return true;
  }

  /** The real edges {@code [src, dst]}, sorted by source then destination. */
  public List<int[]> edges() {
    List<int[]> edges = new ArrayList<>();
    for (int dst = 0; dst < nodes.size(); dst++) {
      for (int src : nodes.get(dst).inputs()) {
        edges.add(new int[] {src, dst});
      }
    }
    edges.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
    return edges;
  }

  /** For each node, the nodes it feeds, ascending. */
  public int[][] successors() {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      out.add(new ArrayList<>());
    }
    for (int dst = 0; dst < nodes.size(); dst++) {
      for (int src : nodes.get(dst).inputs()) {
        if (!out.get(src).contains(dst)) {
          out.get(src).add(dst);
        }
      }
    }
    int[][] succ = new int[nodes.size()][];
    for (int i = 0; i < succ.length; i++) {
      succ[i] = out.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    return succ;
  }

  /**
   * The graph a GHN sees: only nodes with a {@link Primitive}, an edge {@code u → v} wherever
   * {@code v} depended on {@code u} through nodes without one (as ppuda removes ReLUs and other
   * unsupported ops, rewiring their edges). Returns this graph when every node already has a
   * primitive. Nodes keep their relative order, so the view is topological too.
   */
  public Graph primitiveView() {
    boolean all = true;
    for (Node n : nodes) {
      all &= n.primitive() != null;
    }
    if (all) {
      return this;
    }
    int[] newIndex = new int[nodes.size()];
    // visibleInputs[i]: the kept nodes node i depends on directly or through dropped nodes, in
    // first-seen order.
    List<int[]> visibleSources = new ArrayList<>(nodes.size());
    List<Node> kept = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      java.util.LinkedHashSet<Integer> src = new java.util.LinkedHashSet<>();
      for (int in : n.inputs()) {
        if (nodes.get(in).primitive() != null) {
          src.add(newIndex[in]);
        } else {
          for (int s : visibleSources.get(in)) {
            src.add(s);
          }
        }
      }
      int[] srcArr = src.stream().mapToInt(Integer::intValue).toArray();
      visibleSources.add(srcArr);
      if (n.primitive() != null) {
        newIndex[i] = kept.size();
        kept.add(n.withInputs(srcArr));
      } else {
        newIndex[i] = -1;
      }
    }
    if (nodes.get(nodes.size() - 1).primitive() == null) {
      throw new IllegalStateException(
          "the output node " + nodes.get(nodes.size() - 1) + " has no primitive");
    }
    return new Graph(kept, nCells);
  }

  @Override
  public String toString() {
    return "Graph[" + nodes.size() + " nodes, " + numParams() + " params, " + nCells + " cells]";
  }
}
