package ghn4j.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Writes a graph in Graphviz DOT for drawing ({@code dot -Tsvg g.dot > g.svg}): one box per node
 * labelled with its name, primitive and shape, filled with a colour per primitive (convolutions in
 * blues, normalisations in greens, pooling in oranges, as ppuda's plots group them); nodes without
 * a primitive (ReLU, flatten, ...) are small grey ellipses labelled with their op. Pass {@link
 * Graph#primitiveView()} to draw what a GHN sees.
 */
public final class GraphDot {

  private GraphDot() {}

  /** Writes {@code graph} to {@code file} (via a temporary file, then renamed). */
  public static void write(Graph graph, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, toDot(graph));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The DOT text of {@code graph}. */
  public static String toDot(Graph graph) {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph G {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
    for (int i = 0; i < graph.size(); i++) {
      Node n = graph.node(i);
      sb.append("  n").append(i).append(" [");
      if (n.primitive() == null) {
        String op = n.op() == null ? "?" : n.op().kind();
        sb.append("label=\"")
            .append(escape(op))
            .append("\", shape=ellipse, style=filled, fillcolor=\"#dddddd\", ")
            .append("fontsize=8, height=0.2");
      } else {
        StringBuilder label =
            new StringBuilder(n.name()).append("\\n").append(n.primitive().refName());
        if (n.shape() != null) {
          label.append(' ').append(Arrays.toString(n.shape()));
        }
        sb.append("label=\"")
            .append(escape(label.toString()).replace("\\\\n", "\\n"))
            .append("\", shape=box, ")
            .append("style=\"filled,rounded\", fillcolor=\"")
            .append(colour(n.primitive()))
            .append('"');
      }
      sb.append("];\n");
    }
    for (int[] e : graph.edges()) {
      sb.append("  n").append(e[0]).append(" -> n").append(e[1]).append(";\n");
    }
    return sb.append("}\n").toString();
  }

  /** Fill colour of a primitive. */
  public static String colour(Primitive p) {
    return switch (p) {
      case CONV -> "#9ecae1";
      case SEP_CONV -> "#6baed6";
      case DIL_CONV -> "#4292c6";
      case BN -> "#a1d99b";
      case LN -> "#fff59d";
      case BIAS -> "#f0a0f0";
      case MAX_POOL -> "#fdae6b";
      case AVG_POOL -> "#fdd0a2";
      case GLOB_AVG -> "#e6550d";
      case SUM -> "#bcbddc";
      case CONCAT -> "#9e9ac8";
      case MSA -> "#fb6a4a";
      case CSE -> "#fcbba1";
      case POS_ENC -> "#c7e9c0";
      case INPUT -> "#ffffff";
    };
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
