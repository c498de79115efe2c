package ghn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.Node;
import ghn4j.graph.ParamSpec;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GHN-3 graph built from an ONNX dataflow ({@link Ghn3Dataflow}, {@link Ghn3Rules}) on small
 * hand-built models: decomposed LayerNorm and GELU, attention, positional embedding, layer scale
 * and class token, squeeze-and-excitation against SiLU; and reading {@code .onnx.gz}.
 */
class Ghn3DataflowTest {

  @TempDir Path tmp;

  /** ONNX opset-14 LayerNorm over the last axis of {@code x}, as torch exports it. */
  private static String layerNorm(TinyOnnx t, String module, String x, long c) {
    String axes = "axes";
    String mean = t.node("ReduceMean", module + "/mean", new String[] {x}, axes, new long[] {-1});
    String sub = t.node("Sub", module + "/sub", new String[] {x, mean});
    String pow = t.node("Pow", module + "/pow", new String[] {sub, t.constant(2f)});
    String var = t.node("ReduceMean", module + "/var", new String[] {pow}, axes, new long[] {-1});
    String eps = t.node("Add", module + "/eps", new String[] {var, t.constant(1e-6f)});
    String std = t.node("Sqrt", module + "/sqrt", new String[] {eps});
    String div = t.node("Div", module + "/div", new String[] {sub, std});
    String mul =
        t.node("Mul", module + "/mul", new String[] {div, t.weight(module + ".weight", c)});
    return t.node("Add", module + "/add", new String[] {mul, t.weight(module + ".bias", c)});
  }

  /** A linear layer on the last axis: MatMul by the transposed weight, then the bias added. */
  private static String linear(
      TinyOnnx t, String module, String x, long in, long out, String w, String b) {
    String wt =
        t.node(
            "Transpose",
            module + "/wt",
            new String[] {t.weight(module + "." + w, out, in)},
            "perm",
            new long[] {1, 0});
    String mm = t.node("MatMul", module + "/mm", new String[] {x, wt});
    return t.node("Add", module + "/bias", new String[] {t.weight(module + "." + b, out), mm});
  }

  private static String gelu(TinyOnnx t, String name, String x) {
    String d = t.node("Div", name + "/div", new String[] {x, t.constant(1.4142135f)});
    String e = t.node("Erf", name + "/erf", new String[] {d});
    String a = t.node("Add", name + "/add", new String[] {e, t.constant(1f)});
    String m = t.node("Mul", name + "/mul", new String[] {x, a});
    return t.node("Mul", name + "/half", new String[] {m, t.constant(0.5f)});
  }

  /**
   * Patch embedding of a 3×8×8 image into 4 tokens of width 8: Conv 4×4 stride 4, flatten,
   * transpose.
   */
  private static String tokens(TinyOnnx t) {
    String c = t.conv("patch", "input", 3, 8, 4, 4, 0, 1, true);
    String r = t.node("Reshape", "flat", new String[] {c, t.ints("flat.shape", 1, 8, 4)});
    return t.node("Transpose", "tok", new String[] {r}, "perm", new long[] {0, 2, 1});
  }

  private static Graph build(TinyOnnx t, String out) {
    return Ghn3Dataflow.build(t.model(out), "tiny");
  }

  private static List<String> primitives(Graph g) {
    List<String> p = new ArrayList<>();
    for (Node n : g.nodes()) {
      p.add(n.primitive().refName());
    }
    return p;
  }

  private static Node named(Graph g, String name) {
    return g.nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node " + name + " in " + g.nodes()));
  }

  private static int index(Graph g, String name) {
    return g.nodes().indexOf(named(g, name));
  }

  @Test
  void layerNormGeluAndMlpBecomeLnAndLinearLayers() {
    TinyOnnx t = new TinyOnnx(14, 3, 8, 8);
    String x = tokens(t);
    String ln = layerNorm(t, "ln", x, 8);
    String h = gelu(t, "gelu", linear(t, "fc1", ln, 8, 16, "weight", "bias"));
    String y = linear(t, "fc2", h, 16, 8, "weight", "bias");
    String out = t.node("Add", "res", new String[] {x, y});
    Graph g = build(t, out);
    assertEquals(
        List.of("input", "conv", "bias", "ln", "conv", "bias", "conv", "bias", "sum"),
        primitives(g));
    Node norm = named(g, "ln.weight");
    assertEquals(
        List.of(
            new ParamSpec("ln.weight", new int[] {8}, true),
            new ParamSpec("ln.bias", new int[] {8}, false)),
        norm.params(),
        "the LayerNorm owns weight and bias");
    assertArrayEquals(
        new int[] {16, 8}, named(g, "fc1.weight").shape(), "a linear weight is [out, in]");
    assertArrayEquals(
        new int[] {index(g, "fc1.bias")}, named(g, "fc2.weight").inputs(), "GELU is not seen");
    assertArrayEquals(
        new int[] {index(g, "patch.bias"), index(g, "fc2.bias")},
        g.node(g.size() - 1).inputs(),
        "the residual sum");
  }

