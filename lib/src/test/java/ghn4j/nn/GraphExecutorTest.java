package ghn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ghn4j.graph.Graph;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.testing.Fixtures;
import ghn4j.zoo.GraphBuilder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GraphExecutorTest {

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /**
   * input [N,2,6,6] → conv 3×3 → BN → ReLU → max-pool (pad 1) → conv 1×1 + bias → residual sum →
   * GAP → fc.
   */
  static Graph tiny() {
    GraphBuilder b = new GraphBuilder();
    int x = b.conv("c1", 2, 3, 3, 1, 1, 1, b.input());
    x = b.batchNorm("bn", 3, x);
    x = b.activation("relu", x);
    int p = b.maxPool("pool", 3, 2, 1, x);
    int y = b.conv("c2", 3, 3, 1, 1, 0, 1, p);
    y = b.bias("c2", 3, y);
    int s = b.sum("add", p, y);
    s = b.activation("gelu", s);
    s = b.globalAvgPool("gap", s);
    s = b.flatten(s);
    b.linear("fc", 3, 4, s);
    return b.build();
  }

  private static NDArray randomInput(NDManager m, DataType dtype, long seed, long... shape) {
    int n = (int) new Shape(shape).size();
    double[] v = new Random(seed).doubles(n, -1, 1).toArray();
    return Tensors.fromDoubles(m, v, new Shape(shape), dtype);
  }

  @Test
  void gradientsReachParametersAndMatchFiniteDifferences() {
    Graph g = tiny();
    GraphExecutor exec = new GraphExecutor(g);
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g, 5, m, DataType.FLOAT64);
      NDArray x = randomInput(m, DataType.FLOAT64, 1, 3, 2, 6, 6);
      NDArray target = randomInput(m, DataType.FLOAT64, 2, 3, 4);
      params.values().forEach(a -> a.setRequiresGradient(true));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = exec.forward(x, params, Mode.batchStats());
        gc.backward(logits.mul(target).sum());
      }
      String[] names = {
        "c1.weight", "bn.weight", "bn.bias", "c2.weight", "c2.bias", "fc.weight", "fc.bias"
      };
      for (String name : names) {
        NDArray grad = params.get(name).getGradient();
        double[] analytic = grad.toDoubleArray();
        double[] values = params.get(name).toDoubleArray();
        // central differences on up to 3 entries of each parameter
        for (int idx = 0; idx < Math.min(3, values.length); idx++) {
          double h = 1e-6;
          double up = lossWith(exec, x, target, params, name, values, idx, +h);
          double down = lossWith(exec, x, target, params, name, values, idx, -h);
          double numeric = (up - down) / (2 * h);
          assertEquals(
              numeric,
              analytic[idx],
              1e-6 * Math.max(1, Math.abs(numeric)),
              name + "[" + idx + "]");
        }
        assertTrue(
            java.util.Arrays.stream(analytic).anyMatch(a -> a != 0), name + " got a zero gradient");
      }
    }
  }

  private static double lossWith(
      GraphExecutor exec,
      NDArray x,
      NDArray target,
      Map<String, NDArray> params,
      String name,
      double[] values,
      int idx,
      double h) {
    try (NDManager m = x.getManager().newSubManager()) {
      double[] v = values.clone();
      v[idx] += h;
      Map<String, NDArray> p = new HashMap<>(params);
      p.put(name, m.create(v, params.get(name).getShape()));
      NDArray xi = x.duplicate();
      xi.attach(m);
      try (NDArray logits = exec.forward(xi, p, Mode.batchStats());
          NDArray prod = logits.mul(target);
          NDArray sum = prod.sum()) {
        return sum.getDouble();
      }
    }
  }

  @Test
  void intermediatesAreFreedAndNothingLeaksOver200Passes() {
    Graph g = tiny();
    GraphExecutor exec = new GraphExecutor(g);
    try (NDManager base = manager.newSubManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g, 1, base, DataType.FLOAT32);
      int baseCount = base.getManagedArrays().size();
      for (int i = 0; i < 200; i++) {
        try (NDManager step = base.newSubManager()) {
          NDArray x = randomInput(step, DataType.FLOAT32, i, 2, 2, 6, 6);
          NDArray out = exec.forward(x, params, Mode.batchStats());
          // only the input and the output are left in the step's manager
          assertEquals(2, step.getManagedArrays().size(), "arrays left after forward pass " + i);
          assertEquals(new Shape(2, 4), out.getShape());
        }
        assertEquals(baseCount, base.getManagedArrays().size(), "base manager grew at pass " + i);
      }
    }
  }

  @Test
  void nonExecutableGraphNamesTheNode() {
    Graph ref = ReferenceGraphJson.read(Fixtures.dir().resolve("graphs/resnet18.json"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GraphExecutor(ref));
    assertTrue(e.getMessage().contains("node 0 (input) has no op"), e.getMessage());
  }

  @Test
  void missingAndUnexpectedParametersAreNamed() {
    Graph g = tiny();
    GraphExecutor exec = new GraphExecutor(g);
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> params =
          new LinkedHashMap<>(ParamInit.torchvision(g, 1, m, DataType.FLOAT32));
      NDArray x = m.zeros(new Shape(1, 2, 6, 6));
      NDArray bias = params.remove("c2.bias");
      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class, () -> exec.forward(x, params, Mode.batchStats()));
      assertTrue(missing.getMessage().contains("missing parameter c2.bias"), missing.getMessage());
      params.put("c2.bias", bias);
      params.put("c3.weight", bias);
      IllegalArgumentException unexpected =
          assertThrows(
              IllegalArgumentException.class, () -> exec.forward(x, params, Mode.batchStats()));
      assertTrue(
          unexpected.getMessage().contains("unexpected parameter c3.weight"),
          unexpected.getMessage());
      params.remove("c3.weight");
      params.put("fc.bias", m.zeros(new Shape(5)));
      IllegalArgumentException shape =
          assertThrows(
              IllegalArgumentException.class, () -> exec.forward(x, params, Mode.batchStats()));
      assertTrue(shape.getMessage().contains("fc.bias"), shape.getMessage());
    }
  }

  @Test
  void kernelFailureNamesTheNode() {
    Graph g = tiny();
    GraphExecutor exec = new GraphExecutor(g);
    try (NDManager m = manager.newSubManager()) {
      Map<String, NDArray> params = ParamInit.torchvision(g, 1, m, DataType.FLOAT32);
      NDArray wrongChannels = m.zeros(new Shape(1, 5, 6, 6));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> exec.forward(wrongChannels, params, Mode.batchStats()));
      assertTrue(e.getMessage().contains("c1.weight"), e.getMessage());
      assertEquals(
          1, m.getManagedArrays().size() - params.size(), "intermediates freed after a failure");
    }
  }

  @Test
  void trainableNetworkLearnsWithAnOptimizerAndKeepsRunningStatistics() {
    Graph g = tiny();
    try (NDManager m = manager.newSubManager();
        TrainableNetwork net = TrainableNetwork.create(g, m, DataType.FLOAT32, 3)) {
      assertEquals(
          g.numParams(),
          net.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum());
      NDArray x = randomInput(m, DataType.FLOAT32, 11, 8, 2, 6, 6);
      NDArray y = randomInput(m, DataType.FLOAT32, 12, 8, 4);
      Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build();
      double first = Double.NaN;
      double last = Double.NaN;
      for (int step = 0; step < 30; step++) {
        try (NDManager s = m.newSubManager()) {
          NDArray xs = x.duplicate();
          xs.attach(s);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = net.forward(xs, true);
            NDArray loss = out.sub(y).square().mean();
            gc.backward(loss);
            last = loss.getFloat();
            if (step == 0) {
              first = last;
            }
          }
        }
        for (Parameter p : net.parameters().values()) {
          NDArray grad = p.getArray().getGradient();
          sgd.update(p.getId(), p.getArray(), grad);
          grad.close();
        }
      }
      assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
      // running statistics moved away from their initial values (mean 0, var 1)
      double[] mean =
          net.bnState().runningMean("bn.weight").toType(DataType.FLOAT64, false).toDoubleArray();
      assertTrue(Math.abs(mean[0]) > 1e-3, "running mean not updated");
      try (NDManager s = m.newSubManager()) {
        NDArray xs = x.get(new NDIndex("0:2"));
        xs.attach(s);
        assertEquals(new Shape(2, 4), net.forward(xs, false).getShape());
      }
    }
  }
}
