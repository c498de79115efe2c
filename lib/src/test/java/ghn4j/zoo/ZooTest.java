package ghn4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.graph.Graph;
import ghn4j.graph.GraphIsomorphism;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import ghn4j.graph.ReferenceGraphJson;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structure of the zoo's graphs: parameter names, shapes, counts, and the primitive view against
 * ppuda's graph.
 */
class ZooTest {

  @Test
  void resnet18StateDictEqualsTorchvision() throws IOException {
    JsonNode net =
        new ObjectMapper().readTree(Fixtures.dir().resolve("nets/resnet18.json").toFile());
    List<ParamSpec> params = ResNet.resnet18(10).params();
    JsonNode sd = net.get("state_dict");
    assertEquals(sd.size(), params.size());
    for (int i = 0; i < sd.size(); i++) {
      assertEquals(sd.get(i).get(0).asText(), params.get(i).name(), "name of parameter " + i);
      int[] shape = new int[sd.get(i).get(1).size()];
      for (int k = 0; k < shape.length; k++) {
        shape[k] = sd.get(i).get(1).get(k).asInt();
      }
      assertEquals(
          Arrays.toString(shape), Arrays.toString(params.get(i).shape()), params.get(i).name());
    }
    assertEquals(net.get("num_params").asLong(), ResNet.resnet18(10).numParams());
  }

  @Test
  void resnet18PrimitiveViewIsIsomorphicToPpudasGraph() {
    Graph ours = ResNet.resnet18(10).primitiveView();
    Graph ref = ReferenceGraphJson.read(Fixtures.dir().resolve("graphs/resnet18.json"));
    GraphIsomorphism.Result r = GraphIsomorphism.compare(ours, ref);
    assertTrue(r.isomorphic(), r.message());
    // the mapping pairs parameter nodes with the same names
    int[] map = r.mapping();
    for (int i = 0; i < ours.size(); i++) {
      if (!ours.node(i).params().isEmpty()) {
        assertEquals(ours.node(i).name(), ref.node(map[i]).name());
      }
    }
  }

