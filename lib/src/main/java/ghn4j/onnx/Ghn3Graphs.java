package ghn4j.onnx;

import ghn4j.graph.Graph;

/**
 * The graph GHN-3 reads for an imported ONNX model: ghn3's {@code Graph(model)} differs from ppuda's (see
 * docs/differences.md); this applies ghn3's rules to the graph {@link OnnxImporter} builds the ppuda way.
 */
public final class Ghn3Graphs {

  private Ghn3Graphs() {}

  /** The GHN-3 graph of {@code model} (not executable: only the nodes GHN-3 sees). */
  public static Graph of(OnnxModel model) {
    return model.graph().primitiveView();
  }
}
