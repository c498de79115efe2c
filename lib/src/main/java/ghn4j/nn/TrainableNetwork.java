package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ghn4j.graph.Graph;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network trained directly (without a GHN): a graph, its parameters as DJL {@link Parameter}s
 * (initialised by {@link ParamInit#torchvision}), and its BatchNorm running statistics. Use it with
 * a DJL optimizer:
 *
 * <pre>{@code
 * try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
 *   NDArray logits = net.forward(x, true);
 *   gc.backward(loss(logits, y));
 * }
 * for (Parameter p : net.parameters().values()) {
 *   NDArray g = p.getArray().getGradient();
 *   optimizer.update(p.getId(), p.getArray(), g);
 *   g.close();
 * }
 * }</pre>
 *
 * Parameters and running statistics live in the manager given at creation; close the network (or
 * that manager) to free them.
 */
public final class TrainableNetwork implements AutoCloseable {

  private final GraphExecutor executor;
  private final Map<String, Parameter> parameters;
  private final Map<String, NDArray> arrays;
  private final BnState bnState;

  private TrainableNetwork(
      GraphExecutor executor, Map<String, Parameter> parameters, BnState bnState) {
    this.executor = executor;
    this.parameters = Collections.unmodifiableMap(parameters);
    Map<String, NDArray> a = new LinkedHashMap<>();
    parameters.forEach((k, p) -> a.put(k, p.getArray()));
    this.arrays = Collections.unmodifiableMap(a);
    this.bnState = bnState;
  }

  /**
   * A network for {@code graph} with seeded torchvision-style initial parameters in {@code
   * manager}.
   */
  public static TrainableNetwork create(Graph graph, NDManager manager, DataType dtype, long seed) {
    GraphExecutor executor = new GraphExecutor(graph);
    Map<String, Parameter> params = new LinkedHashMap<>();
    ParamInit.torchvision(graph, seed, manager, dtype)
        .forEach(
            (name, array) -> {
              array.setRequiresGradient(true);
              params.put(
                  name,
                  Parameter.builder()
                      .setName(name)
                      .setType(name.endsWith("bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT)
                      .optArray(array)
                      .optRequiresGrad(true)
                      .build());
            });
    return new TrainableNetwork(executor, params, BnState.initial(graph, manager, dtype));
  }

  /** The graph. */
  public Graph graph() {
    return executor.graph();
  }

  /** Parameters by state_dict name, in state_dict order. */
  public Map<String, Parameter> parameters() {
    return parameters;
  }

  /** Parameter arrays by state_dict name (the executor's input form). */
  public Map<String, NDArray> arrays() {
    return arrays;
  }

  /** The BatchNorm running statistics. */
  public BnState bnState() {
    return bnState;
  }

  /**
   * Forward pass: {@code training} uses batch statistics and updates the running ones (and applies
   * dropout); otherwise the running statistics are used.
   */
  public NDArray forward(NDArray input, boolean training) {
    return forward(input, training ? Mode.train(bnState) : Mode.eval(bnState));
  }

  /** Forward pass in an explicit mode (e.g. {@link Mode#batchStats()}). */
  public NDArray forward(NDArray input, Mode mode) {
    return executor.forward(input, arrays, mode);
  }

  /** Total number of trainable parameters. */
  public long numParams() {
    return executor.graph().numParams();
  }

  @Override
  public void close() {
    for (Parameter p : parameters.values()) {
      p.close();
    }
    for (String name : bnState.names()) {
      bnState.runningMean(name).close();
      bnState.runningVar(name).close();
    }
  }
}
