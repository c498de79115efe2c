package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.nn.Devices;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.nn.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer on small models built with the protobuf builders: op mappings, numerics, and the
 * error messages.
 */
class OnnxImportTest {

  @TempDir Path dir;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = Devices.newManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** Primitive names of the GHN's view, in order. */
  private static List<String> primitives(Graph g) {
    List<String> out = new ArrayList<>();
    for (Node n : g.primitiveView().nodes()) {
      out.add(n.primitive().refName());
    }
    return out;
  }

  /**
   * The model's parameters from its initializers (transposed where the binding says so), float64.
   */
  private Map<String, NDArray> params(OnnxModel m) {
    Map<String, NDArray> p = new HashMap<>();
    Map<String, int[]> shapes = new HashMap<>();
    for (ParamSpec s : m.graph().params()) {
      shapes.put(s.name(), s.shape());
    }
    for (ParamBinding b : m.bindings()) {
      float[] f = m.initializerValues(b.initializer());
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      int[] s = shapes.get(b.param());
      NDArray a;
      if (b.transposed()) {
        try (NDArray t = Tensors.fromDoubles(manager, d, new Shape(s[1], s[0]), DataType.FLOAT64)) {
          a = t.transpose().duplicate();
        }
      } else {
        a =
            Tensors.fromDoubles(
                manager,
                d,
                new Shape(java.util.Arrays.stream(s).asLongStream().toArray()),
                DataType.FLOAT64);
      }
      p.put(b.param(), a);
    }
    return p;
  }