  @Test
  void isomorphismReportsDifferences() {
    Graph ref = ReferenceGraphJson.read(Fixtures.dir().resolve("graphs/resnet18.json"));
    GraphIsomorphism.Result r34 =
        GraphIsomorphism.compare(ResNet.resnet34(10).primitiveView(), ref);
    assertFalse(r34.isomorphic());
    assertTrue(r34.message().contains("node counts differ"), r34.message());

    // Same labels and sizes, one edge moved: the first block's residual comes from the stem conv
    // instead of its BN.
    Graph g = ResNet.resnet18(10).primitiveView();
    List<Node> nodes = new ArrayList<>(g.nodes());
    int sum = -1;
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).primitive() == Primitive.SUM) {
        sum = i;
        break;
      }
    }
    int[] in = nodes.get(sum).inputs();
    in[1] = 1; // conv1.weight instead of bn1.weight
    nodes.set(sum, nodes.get(sum).withInputs(in));
    GraphIsomorphism.Result moved = GraphIsomorphism.compare(Graph.of(nodes, 1), ref);
    assertFalse(moved.isomorphic());
    assertTrue(moved.message().contains("occurs"), moved.message());

    // Same structure, one shape changed: reported as a label count
    nodes = new ArrayList<>(g.nodes());
    Node fc = nodes.get(nodes.size() - 2);
    nodes.set(
        nodes.size() - 2,
        new Node(
            fc.name(), fc.primitive(), fc.op(), new int[] {11, 512}, 0, fc.params(), fc.inputs()));
    GraphIsomorphism.Result shape = GraphIsomorphism.compare(Graph.of(nodes, 1), ref);
    assertFalse(shape.isomorphic());
    assertTrue(shape.message().contains("conv[11, 512]"), shape.message());
  }

  /*
   * Expected parameter counts, 10 classes, after adjust_net (which for ResNets shrinks conv1 from 7×7 to 3×3:
   * 64·3·(49 − 9) = 7,680 fewer parameters; for VGG and MobileNetV2 it changes no parameter). BN layers hold 2·C.
   *
   * ResNet-18: conv1+bn1 1,728 + 128; layer1 2·(2·64·64·9 + 2·128) = 147,968; layer2 (64·128·9 + 128·128·9 +
   *   64·128 + 3·256) + (2·128·128·9 + 2·256) = 230,144 + 295,424 = 525,568; layer3 = 919,040 + 1,180,672 =
   *   2,099,712; layer4 = 3,673,088 + 4,720,640 = 8,393,728; fc 512·10 + 10 = 5,130 → 11,173,962 (the fixture's).
   * ResNet-34: stages 221,952 + 1,116,416 + 6,822,400 + 13,114,368, plus 1,856 stem and 5,130 fc → 21,282,122.
   * Bottleneck(in, planes, width w = planes·wpg/64): in·w + w·w·9 + w·4·planes + 2(2w + 4·planes) [+ in·4·planes +
   *   8·planes for the first block]. ResNet-50: 215,808 + 1,219,584 + 7,098,368 + 14,964,736 + 1,856 + fc 20,490
   *   = 23,520,842. ResNet-101: layer3 26,090,496 → 42,512,970. ResNet-152: layer2 2,339,840, layer3 40,613,888 →
   *   58,156,618. Wide-50-2 (wpg 128): 634,368 + 3,482,624 + 20,736,000 + 41,971,712 + 1,856 + 20,490 = 66,847,050.
   *   Wide-101-2: layer3 78,739,456 → 124,850,506.
   * Cross-check with torchvision's published 1000-class counts (fc 2048·1000 + 1000, or 512·1000 + 1000):
   *   25,557,032 − (2048·990 + 990) − 7,680 = 23,520,842; 11,689,512 − 507,870 − 7,680 = 11,173,962;
   *   21,797,672 → 21,282,122; 44,549,160 → 42,512,970; 60,192,808 → 58,156,618; 68,883,240 → 66,847,050;
   *   126,886,696 → 124,850,506.
   * VGG-BN: each conv in·out·9 + out (bias) + 2·out (BN); VGG-11 convs 9,225,984, VGG-16 convs 14,723,136;
   *   classifier 25088·4096 + 4096 + 4096·4096 + 4096 + 4096·10 + 10 = 119,586,826 → 128,812,810 and
   *   134,309,962 (torchvision 1000-class 132,868,840 and 138,365,992 minus 4096·990 + 990).
   * MobileNetV2: stem 3·32·9 + 64 = 928; inverted residuals 1,810,784; last conv 320·1280 + 2560 = 412,160;
   *   classifier 12,810 → 2,236,682 (torchvision 3,504,872 − (1280·990 + 990)).
   */
  static Stream<Arguments> counts() {
    return Stream.of(
        Arguments.of("resnet18", (Supplier<Graph>) () -> ResNet.resnet18(10), 11_173_962L),
        Arguments.of("resnet34", (Supplier<Graph>) () -> ResNet.resnet34(10), 21_282_122L),
        Arguments.of("resnet50", (Supplier<Graph>) () -> ResNet.resnet50(10), 23_520_842L),
        Arguments.of("resnet101", (Supplier<Graph>) () -> ResNet.resnet101(10), 42_512_970L),
        Arguments.of("resnet152", (Supplier<Graph>) () -> ResNet.resnet152(10), 58_156_618L),
        Arguments.of(
            "wide_resnet50_2", (Supplier<Graph>) () -> ResNet.wideResnet50_2(10), 66_847_050L),
        Arguments.of(
            "wide_resnet101_2", (Supplier<Graph>) () -> ResNet.wideResnet101_2(10), 124_850_506L),
        Arguments.of("vgg11_bn", (Supplier<Graph>) () -> Vgg.vgg11Bn(10), 128_812_810L),
        Arguments.of("vgg16_bn", (Supplier<Graph>) () -> Vgg.vgg16Bn(10), 134_309_962L),
        Arguments.of(
            "mobilenet_v2", (Supplier<Graph>) () -> MobileNetV2.mobilenetV2(10), 2_236_682L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("counts")
  void parameterCountsEqualTorchvision(String name, Supplier<Graph> build, long expected) {
    Graph g = build.get();
    assertEquals(expected, g.numParams(), name);
    // ends with the classifier: weight (conv primitive, linear op) then bias
    Graph view = g.primitiveView();
    Node w = view.node(view.size() - 2);
    Node b = view.node(view.size() - 1);
    assertEquals(Primitive.CONV, w.primitive());
    assertTrue(w.op() instanceof Ops.Linear);
    assertTrue(w.name().endsWith(".weight"));
    assertEquals(Primitive.BIAS, b.primitive());
    assertEquals(w.name().replace(".weight", ".bias"), b.name());
    assertEquals(10, b.shape()[0]);
    assertTrue(g.isExecutable());
  }

  @Test
  void largeInputVariantsKeepTheImagenetStem() {
    Graph r = ResNet.build(ResNet.RESNET18, 1000, true);
    assertEquals(11_689_512L, r.numParams()); // torchvision's resnet18
    assertEquals(1, r.nodes().stream().filter(n -> n.primitive() == Primitive.MAX_POOL).count());
    assertEquals(3_504_872L, MobileNetV2.build(1000, false).numParams());
    assertEquals(
        5,
        Vgg.vgg11Bn(10, true).nodes().stream()
            .filter(n -> n.primitive() == Primitive.MAX_POOL)
            .count());
  }

  @Test
  void vggAndMobileNetFollowAdjustNet() {
    Graph vgg = Vgg.vgg11Bn(10).primitiveView();
    // features[:10] of vgg11_bn hold the first two max-pools (indices 3 and 7): three remain
    assertEquals(3, vgg.nodes().stream().filter(n -> n.primitive() == Primitive.MAX_POOL).count());
    Node avg =
        vgg.nodes().stream()
            .filter(n -> n.primitive() == Primitive.GLOB_AVG)
            .findFirst()
            .orElseThrow();
    assertNull(avg.shape());
    assertEquals(
        8,
        vgg.nodes().stream().filter(n -> n.primitive() == Primitive.BIAS).count()
            - 3); // 8 conv biases

    Graph mn = MobileNetV2.mobilenetV2(10);
    long dw = mn.nodes().stream().filter(n -> n.primitive() == Primitive.SEP_CONV).count();
    assertEquals(17, dw); // one depthwise conv per inverted residual block
    assertEquals(10, mn.nodes().stream().filter(n -> n.primitive() == Primitive.SUM).count());
    int strided = 0;
    for (Node n : mn.nodes()) {
      if (n.op() instanceof Ops.Conv c && c.stride()[0] == 2) {
        strided++;
        assertTrue(
            n.name().startsWith("features.7.") || n.name().startsWith("features.14."), n.name());
      }
    }
    assertEquals(2, strided);
  }
}
