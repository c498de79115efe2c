package ghn4j.graph;

import java.util.Arrays;
import java.util.List;

/**
 * One node of a network graph.
 *
 * @param name the node's name: the {@code state_dict} name of its first parameter for nodes with
 *     parameters (as ppuda names them), otherwise a short op name
 * @param primitive the GHN node type, or {@code null} for nodes a GHN does not see (ReLU, flatten,
 *     ...): the primitive view of the graph contracts them away
 * @param op what the node computes when the network runs, or {@code null} in a graph read from a
 *     reference file
 * @param shape the shape the GHN's shape encoder sees (a parameter's shape, or {@code [1,1,k,k]}
 *     for pooling), or {@code null}
 * @param cell the index of the cell the node belongs to (0 for nets without cells)
 * @param params the parameters the node owns, in {@code state_dict} order (BN/LN: weight then bias)
 * @param inputs indices of the nodes feeding this one, in argument order; all smaller than this
 *     node's index
 */
public record Node(
    String name,
    Primitive primitive,
    Op op,
    int[] shape,
    int cell,
    List<ParamSpec> params,
    int[] inputs) {

  public Node {
    if (name == null) {
      throw new IllegalArgumentException("node name is null");
    }
    shape = shape == null ? null : shape.clone();
    params = List.copyOf(params);
    inputs = inputs.clone();
  }

  @Override
  public int[] shape() {
    return shape == null ? null : shape.clone();
  }

  @Override
  public int[] inputs() {
    return inputs.clone();
  }

  /** Number of inputs. */
  public int inputCount() {
    return inputs.length;
  }

  /** Input {@code k}. */
  public int input(int k) {
    return inputs[k];
  }

  /** The same node with other inputs (used when a graph is re-ordered or contracted). */
  public Node withInputs(int[] newInputs) {
    return new Node(name, primitive, op, shape, cell, params, newInputs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Node n
        && n.name.equals(name)
        && n.primitive == primitive
        && java.util.Objects.equals(n.op, op)
        && Arrays.equals(n.shape, shape)
        && n.cell == cell
        && n.params.equals(params)
        && Arrays.equals(n.inputs, inputs);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(inputs);
  }

  @Override
  public String toString() {
    return name
        + "("
        + (primitive == null ? (op == null ? "?" : op.kind()) : primitive.refName())
        + ")";
  }
}
