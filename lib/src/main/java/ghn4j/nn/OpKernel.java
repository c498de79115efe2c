package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ghn4j.graph.Node;
import java.util.List;

/**
 * The executor's extension point: computes one node from its input values and its parameter arrays.
 * One kernel serves one {@link ghn4j.graph.Op} record type; {@link KernelRegistry} maps op types to
 * kernels, so a new op needs a record in {@link ghn4j.graph.Ops} (or anywhere) and a kernel
 * registered for it, nothing else.
 *
 * <p>Contract: a kernel must not close its inputs or parameters; it must close every temporary
 * array it creates other than its result (the executor frees results once their last consumer has
 * run). The result normally belongs to the manager of the first input (DJL's rule: an op's result
 * belongs to its first operand's manager), so create temporaries from an input, not from a
 * parameter. Kernels must be stateless; per-run state comes through {@link Mode}.
 */
@FunctionalInterface
public interface OpKernel {

  /**
   * @param node the node being computed (its op carries the attributes)
   * @param inputs the values of the node's inputs, in {@link Node#inputs()} order
   * @param params the node's parameter arrays, in {@link Node#params()} order (weight, then bias)
   * @param mode batch statistics / training / evaluation
   * @return the node's value
   */
  NDArray apply(Node node, List<NDArray> inputs, List<NDArray> params, Mode mode);
}
