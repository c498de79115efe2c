package ghn4j.ghn;

import ghn4j.graph.EdgeList;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.VirtualEdges;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A meta-batch of graphs as the GHN consumes it: the primitive views of all graphs concatenated
 * into one node list (graph {@code g}'s node {@code i} is node {@code offset(g) + i}), the per-node
 * embedding rows, the edges (with virtual edges when the GHN uses them), the message-passing
 * schedule, and which node predicts which parameter. Pure Java: it holds no native memory.
 */
final class MetaBatch {

  /**
   * A node that writes parameters: its group key and the tensors it writes (BN/LN: weight then
   * bias).
   */
  record Target(int graph, int node, DecodeKey key, List<ParamSpec> params) {}

  private final List<Graph> views;
  private final int[] offsets;
  private final int n;
  private final long[] primitives;
  private final long[] channelRows;
  private final long[] spatialRows;
  private final EdgeList edges;
  private final List<Target> targets;

  private MetaBatch(List<Graph> views, GhnConfig config) {
    this.views = views;
    offsets = new int[views.size() + 1];
    for (int g = 0; g < views.size(); g++) {
      offsets[g + 1] = offsets[g] + views.get(g).size();
    }
    n = offsets[views.size()];
    primitives = new long[n];
    channelRows = new long[2 * n];
    spatialRows = new long[2 * n];
    ShapeVocabulary vocab = ShapeVocabulary.of(config);
    targets = new ArrayList<>();
    List<int[]> src = new ArrayList<>();
    List<int[]> dst = new ArrayList<>();
    List<int[]> dist = new ArrayList<>();
    int nEdges = 0;
    int sMax = config.ve() ? GhnConfig.VE_CUTOFF : 1;
    for (int g = 0; g < views.size(); g++) {
      Graph view = views.get(g);
      int off = offsets[g];
      int size = view.size();
      for (int i = 0; i < size; i++) {
        Node node = view.node(i);
        int v = off + i;
        primitives[v] = node.primitive().ordinal();
        int[] rows = vocab.encode(node.shape());
        channelRows[2 * v] = rows[0];
        channelRows[2 * v + 1] = rows[1];
        spatialRows[2 * v] = rows[2];
        spatialRows[2 * v + 1] = rows[3];
        if (!node.params().isEmpty()) {
          DecodeKey key =
              DecodeKey.of(node.params().get(0), i == size - 2, i == size - 1, config.maxShape());
          targets.add(new Target(g, v, key, node.params()));
        }
      }
      EdgeList e = VirtualEdges.compute(view, sMax);
      int[] s = e.src().clone();
      int[] d = e.dst().clone();
      for (int k = 0; k < s.length; k++) {
        s[k] += off;
        d[k] += off;
      }
      src.add(s);
      dst.add(d);
      dist.add(e.dist());
      nEdges += s.length;
    }
    int[] s = new int[nEdges];
    int[] d = new int[nEdges];
    int[] w = new int[nEdges];
    int k = 0;
    for (int g = 0; g < src.size(); g++) {
      System.arraycopy(src.get(g), 0, s, k, src.get(g).length);
      System.arraycopy(dst.get(g), 0, d, k, dst.get(g).length);
      System.arraycopy(dist.get(g), 0, w, k, dist.get(g).length);
      k += src.get(g).length;
    }
    edges = new EdgeList(s, d, w);
  }

  /** Builds the batch from the graphs' primitive views. */
  static MetaBatch of(List<Graph> graphs, GhnConfig config) {
    if (graphs.isEmpty()) {
      throw new IllegalArgumentException("predict needs at least one graph");
    }
    List<Graph> views = new ArrayList<>(graphs.size());
    for (Graph g : graphs) {
      views.add(g.primitiveView());
    }
    return new MetaBatch(views, config);
  }

  int size() {
    return n;
  }

  int graphCount() {
    return views.size();
  }

  int offset(int graph) {
    return offsets[graph];
  }

  int graphSize(int graph) {
    return offsets[graph + 1] - offsets[graph];
  }

  Graph view(int graph) {
    return views.get(graph);
  }

  long[] primitives() {
    return primitives;
  }

  long[] channelRows() {
    return channelRows;
  }

  long[] spatialRows() {
    return spatialRows;
  }

  /**
   * All edges of the batch in global node indices; dist 1 = real, > 1 = virtual (only when the GHN
   * uses them).
   */
  EdgeList edges() {
    return edges;
  }

  List<Target> targets() {
    return targets;
  }

  /** Targets grouped by key, keys in first-seen order (the order ppuda decodes them in). */
  Map<DecodeKey, List<Target>> groups(boolean includeClassLayers) {
    Map<DecodeKey, List<Target>> groups = new LinkedHashMap<>();
    for (Target t : targets) {
      if (!includeClassLayers && t.key().isClassLayer()) {
        continue;
      }
      groups.computeIfAbsent(t.key(), x -> new ArrayList<>()).add(t);
    }
    return groups;
  }
}
