package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.graph.Graph;
import ghn4j.graph.Primitive;
import org.junit.jupiter.api.Test;

class PresetsAndSpecsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void vitHasPpudasParameterCount() {
    NetArgs vit = Presets.vit(10, false);
    assertEquals(1_012_234L, NetworkBuilder.countParams(vit));
    BuiltNetwork net = NetworkBuilder.build(vit);
    assertEquals(1_012_234L, net.liveParams());
    Graph view = net.graph().primitiveView();
    assertEquals("classifier.0.bias", view.node(view.size() - 1).name());
    assertEquals(Primitive.POS_ENC, view.node(2).primitive());
  }

  @Test
  void dartsAndPdartsBuild() {
    for (NetArgs a :
        new NetArgs[] {
          Presets.darts(10, false),
          Presets.pdarts(10, false),
          Presets.darts(1000, true),
          Presets.pdarts(1000, true)
        }) {
      BuiltNetwork net = NetworkBuilder.build(a);
      assertEquals(NetworkBuilder.countParams(a), net.numParams());
      assertEquals(net.numParams(), net.liveParams(), "DARTS-like nets have no dead ops");
      assertTrue(net.graph().isExecutable());
    }
  }

  @Test
  void parsesOpNamesLikePpuda() {
    assertEquals(new CellOp(CellOp.Kind.CONV2, 7, "conv_7x1_1x7"), CellOp.parse("conv_7x1_1x7"));
    assertEquals(CellOp.Kind.SEP_CONV, CellOp.parse("sep_conv_5x5").kind());
    assertEquals(5, CellOp.parse("dil_conv_5x5").ks());
    assertEquals(CellOp.Kind.MSA, CellOp.parse("msa").kind());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CellOp.parse("conv_9x9x"));
    assertTrue(e.getMessage().contains("conv_9x9x"), e.getMessage());
  }

  private static JsonNode net(String netArgs) throws Exception {
    return JSON.readTree(
        "{\"kind\":\"deepnets1m\",\"C\":16,\"num_classes\":10,\"net_args\":" + netArgs + "}");
  }

  private static final String GENOTYPE =
      "{\"normal\":[[\"conv_3x3\",0],[\"skip_connect\",1]],\"normal_concat\":[2],"
          + "\"reduce\":[[\"max_pool_3x3\",0],[\"avg_pool_3x3\",1]],\"reduce_concat\":[2]}";

  @Test
  void specErrorsNameTheField() throws Exception {
    NetArgs ok = NetSpecs.fromNetJson(net("{\"n_cells\":4,\"genotype\":" + GENOTYPE + "}"));
    assertEquals("bn-track", ok.norm());
    assertEquals(2, ok.cMult());
    assertEquals(
        null,
        NetSpecs.fromNetJson(net("{\"n_cells\":4,\"norm\":null,\"genotype\":" + GENOTYPE + "}"))
            .norm());

    assertMessage(() -> NetSpecs.fromNetJson(net("{\"genotype\":" + GENOTYPE + "}")), "n_cells");
    assertMessage(
        () -> NetSpecs.fromNetJson(net("{\"n_cells\":\"4\",\"genotype\":" + GENOTYPE + "}")),
        "n_cells");
    assertMessage(
        () ->
            NetSpecs.fromNetJson(
                net("{\"n_cells\":4,\"preproc\":1,\"genotype\":" + GENOTYPE + "}")),
        "preproc");
    assertMessage(
        () ->
            NetSpecs.fromNetJson(
                net(
                    "{\"n_cells\":4,\"genotype\":"
                        + GENOTYPE.replace("conv_3x3", "conv_3x3_wat")
                        + "}")),
        "conv_3x3_wat");
    assertMessage(
        () ->
            NetSpecs.fromNetJson(
                net(
                    "{\"n_cells\":4,\"genotype\":"
                        + GENOTYPE.replace("conv_3x3", "warp_3x3")
                        + "}")),
        "warp_3x3");
    assertMessage(
        () ->
            NetSpecs.fromNetJson(
                net(
                    "{\"n_cells\":4,\"genotype\":"
                        + GENOTYPE.replace("\"normal_concat\":[2]", "\"normal_concat\":[\"x\"]")
                        + "}")),
        "normal_concat");
    JsonNode entry =
        JSON.readTree(
            "{\"stem_type\":1,\"stem_pool\":false,\"norm\":\"bnorm\",\"preproc\":true,"
                + "\"fc_layers\":1,\"glob_avg\":true,\"genotype\":"
                + GENOTYPE
                + ",\"n_cells\":4,\"C_mult\":2,\"fc_dim\":256}");
    assertMessage(() -> NetSpecs.fromMetaEntry(entry, 32, 10, false), "ks");
  }

  private static void assertMessage(
      org.junit.jupiter.api.function.Executable call, String mustContain) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(
        e.getMessage().contains(mustContain),
        "message should name " + mustContain + ": " + e.getMessage());
  }
}
