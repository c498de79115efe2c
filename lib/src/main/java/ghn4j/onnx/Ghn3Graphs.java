package ghn4j.onnx;

import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph GHN-3 reads for an imported ONNX model. ghn3's {@code Graph(model)} differs from ppuda's; this applies
 * ghn3's rules to the graph {@link OnnxImporter} builds the ppuda way, then contracts the nodes GHN-3 does not see:
 *
 * <ul>
 *   <li>{@code reduce_graph}: in a network with a sigmoid or (hard) swish activation ghn3 assumes channel-wise
 *       excitation and drops every global average pool but the classification head's (the last one): the squeeze of a
 *       squeeze-and-excitation block is not a node of its own;
 *   <li>the excitation's product (ppuda leaves it out) is a {@code cse} node fed by the block's input and the gate.
 * </ul>
 *
 * <p>The result is not executable (nodes were contracted away); run the ppuda-flavour {@link OnnxModel#graph()}.
 */
public final class Ghn3Graphs {

  private Ghn3Graphs() {}

  /** The GHN-3 graph of {@code model}. */
  public static Graph of(OnnxModel model) {
    return of(model.graph());
  }

  /** The GHN-3 graph of an executable ppuda-flavour graph (see the class comment). */
  public static Graph of(Graph ppuda) {
    List<Node> nodes = new ArrayList<>(ppuda.nodes());
    if (hasSigmoidOrSwish(ppuda)) {
      int head = -1;
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).primitive() == Primitive.GLOB_AVG) {
          head = i;
        }
      }
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).primitive() == Primitive.GLOB_AVG && i != head) {
          nodes.set(i, hidden(nodes.get(i)));
        }
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.primitive() == null && n.op() != null && n.op().kind().equals("channel_scale")) {
        nodes.set(i, new Node(n.name(), Primitive.CSE, n.op(), null, n.cell(), n.params(), n.inputs()));
      }
    }
    return Graph.of(nodes, ppuda.nCells()).primitiveView();
  }

  /**
   * The GHN-3 graph of ONNX file {@code file} (plain or gzip), built from its dataflow by {@link Ghn3Dataflow}: the
   * route for every net, including those the executable importer does not take (ViT, ConvNeXt). Errors name the file.
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

  /** ghn3's test: an op whose name contains "sigmoid" or "swish" (so not SiLU, whose autograd op is SiluBackward). */
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
      throw new IllegalStateException("node " + n.name() + " owns parameters; it cannot be hidden from the GHN");
    }
    return new Node(n.name(), null, n.op(), n.shape(), n.cell(), n.params(), n.inputs());
  }
}
