package ghn4j.onnx;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The last step of the ONNX import: keeps the nodes that reach the output and applies ppuda's
 * filter (a sum or concatenation a GHN sees only when more than one distinct visible node feeds
 * it).
 */
final class GraphFinish {
  private final ImportContext cx;

  GraphFinish(ImportContext cx) {
    this.cx = cx;
  }

  /**
   * Keeps the nodes that reach {@code output}, then applies ppuda's filter to sums and
   * concatenations: such a node stays in the GHN's view only if more than one distinct visible node
   * feeds it (else it loses its primitive).
   */
  Graph finish(int output) {
    Node last = cx.nodes.get(output);
    if (last.op() instanceof Ops.Flatten
        && last.inputCount() == 1
        && cx.nodes.get(last.input(0)).op() instanceof Ops.AdaptiveAvgPool ap
        && ap.outH() == 1
        && ap.outW() == 1
        && consumers(last.input(0)) == 1) {
      // a net ending in global pooling + flatten (SqueezeNet): let the glob_avg node output [N, C]
      // itself, so that the
      // last node is one the GHN sees (ppuda's last node is that glob_avg)
      int pool = last.input(0);
      Node p = cx.nodes.get(pool);
      cx.nodes.set(
          pool,
          new Node(
              p.name(),
              p.primitive(),
              new Ops.GlobalAvgPool(),
              p.shape(),
              0,
              p.params(),
              p.inputs()));
      output = pool;
    }
    boolean[] live = new boolean[cx.nodes.size()];
    live[output] = true;
    for (int i = output; i >= 0; i--) {
      if (live[i]) {
        for (int s : cx.nodes.get(i).inputs()) {
          live[s] = true;
        }
      }
    }
    int[] newIndex = new int[cx.nodes.size()];
    List<Node> kept = new ArrayList<>();
    List<int[]> visible = new ArrayList<>();
    for (int i = 0; i <= output; i++) {
      if (!live[i]) {
        newIndex[i] = -1;
        continue;
      }
      Node n = cx.nodes.get(i);
      int[] in = n.inputs();
      for (int k = 0; k < in.length; k++) {
        in[k] = newIndex[in[k]];
      }
      Primitive prim = n.primitive();
      LinkedHashSet<Integer> src = new LinkedHashSet<>();
      for (int s : in) {
        if (kept.get(s).primitive() != null) {
          src.add(s);
        } else {
          for (int v : visible.get(s)) {
            src.add(v);
          }
        }
      }
      if ((prim == Primitive.SUM || prim == Primitive.CONCAT) && src.size() < 2) {
        prim = null;
      }
      newIndex[i] = kept.size();
      kept.add(new Node(n.name(), prim, n.op(), n.shape(), 0, n.params(), in));
      visible.add(src.stream().mapToInt(Integer::intValue).toArray());
    }
    if (kept.get(kept.size() - 1).primitive() == null) {
      throw new IllegalArgumentException(
          cx.file
              + ": the output is computed by "
              + kept.get(kept.size() - 1).op().kind()
              + ", a node a GHN does not see; ghn4j expects the network to end in a layer (a linear classifier, a "
              + "convolution or a pooling)");
    }
    return Graph.of(kept, 1);
  }

  /** How many graph nodes read node {@code k}. */
  private int consumers(int k) {
    int c = 0;
    for (Node n : cx.nodes) {
      for (int s : n.inputs()) {
        c += s == k ? 1 : 0;
      }
    }
    return c;
  }
}
