package ghn4j.onnx;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph GHN-3 reads for an ONNX model (ghn3's {@code Graph(model)}, which differs from ppuda's:
 * see docs/differences.md). Two routes: {@link #read} builds it from the file's dataflow for any
 * net ({@link Ghn3Dataflow}); {@link #of(OnnxModel)} derives it from the executable ppuda-flavour
 * import, for the nets {@link OnnxImporter} takes (CNNs; not ViT or ConvNeXt), so that the same
 * model can also be run. Both end with ghn3's clean-up rules ({@link Ghn3Rules}); the graphs are
 * for the GHN only (contracted nodes cannot run).
 */
public final class Ghn3Graphs {

  private Ghn3Graphs() {}

  /** The GHN-3 graph of {@code model}. */
  public static Graph of(OnnxModel model) {
    return of(model.graph());
  }

  /**
   * The GHN-3 graph of an executable ppuda-flavour graph: SE products ({@code channel_scale}, which
   * ppuda leaves out) become {@code cse} nodes, then {@link Ghn3Rules} apply to the primitive view.
   */
  public static Graph of(Graph ppuda) {
    List<Node> nodes = new ArrayList<>(ppuda.nodes());
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.primitive() == null && n.op() != null && n.op().kind().equals("channel_scale")) {
        nodes.set(
            i, new Node(n.name(), Primitive.CSE, n.op(), null, n.cell(), n.params(), n.inputs()));
      }
    }
    List<Node> view = Graph.of(nodes, ppuda.nCells()).primitiveView().nodes();
    return Graph.of(Ghn3Rules.apply(view, hasSigmoidOrSwish(ppuda)), ppuda.nCells());
  }

  /**
   * The GHN-3 graph of ONNX file {@code file} (plain or gzip), built from its dataflow by {@link
   * Ghn3Dataflow}: the route for every net, including those the executable importer does not take
   * (ViT, ConvNeXt). Errors name the file.
   */
  public static Graph read(java.nio.file.Path file) {
    ai.onnx.proto.OnnxMl.ModelProto proto;
    try {
      proto = SkeletonReader.read(ModelBytes.read(file));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    return Ghn3Dataflow.build(proto, file.toString());
  }

  /**
   * ghn3's test: an op whose name contains "sigmoid" or "swish" (so not SiLU, whose autograd op is
   * SiluBackward).
   */
  static boolean hasSigmoidOrSwish(Graph g) {
    for (Node n : g.nodes()) {
      String kind = n.op() == null ? "" : n.op().kind();
      if (kind.contains("sigmoid") || kind.contains("swish")) {
        return true;
      }
    }
    return false;
  }

  /** {@code n} as a node the GHN does not see (contracted by the primitive view). */
  static Node hidden(Node n) {
    if (!n.params().isEmpty()) {
      throw new IllegalStateException(
          "node " + n.name() + " owns parameters; it cannot be hidden from the GHN");
    }
    return new Node(n.name(), null, n.op(), n.shape(), n.cell(), n.params(), n.inputs());
  }
}