  @Test
  void attentionIsAnMsaBetweenItsProjections() {
    TinyOnnx t = new TinyOnnx(14, 3, 8, 8);
    String x = tokens(t);
    String qkv = linear(t, "attn", x, 8, 24, "in_proj_weight", "in_proj_bias");
    String[] parts =
        t.multi("Split", "qkv", 3, new String[] {qkv, t.ints("qkv.split", 8, 8, 8)}, "axis", -1L);
    String kt = t.node("Transpose", "kt", new String[] {parts[1]}, "perm", new long[] {0, 2, 1});
    String scores = t.node("MatMul", "scores", new String[] {parts[0], kt});
    String attn = t.node("Softmax", "softmax", new String[] {scores}, "axis", -1L);
    String ctx = t.node("MatMul", "ctx", new String[] {attn, parts[2]});
    String out = linear(t, "attn.out_proj", ctx, 8, 8, "weight", "bias");
    Graph g = build(t, out);
    assertEquals(
        List.of("input", "conv", "bias", "conv", "bias", "msa", "conv", "bias"), primitives(g));
    int msa = index(g, "softmax_out");
    assertArrayEquals(new int[] {index(g, "attn.in_proj_bias")}, g.node(msa).inputs());
    assertArrayEquals(
        new int[] {msa},
        named(g, "attn.out_proj.weight").inputs(),
        "fix_softmax_edges: the values' edge that bypasses the msa is dropped");
    assertEquals(
        List.of(new ParamSpec("attn.in_proj_weight", new int[] {24, 8}, true)),
        named(g, "attn.in_proj_weight").params());
  }

  @Test
  void classTokenAndLayerScaleAreNotNodesPositionalEmbeddingIs() {
    TinyOnnx t = new TinyOnnx(14, 3, 8, 8);
    String x = tokens(t);
    String cls =
        t.node(
            "Expand",
            "cls",
            new String[] {t.weight("class_token", 1, 1, 8), t.ints("cls.shape", 1, 1, 8)});
    String cat = t.node("Concat", "cat", new String[] {cls, x}, "axis", 1L);
    String pos =
        t.node("Add", "pos", new String[] {cat, t.weight("encoder.pos_embedding", 1, 5, 8)});
    String scaled = t.node("Mul", "scale", new String[] {pos, t.weight("block.layer_scale", 8)});
    String out = layerNorm(t, "norm", scaled, 8);
    Graph g = build(t, out);
    assertEquals(List.of("input", "conv", "bias", "pos_enc", "sum", "ln"), primitives(g));
    Node pe = named(g, "encoder.pos_embedding");
    assertArrayEquals(
        new int[] {1, 8, 2, 2}, pe.shape(), "[1, tokens, dim] is shown 4-D as ghn3 does");
    assertArrayEquals(
        new int[] {1, 5, 8}, pe.params().get(0).shape(), "the parameter keeps its shape");
    assertEquals(0, pe.inputCount(), "ghn3 links the input to weights only");
    assertTrue(
        g.params().stream()
            .noneMatch(p -> p.name().equals("class_token") || p.name().equals("block.layer_scale")),
        "left for the GHN not to predict");
  }

  @Test
  void excitationIsCseAndItsPoolIsDroppedButSiluIsAnActivation() {
    TinyOnnx t = new TinyOnnx(14, 3, 8, 8);
    String c = t.conv("stem", "input", 3, 8, 3, 1, 1, 1, false);
    String silu =
        t.node("Mul", "silu", new String[] {c, t.node("Sigmoid", "sig", new String[] {c})});
    String sq = t.node("GlobalAveragePool", "squeeze", new String[] {silu});
    String f1 = t.conv("se.fc1", sq, 8, 4, 1, 1, 0, 1, true);
    String f2 = t.conv("se.fc2", t.node("Relu", "r", new String[] {f1}), 4, 8, 1, 1, 0, 1, true);
    String gate = t.node("HardSigmoid", "gate", new String[] {f2}, "alpha", 1f / 6, "beta", 0.5f);
    String se = t.node("Mul", "excite", new String[] {silu, gate});
    String pool = t.node("GlobalAveragePool", "pool", new String[] {se});
    String flat = t.node("Flatten", "flatten", new String[] {pool}, "axis", 1L);
    String out =
        t.node(
            "Gemm",
            "fc",
            new String[] {flat, t.weight("fc.weight", 10, 8), t.weight("fc.bias", 10)},
            "transB",
            1L);
    Graph g = build(t, out);
    assertEquals(
        List.of("input", "conv", "conv", "bias", "conv", "bias", "cse", "glob_avg", "conv", "bias"),
        primitives(g));
    assertArrayEquals(
        new int[] {index(g, "stem.weight")},
        named(g, "se.fc1.weight").inputs(),
        "the squeeze pool is contracted; SiLU is not a gate");
    assertArrayEquals(
        new int[] {index(g, "stem.weight"), index(g, "se.fc2.bias")},
        named(g, "excite_out").inputs());
  }

