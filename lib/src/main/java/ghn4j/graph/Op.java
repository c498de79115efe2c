package ghn4j.graph;

/**
 * What a node computes when the network runs (a convolution with its stride and padding, a ReLU, a
 * sum, ...). The executor in {@code ghn4j.nn} gives each kind its meaning. A node read from a
 * reference graph file has no op: such a graph can be read by a GHN but not run.
 */
public interface Op {

  /**
   * A short stable name of the op kind, used in JSON and error messages (e.g. {@code "conv"},
   * {@code "relu"}).
   */
  String kind();
}
