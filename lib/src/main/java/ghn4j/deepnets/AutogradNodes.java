package ghn4j.deepnets;

/**
 * The values of the emulated autograd trace ({@link AutogradTrace}): parameters' {@code
 * AccumulateGrad} leaves, autograd nodes with their {@code next_functions}, and the nodes of
 * ppuda's graph before filtering.
 */
final class AutogradNodes {

  private AutogradNodes() {}

  /** Node names ppuda's positional tests look at. */
  static final String MUL = "MulBackward0";

  static final String CLONE = "CloneBackward0";
  static final String SOFTMAX = "SoftmaxBackward0";
  static final String HARDSWISH = "HardswishBackward0";

  /** Which module a parameter belongs to, as far as ppuda's walk cares. */
  enum Module {
    CONV,
    LINEAR,
    NORM,
    POS_ENC
  }

  /** A parameter's {@code AccumulateGrad} node. ppuda skips the biases of norm layers. */
  record Leaf(String name, Module module) {
    boolean skipped() {
      return module == Module.NORM && name.contains(".bias");
    }
  }

  /**
   * An autograd node: its type name and its {@code next_functions} ({@link Fn}, {@link Leaf} or
   * null for an input that needs no gradient); {@code call} is the walk's node call it stands for
   * when ppuda may show it, else -1.
   */
  record Fn(String name, Object[] next, int call) {}

  /** A node of ppuda's graph before filtering: a parameter or a parameter-free autograd node. */
  record TraceNode(String name, boolean linearWeight, boolean posEnc, int call) {}

  /** The input of the network: it needs no gradient. */
  static final Object NO_GRAD = new Object();

  /** A Linear whose bias, if any, comes with the next node of the walk. */
  record PendingLinear(Object input, int rank, Leaf weight) {}
}