  @Test
  void poolsAsGhn3SeesThem() {
    TinyOnnx t = new TinyOnnx(14, 3, 8, 8);
    String c = t.conv("c", "input", 3, 4, 3, 1, 1, 1, false);
    String mp =
        t.node(
            "MaxPool",
            "mp",
            new String[] {c},
            "kernel_shape",
            new long[] {3, 3},
            "strides",
            new long[] {2, 2},
            "pads",
            new long[] {1, 1, 1, 1});
    String ap =
        t.node(
            "AveragePool",
            "ap",
            new String[] {mp},
            "kernel_shape",
            new long[] {2, 2},
            "strides",
            new long[] {2, 2});
    String adaptive =
        t.node(
            "AveragePool",
            "adaptive",
            new String[] {ap},
            "kernel_shape",
            new long[] {1, 1},
            "strides",
            new long[] {1, 1});
    String flat = t.node("Flatten", "flatten", new String[] {adaptive}, "axis", 1L);
    String out =
        t.node(
            "Gemm",
            "fc",
            new String[] {flat, t.weight("fc.weight", 10, 16), t.weight("fc.bias", 10)},
            "transB",
            1L);
    Graph g = build(t, out);
    assertEquals(
        List.of("input", "conv", "max_pool", "avg_pool", "glob_avg", "conv", "bias"),
        primitives(g));
    assertArrayEquals(new int[] {1, 1, 3, 3}, named(g, "mp_out").shape());
    assertArrayEquals(new int[] {1, 1, 2, 2}, named(g, "ap_out").shape());
    assertEquals(null, named(g, "adaptive_out").shape());
  }

  /**
   * The two routes agree: on every ONNX fixture net (CNNs the executable importer takes:
   * MobileNetV2 with its linear bottlenecks, ResNet-18, SqueezeNet 1.1 with its concatenations and
   * 1×1 classifier) the dataflow graph is isomorphic to the GHN-3 graph derived from the executable
   * import, with the same parameters per node.
   */
  @Test
  void dataflowAndExecutableRoutesAgreeOnTheOnnxFixtures() throws IOException {
    Path dir =
        Fixtures.require(
            Fixtures.dir().toAbsolutePath().normalize().resolveSibling("onnx").resolve("onnx"),
            "ONNX fixtures");
    List<Path> files;
    try (var s = Files.list(dir)) {
      files = s.filter(f -> f.toString().endsWith(".onnx")).sorted().toList();
    }
    assertTrue(files.size() >= 3, files.toString());
    for (Path f : files) {
      Graph a = Ghn3Graphs.read(f);
      Graph b = Ghn3Graphs.of(OnnxModel.read(f));
      GraphIsomorphism.Result iso = GraphIsomorphism.compare(a, b);
      assertTrue(iso.isomorphic(), f + ": " + iso.message());
      int[] map = iso.mapping();
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.node(i).params(), b.node(map[i]).params(), f + " node " + a.node(i).name());
      }
      assertEquals(a.numParams(), b.numParams(), f.toString());
    }
  }

  @Test
  void readsGzipAndRefusesOtherCompressionsByName() throws IOException {
    TinyOnnx t = new TinyOnnx(14, 3, 8, 8);
    String out = t.conv("c", "input", 3, 4, 3, 1, 1, 1, true);
    Path plain = t.write(tmp, "m.onnx", out);
    Path gz = tmp.resolve("m.onnx.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(plain, o);
    }
    OnnxModel a = OnnxModel.read(plain);
    OnnxModel b = OnnxModel.read(gz);
    assertEquals(a.graph().nodes(), b.graph().nodes());
    assertArrayEquals(a.initializerValues("c.weight"), b.initializerValues("c.weight"));
    assertEquals(primitives(Ghn3Graphs.read(plain)), primitives(Ghn3Graphs.read(gz)));
    Path zst = tmp.resolve("m.onnx.zst");
    byte[] body = Files.readAllBytes(plain);
    byte[] z = new byte[body.length + 4];
    z[0] = 0x28;
    z[1] = (byte) 0xb5;
    z[2] = 0x2f;
    z[3] = (byte) 0xfd;
    System.arraycopy(body, 0, z, 4, body.length);
    Files.write(zst, z);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(zst));
    assertTrue(
        e.getMessage().contains("zstd") && e.getMessage().contains(zst.toString()), e.getMessage());
    Path truncated = tmp.resolve("cut.onnx.gz");
    byte[] whole = Files.readAllBytes(gz);
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    e = assertThrows(IllegalArgumentException.class, () -> OnnxModel.read(truncated));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }
}