  private NDArray input(long... shape) {
    Random r = new Random(3);
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
    }
    return Tensors.fromDoubles(manager, v, new Shape(shape), DataType.FLOAT64);
  }

  private double[] run(OnnxModel m, NDArray x) {
    return new GraphExecutor(m.graph()).forward(x, params(m), Mode.batchStats()).toDoubleArray();
  }

  /** conv-BN-ReLU, global pooling, flatten, then a linear layer written as {@code linear}. */
  private TinyOnnx classifier(int opset, String linear) {
    TinyOnnx t = new TinyOnnx(opset, 3, 8, 8);
    String x = t.conv("conv1", "input", 3, 4, 3, 1, 1, 1, false);
    x = t.bn("bn1", x, 4);
    x = t.node("Relu", "relu", new String[] {x});
    x = t.node("GlobalAveragePool", "pool", new String[] {x});
    x = t.node("Flatten", "flatten", new String[] {x}, "axis", 1L);
    switch (linear) {
      case "gemm" ->
          t.node(
              "Gemm",
              "fc",
              new String[] {x, t.weight("fc.weight", 5, 4), t.weight("fc.bias", 5)},
              "transB",
              1L);
      case "gemm-transB0" ->
          t.node(
              "Gemm", "fc", new String[] {x, t.weight("fc.weight", 4, 5), t.weight("fc.bias", 5)});
      default -> {
        String mm = t.node("MatMul", "fc_mm", new String[] {x, t.weight("fc.weight", 4, 5)});
        t.node("Add", "fc", new String[] {mm, t.weight("fc.bias", 5)});
      }
    }
    return t;
  }

  @Test
  void convBnPoolLinearIsPpudasGraph() {
    OnnxModel m = OnnxModel.read(classifier(13, "gemm").write(dir, "net.onnx", "fc_out"));
    Graph g = m.graph();
    assertEquals(List.of("input", "conv", "bn", "glob_avg", "conv", "bias"), primitives(g));
    Graph v = g.primitiveView();
    assertArrayEquals(new int[] {4, 3, 3, 3}, v.node(1).shape());
    assertEquals("conv1.weight", v.node(1).name());
    assertEquals(
        List.of(
            new ParamSpec("bn1.weight", new int[] {4}, true),
            new ParamSpec("bn1.bias", new int[] {4}, false)),
        v.node(2).params());
    assertArrayEquals(new int[] {5, 4}, v.node(4).shape());
    assertEquals("fc.bias", v.node(5).name());
    assertEquals(4 * 27 + 8 + 20 + 5, g.numParams());
    assertEquals(13, m.opset());
    assertEquals("input", m.inputName());
    assertArrayEquals(new long[] {1, 3, 8, 8}, m.inputShape());
    assertTrue(g.isExecutable());
    assertArrayEquals(
        new long[] {2, 5},
        new GraphExecutor(g)
            .forward(input(2, 3, 8, 8), params(m), Mode.batchStats())
            .getShape()
            .getShape());
  }

  @Test
  void gemmAndMatMulAddAreTheSameLinearLayer() {
    OnnxModel gemm = OnnxModel.read(classifier(13, "gemm").write(dir, "gemm.onnx", "fc_out"));
    OnnxModel matmul = OnnxModel.read(classifier(13, "matmul").write(dir, "matmul.onnx", "fc_out"));
    OnnxModel gemm0 =
        OnnxModel.read(classifier(13, "gemm-transB0").write(dir, "gemm0.onnx", "fc_out"));
    for (OnnxModel m : List.of(matmul, gemm0)) {
      assertTrue(
          GraphIsomorphism.compare(gemm.graph().primitiveView(), m.graph().primitiveView())
              .isomorphic());
      assertEquals(gemm.graph().params(), m.graph().params());
      assertTrue(
          m.bindings().stream().anyMatch(b -> b.param().equals("fc.weight") && b.transposed()));
    }
    assertFalse(gemm.bindings().stream().anyMatch(ParamBinding::transposed));
    // MatMul stores the transpose: same random stream, so compare each against its own reference
    // computation
    NDArray x = input(2, 3, 8, 8);
    double[] y = run(matmul, x);
    double[] pooled = pooledFeatures(matmul, x);
    float[] w = matmul.initializerValues("fc.weight"); // [in 4, out 5]
    float[] b = matmul.initializerValues("fc.bias");
    for (int n = 0; n < 2; n++) {
      for (int o = 0; o < 5; o++) {
        double s = b[o];
        for (int i = 0; i < 4; i++) {
          s += pooled[n * 4 + i] * w[i * 5 + o];
        }
        assertEquals(s, y[n * 5 + o], 1e-9);
      }
    }
  }

  /** The network up to the flatten, computed by our executor on a truncated graph. */
  private double[] pooledFeatures(OnnxModel m, NDArray x) {
    Graph g = m.graph();
    int flatten = -1;
    for (int i = 0; i < g.size(); i++) {
      if (g.node(i).op() instanceof Ops.Flatten || g.node(i).op() instanceof Ops.GlobalAvgPool) {
        flatten = i;
        break;
      }
    }
    List<Node> head = new ArrayList<>(g.nodes().subList(0, flatten + 1));
    Graph h = Graph.of(head, 1);
    Map<String, NDArray> p = new HashMap<>(params(m));
    p.keySet().retainAll(h.params().stream().map(ParamSpec::name).toList());
    return new GraphExecutor(h).forward(x, p, Mode.batchStats()).toDoubleArray();
  }

  /** Input → conv → {@code act} → conv (so that the activation sits between two GHN nodes). */
  private OnnxModel withActivation(int opset, String kind) {
    TinyOnnx t = new TinyOnnx(opset, 3, 4, 4);
    String x = t.conv("c1", "input", 3, 3, 1, 1, 0, 1, false);
    switch (kind) {
      case "silu" ->
          x = t.node("Mul", "silu", new String[] {x, t.node("Sigmoid", "sig", new String[] {x})});
      case "hardswish-decomposed" ->
          x =
              t.node(
                  "Mul",
                  "hs",
                  new String[] {
                    x,
                    t.node(
                        "HardSigmoid",
                        "hsig",
                        new String[] {x},
                        "alpha",
                        (float) (1.0 / 6),
                        "beta",
                        0.5f)
                  });
      case "hardswish" -> x = t.node("HardSwish", "hs", new String[] {x});
      case "relu6" -> x = t.node("Clip", "clip", new String[] {x, t.constant(0), t.constant(6)});
      case "relu-clip" -> x = t.node("Clip", "clip", new String[] {x, t.constant(0)});
      case "clip-other" ->
          x = t.node("Clip", "clip", new String[] {x, t.constant(-1), t.constant(1)});
      default -> throw new IllegalArgumentException(kind);
    }
    t.conv("c2", x, 3, 2, 1, 1, 0, 1, false);
    return OnnxModel.read(t.write(dir, kind + ".onnx", "c2_out"));
  }

  @Test
  void decomposedActivationsBecomeOneInvisibleNode() {
    Map<String, java.util.function.DoubleUnaryOperator> fns =
        Map.of(
            "silu", v -> v / (1 + Math.exp(-v)),
            "hardswish-decomposed", v -> v * Math.min(Math.max(v + 3, 0), 6) / 6,
            "hardswish", v -> v * Math.min(Math.max(v + 3, 0), 6) / 6,
            "relu6", v -> Math.min(Math.max(v, 0), 6),
            "relu-clip", v -> Math.max(v, 0));
    for (Map.Entry<String, java.util.function.DoubleUnaryOperator> e : fns.entrySet()) {
      OnnxModel m = withActivation(e.getKey().equals("hardswish") ? 14 : 13, e.getKey());
      Graph g = m.graph();
      assertEquals(
          4,
          g.size(),
          e.getKey() + ": input, conv, one activation, conv (the gate node is dropped)");
      assertNull(g.node(2).primitive(), e.getKey());
      assertEquals(List.of("input", "conv", "conv"), primitives(g), e.getKey());
      // numerics: our executor against the formula applied to c1's output
      NDArray x = input(1, 3, 4, 4);
      Map<String, NDArray> p = params(m);
      double[] c1;
      Graph head = Graph.of(g.nodes().subList(0, 2), 1);
      c1 =
          new GraphExecutor(head)
              .forward(x, Map.of("c1.weight", p.get("c1.weight")), Mode.batchStats())
              .toDoubleArray();
      Graph upToAct = Graph.of(g.nodes().subList(0, 3), 1);
      double[] act =
          new GraphExecutor(upToAct)
              .forward(x, Map.of("c1.weight", p.get("c1.weight")), Mode.batchStats())
              .toDoubleArray();
      for (int i = 0; i < c1.length; i++) {
        assertEquals(e.getValue().applyAsDouble(c1[i]), act[i], 1e-9, e.getKey() + " at " + i);
      }
    }
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> withActivation(13, "clip-other"));
    assertTrue(ex.getMessage().contains("node 'clip' (Clip)"), ex.getMessage());
    assertTrue(ex.getMessage().contains("neither ReLU nor ReLU6"), ex.getMessage());
  }

  @Test
  void squeezeAndExcitationIsAnInvisibleChannelScale() {
    TinyOnnx t = new TinyOnnx(13, 3, 6, 6);
    String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, false);
    String s = t.node("GlobalAveragePool", "se_pool", new String[] {x});
    s = t.conv("se.fc1", s, 4, 2, 1, 1, 0, 1, true);
    s = t.node("Relu", "se_relu", new String[] {s});
    s = t.conv("se.fc2", s, 2, 4, 1, 1, 0, 1, true);
    s =
        t.node(
            "HardSigmoid", "se_gate", new String[] {s}, "alpha", (float) (1.0 / 6), "beta", 0.5f);
    x = t.node("Mul", "se_mul", new String[] {s, x}); // torchvision: scale * input
    t.conv("c2", x, 4, 2, 1, 1, 0, 1, false);
    OnnxModel m = OnnxModel.read(t.write(dir, "se.onnx", "c2_out"));
    assertEquals(
        List.of("input", "conv", "glob_avg", "conv", "bias", "conv", "bias", "conv"),
        primitives(m.graph()));
    Node mul =
        m.graph().nodes().stream().filter(n -> n.name().equals("se_mul")).findFirst().orElseThrow();
    assertTrue(mul.op() instanceof Ops.ChannelScale);
    assertNull(mul.primitive(), "ppuda's cse test does not fire on torchvision's SE blocks");
    // the view: c1 feeds both the SE branch and (through the product) c2; the gate's bias feeds c2
    Graph v = m.graph().primitiveView();
    assertEquals(List.of(1, 6), java.util.Arrays.stream(v.node(7).inputs()).boxed().toList());
    NDArray out =
        new GraphExecutor(m.graph()).forward(input(2, 3, 6, 6), params(m), Mode.batchStats());
    assertArrayEquals(new long[] {2, 2, 6, 6}, out.getShape().getShape());
  }

  @Test
  void reduceMeanKeepsGlobAvgOnlyWithKeptDims() {
    for (int opset : new int[] {13, 18}) {
      for (long keep : new long[] {0, 1}) {
        TinyOnnx t = new TinyOnnx(opset, 3, 4, 4);
        String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, false);
        x =
            opset < 18
                ? t.node(
                    "ReduceMean",
                    "mean",
                    new String[] {x},
                    "axes",
                    new long[] {2, 3},
                    "keepdims",
                    keep)
                : t.node(
                    "ReduceMean",
                    "mean",
                    new String[] {x, t.ints("axes" + keep, -2, -1)},
                    "keepdims",
                    keep);
        if (keep == 1) {
          x = t.node("Flatten", "flat", new String[] {x}, "axis", 1L);
        }
        t.node(
            "Gemm",
            "fc",
            new String[] {x, t.weight("fc.weight", 3, 4), t.weight("fc.bias", 3)},
            "transB",
            1L);
        OnnxModel m = OnnxModel.read(t.write(dir, "mean" + opset + keep + ".onnx", "fc_out"));
        // x.mean([2, 3]) has keepdim=False: ppuda's filter drops it (MNASNet, ShuffleNetV2 have no
        // glob_avg node)
        assertEquals(
            keep == 1
                ? List.of("input", "conv", "glob_avg", "conv", "bias")
                : List.of("input", "conv", "conv", "bias"),
            primitives(m.graph()),
            "opset " + opset + " keepdims " + keep);
        double[] y = run(m, input(2, 3, 4, 4));
        assertEquals(6, y.length);
      }
    }
  }

  @Test
  void densenetStylePadFoldsIntoAveragePoolAndSingleConcatIsInvisible() {
    TinyOnnx t = new TinyOnnx(13, 3, 8, 8);
    String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, false);
    String one = t.node("Concat", "cat1", new String[] {x}, "axis", 1L);
    String pads = t.ints("pads", 0, 0, 1, 1, 0, 0, 1, 1);
    String padded = t.node("Pad", "pad", new String[] {one, pads}, "mode", "constant");
    String pool =
        t.node(
            "AveragePool",
            "pool",
            new String[] {padded},
            "kernel_shape",
            new long[] {2, 2},
            "strides",
            new long[] {2, 2},
            "pads",
            new long[] {0, 0, 0, 0},
            "ceil_mode",
            0L);
    String c2 = t.conv("c2", pool, 4, 4, 1, 1, 0, 1, false);
    t.node("Concat", "cat2", new String[] {pool, c2}, "axis", 1L);
    OnnxModel m = OnnxModel.read(t.write(dir, "dense.onnx", "cat2_out"));
    assertEquals(List.of("input", "conv", "avg_pool", "conv", "concat"), primitives(m.graph()));
    Node avg =
        m.graph().nodes().stream()
            .filter(n -> n.op() instanceof Ops.AvgPool)
            .findFirst()
            .orElseThrow();
    assertEquals(new Ops.AvgPool(2, 2, 1, true), avg.op());
    assertArrayEquals(new int[] {1, 1, 2, 2}, avg.shape());
    NDArray y =
        new GraphExecutor(m.graph()).forward(input(1, 3, 8, 8), params(m), Mode.batchStats());
    assertArrayEquals(new long[] {1, 8, 5, 5}, y.getShape().getShape());
  }

  @Test
  void shuffleNetSplitAndChannelShuffleWithShapeArithmetic() {
    for (int opset : new int[] {11, 13}) {
      TinyOnnx t = new TinyOnnx(opset, 3, 4, 4);
      String x = t.conv("c1", "input", 3, 4, 1, 1, 0, 1, false);
      // x1, x2 = x.chunk(2, dim=1): Split with an attribute before opset 13, with an input since
      String[] halves =
          opset < 13
              ? t.multi(
                  "Split", "split", 2, new String[] {x}, "axis", 1L, "split", new long[] {2, 2})
              : t.multi("Split", "split", 2, new String[] {x, t.ints("sizes", 2, 2)}, "axis", 1L);
      String b = t.conv("c2", halves[1], 2, 2, 1, 1, 0, 1, false);
      String cat = t.node("Concat", "cat", new String[] {halves[0], b}, "axis", 1L);
      // channel_shuffle(cat, 2) as torch exports it: sizes from Shape/Gather, view, transpose, view
      String shape = t.node("Shape", "shape", new String[] {cat});
      String n0 = t.node("Gather", "g0", new String[] {shape, t.ints("i0", 0)}, "axis", 0L);
      String c = t.node("Gather", "g1", new String[] {shape, t.ints("i1", 1)}, "axis", 0L);
      String cpg = t.node("Div", "div", new String[] {c, t.ints("two", 2)});
      String five =
          t.node(
              "Concat",
              "shape5",
              new String[] {n0, t.ints("groups", 2), cpg, t.ints("hw", 4, 4)},
              "axis",
              0L);
      String v = t.node("Reshape", "view", new String[] {cat, five});
      String tr =
          t.node("Transpose", "transpose", new String[] {v}, "perm", new long[] {0, 2, 1, 3, 4});
      String four =
          t.node(
              "Concat",
              "shape4",
              new String[] {n0, t.ints("minus1", -1), t.ints("hw2", 4, 4)},
              "axis",
              0L);
      String sh = t.node("Reshape", "view2", new String[] {tr, four});
      t.conv("c3", sh, 4, 2, 1, 1, 0, 1, false);
      OnnxModel m = OnnxModel.read(t.write(dir, "shuffle" + opset + ".onnx", "c3_out"));
      assertEquals(List.of("input", "conv", "conv", "concat", "conv"), primitives(m.graph()));
      Node shuffle =
          m.graph().nodes().stream()
              .filter(n -> n.op() instanceof Ops.ChannelShuffle)
              .findFirst()
              .orElseThrow();
      assertEquals(new Ops.ChannelShuffle(2), shuffle.op());
      // numerics of the shuffle: channel order 0, 2, 1, 3 of the concatenation
      int at = m.graph().nodes().indexOf(shuffle);
      Graph upToCat = Graph.of(m.graph().nodes().subList(0, at), 1);
      Graph upToShuffle = Graph.of(m.graph().nodes().subList(0, at + 1), 1);
      Map<String, NDArray> p = params(m);
      p.remove("c3.weight");
      NDArray in = input(1, 3, 4, 4);
      double[] before =
          new GraphExecutor(upToCat).forward(in, p, Mode.batchStats()).toDoubleArray();
      double[] after =
          new GraphExecutor(upToShuffle).forward(in, p, Mode.batchStats()).toDoubleArray();
      int[] order = {0, 2, 1, 3};
      for (int ch = 0; ch < 4; ch++) {
        for (int k = 0; k < 16; k++) {
          assertEquals(before[order[ch] * 16 + k], after[ch * 16 + k], 0, "channel " + ch);
        }
      }
    }
  }

  @Test
  void groupedAndDilatedConvolutionsAndCeilModeMaxPool() {
    TinyOnnx t = new TinyOnnx(13, 3, 10, 10);
    String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, true);
    x = t.node("Relu", "r1", new String[] {x});
    x = t.conv("dw", x, 4, 4, 3, 1, 1, 4, false);
    x =
        t.node(
            "Conv",
            "dil",
            new String[] {x, t.weight("dil.weight", 4, 2, 3, 3)},
            "kernel_shape",
            new long[] {3, 3},
            "pads",
            new long[] {2, 2, 2, 2},
            "dilations",
            new long[] {2, 2},
            "group",
            2L);
    x =
        t.node(
            "MaxPool",
            "pool",
            new String[] {x},
            "kernel_shape",
            new long[] {3, 3},
            "strides",
            new long[] {2, 2},
            "ceil_mode",
            1L);
    OnnxModel m = OnnxModel.read(t.write(dir, "convs.onnx", x));
    assertEquals(
        List.of("input", "conv", "bias", "sep_conv", "dil_conv", "max_pool"),
        primitives(m.graph()));
    // PyTorch: ceil((10 - 3) / 2) + 1 = 5 with ceil_mode (floor mode: 4)
    Node pool = m.graph().node(m.graph().size() - 1);
    assertEquals(new Ops.MaxPool(3, 2, 0, true), pool.op());
    assertArrayEquals(new int[] {1, 1, 3, 3}, pool.shape());
    NDArray y =
        new GraphExecutor(m.graph()).forward(input(1, 3, 10, 10), params(m), Mode.batchStats());
    assertArrayEquals(new long[] {1, 4, 5, 5}, y.getShape().getShape());
  }

  @Test
  void externalAndTypedDataAreRead() throws IOException {
    OnnxMl.ModelProto base = classifier(17, "gemm").model("fc_out");
    OnnxMl.GraphProto.Builder g = base.getGraph().toBuilder();
    ByteBuffer all = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, float[]> expected = new HashMap<>();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      OnnxMl.TensorProto t = g.getInitializer(i);
      float[] v = OnnxTensors.floats(t, dir);
      expected.put(t.getName(), v);
      OnnxMl.TensorProto.Builder b = t.toBuilder().clearRawData();
      if (i % 2 == 0) {
        // external: location / offset / length relative to the model's folder
        int offset = all.position();
        for (float f : v) {
          all.putFloat(f);
        }
        b.setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
            .addExternalData(entry("location", "weights/net.bin"))
            .addExternalData(entry("offset", Integer.toString(offset)))
            .addExternalData(entry("length", Integer.toString(v.length * 4)));
      } else {
        for (float f : v) {
          b.addFloatData(f);
        }
      }
      g.setInitializer(i, b);
    }
    Files.createDirectories(dir.resolve("weights"));
    Files.write(
        dir.resolve("weights/net.bin"), java.util.Arrays.copyOf(all.array(), all.position()));
    Path f = dir.resolve("external.onnx");
    Files.write(f, base.toBuilder().setGraph(g).build().toByteArray());
    OnnxModel m = OnnxModel.read(f);
    assertEquals(17, m.opset());
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), m.initializerValues(e.getKey()), e.getKey());
    }
    assertEquals(
        OnnxModel.read(classifier(17, "gemm").write(dir, "inline.onnx", "fc_out")).graph().params(),
        m.graph().params());
    // a missing external file is named
    Files.delete(dir.resolve("weights/net.bin"));
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> m.initializerValues("conv1.weight"));
    assertTrue(
        ex.getMessage().contains("net.bin") && ex.getMessage().contains("does not exist"),
        ex.getMessage());
  }

  @Test
  void largeTensorsAreSkippedByTheImportAndReadOnDemand() throws IOException {
    TinyOnnx t = new TinyOnnx(13, 3, 8, 8);
    String x =
        t.conv(
            "big", "input", 3, 64, 3, 1, 1, 1,
            false); // 1,728 floats: more raw data than the import keeps
    t.node("GlobalAveragePool", "pool", new String[] {x});
    Path f = t.write(dir, "big.onnx", "pool_out");
    OnnxMl.ModelProto original = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(f));
    OnnxModel m = OnnxModel.read(f);
    assertEquals(
        List.of(new ParamSpec("big.weight", new int[] {64, 3, 3, 3}, true)), m.graph().params());
    assertEquals(original, m.proto());
    assertArrayEquals(
        OnnxTensors.floats(original.getGraph().getInitializer(0), dir),
        m.initializerValues("big.weight"));
  }

  private static OnnxMl.StringStringEntryProto entry(String k, String v) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  @Test
  void deduplicatedTensorsAreParametersOfTheirOwn() {
    // PyTorch's exporter writes equal tensors once and the others as Identity nodes named by their
    // own state_dict
    // name (all BatchNorm weights and biases of an untrained net)
    TinyOnnx t = new TinyOnnx(13, 3, 4, 4);
    String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, false);
    x = t.bn("bn1", x, 4);
    String w2 = t.node("Identity", "Identity_0", new String[] {"bn1.weight"});
    String b2 = t.node("Identity", "Identity_1", new String[] {"bn1.bias"});
    x = t.conv("c2", x, 4, 4, 3, 1, 1, 1, false);
    x =
        t.node(
            "BatchNormalization",
            "bn2",
            new String[] {
              x, w2, b2, t.weight("bn2.running_mean", 4), t.weight("bn2.running_var", 4)
            });
    OnnxModel m = OnnxModel.read(t.write(dir, "dedup.onnx", x));
    assertEquals(
        List.of(
            "c1.weight", "bn1.weight", "bn1.bias", "c2.weight", "Identity_0_out", "Identity_1_out"),
        m.graph().params().stream().map(ParamSpec::name).toList());
    assertTrue(m.bindings().contains(new ParamBinding("Identity_0_out", "bn1.weight", false)));
    assertArrayEquals(m.paramValues("bn1.weight"), m.paramValues("Identity_0_out"));
  }

  @Test
  void paramValuesUndoTheTransposeOfMatMulWeights() {
    OnnxModel gemm = OnnxModel.read(classifier(13, "gemm").write(dir, "g.onnx", "fc_out"));
    OnnxModel matmul = OnnxModel.read(classifier(13, "matmul").write(dir, "m.onnx", "fc_out"));
    float[] stored = matmul.initializerValues("fc.weight"); // [in 4, out 5]
    float[] w = matmul.paramValues("fc.weight"); // [out 5, in 4]
    for (int o = 0; o < 5; o++) {
      for (int i = 0; i < 4; i++) {
        assertEquals(stored[i * 5 + o], w[o * 4 + i]);
      }
    }
    assertArrayEquals(gemm.initializerValues("fc.weight"), gemm.paramValues("fc.weight"));
  }

  // -------------------------------------------------------------------------------------------------- errors

  @Test
  void unsupportedOpNamesFileNodeAndTheSupportedOps() {
    TinyOnnx t = new TinyOnnx(13, 3, 4, 4);
    String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, false);
    t.node("Softmax", "/head/Softmax", new String[] {x}, "axis", 1L);
    Path f = t.write(dir, "softmax.onnx", "/head/Softmax_out");
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(f));
    String msg = ex.getMessage();
    assertTrue(msg.startsWith(f + ": node '/head/Softmax' (Softmax) is not supported"), msg);
    assertTrue(
        msg.contains("supported ops: ")
            && msg.contains("BatchNormalization")
            && msg.contains("Conv"),
        msg);
  }

  @Test
  void foldedBatchNormIsDetectedWithTheExportAdvice() {
    TinyOnnx t = new TinyOnnx(13, 3, 4, 4);
    String x = t.conv("c1", "input", 3, 4, 3, 1, 1, 1, true);
    x = t.node("Relu", "r1", new String[] {x});
    String y = t.conv("c2", x, 4, 4, 3, 1, 1, 1, true);
    String s = t.node("Add", "residual", new String[] {y, x});
    Path f = t.write(dir, "folded.onnx", s);
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(f));
    String msg = ex.getMessage();
    assertTrue(msg.startsWith(f + ": likely exported with BatchNorm folded"), msg);
    assertTrue(msg.contains("'c2'") && msg.contains("Add 'residual'"), msg);
    assertTrue(
        msg.contains("training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False"), msg);
    // a net that really has no BatchNorm can be imported on purpose
    assertEquals(
        List.of("input", "conv", "bias", "conv", "bias", "sum"),
        primitives(OnnxModel.read(f, true).graph()));
    // a VGG-like folded net (an activation after every conv) is told by the names constant folding
    // gives
    TinyOnnx vgg = new TinyOnnx(13, 3, 4, 4);
    String v =
        vgg.node(
            "Conv",
            "/features/features.0/Conv",
            new String[] {
              "input", vgg.weight("onnx::Conv_17", 4, 3, 3, 3), vgg.weight("onnx::Conv_18", 4)
            },
            "kernel_shape",
            new long[] {3, 3},
            "pads",
            new long[] {1, 1, 1, 1});
    v = vgg.node("Relu", "r", new String[] {v});
    Path fv = vgg.write(dir, "folded-vgg.onnx", v);
    ex = assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(fv));
    assertTrue(
        ex.getMessage().contains("likely exported with BatchNorm folded")
            && ex.getMessage().contains("'onnx::Conv_17' by constant folding"),
        ex.getMessage());
    // BN-free nets with an activation after every biased convolution (SqueezeNet, VGG) are not
    // suspected
    TinyOnnx plain = new TinyOnnx(13, 3, 4, 4);
    String p = plain.conv("c1", "input", 3, 4, 3, 1, 1, 1, true);
    p = plain.node("Relu", "r1", new String[] {p});
    p = plain.conv("c2", p, 4, 4, 3, 1, 1, 1, true);
    p = plain.node("Relu", "r2", new String[] {p});
    p = plain.node("GlobalAveragePool", "pool", new String[] {p});
    assertEquals(
        List.of("input", "conv", "bias", "conv", "bias", "glob_avg"),
        primitives(OnnxModel.read(plain.write(dir, "plain.onnx", p)).graph()));
  }

  @Test
  void truncatedAndNonOnnxFilesAreRefused() throws IOException {
    byte[] good = classifier(13, "gemm").model("fc_out").toByteArray();
    Path truncated = dir.resolve("truncated.onnx");
    Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
    Path text = dir.resolve("notes.onnx");
    Files.writeString(text, "this is a text file, not a model\n");
    Path empty = dir.resolve("empty.onnx");
    Files.write(empty, new byte[0]);
    for (Path f : List.of(truncated, text, empty)) {
      IllegalArgumentException ex =
          assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(f));
      assertTrue(ex.getMessage().startsWith(f + ": not an ONNX model ("), ex.getMessage());
    }
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class, () -> OnnxModel.read(dir.resolve("absent.onnx")));
    assertTrue(missing.getMessage().endsWith("absent.onnx: no such file"), missing.getMessage());
  }

  @Test
  void wrongInputRankOrChannelsIsRefused() {
    TinyOnnx flat = new TinyOnnx(13, 784);
    flat.node(
        "Gemm",
        "fc",
        new String[] {"input", flat.weight("fc.weight", 10, 784), flat.weight("fc.bias", 10)},
        "transB",
        1L);
    Path f = flat.write(dir, "mlp.onnx", "fc_out");
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(f));
    assertEquals(
        f
            + ": input 'input' has shape [batch, 784] (rank 2); ghn4j imports image classifiers whose one "
            + "input is [N, 3, H, W]",
        ex.getMessage());
    TinyOnnx gray = new TinyOnnx(13, 1, 28, 28);
    gray.conv("c1", "input", 1, 4, 3, 1, 1, 1, false);
    Path g = gray.write(dir, "gray.onnx", "c1_out");
    ex = assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(g));
    assertTrue(ex.getMessage().contains("expected 3 channels"), ex.getMessage());
  }

  @Test
  void oldOpsetsAreRefusedWithAdvice() {
    Path f = classifier(9, "gemm").write(dir, "old.onnx", "fc_out");
    IllegalArgumentException ex =
        assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(f));
    assertTrue(ex.getMessage().contains("opset 9 is older than 11"), ex.getMessage());
  }
}
