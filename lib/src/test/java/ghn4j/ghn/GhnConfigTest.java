package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Named construction of GHN configs and their JSON in ppuda's field names. */
class GhnConfigTest {

  @Test
  void presetsAreGhn2WithTheirDifferences() {
    GhnConfig g2 = GhnConfig.ghn2();
    assertEquals(
        new GhnConfig(
            new int[] {64, 64, 11, 11},
            10,
            GhnConfig.HypernetKind.GATEDGNN,
            GhnConfig.DecoderKind.CONV,
            false,
            false,
            false,
            32),
        GhnConfig.ghn1());
    assertEquals(
        new GhnConfig(
            new int[] {64, 64, 11, 11},
            10,
            GhnConfig.HypernetKind.MLP,
            GhnConfig.DecoderKind.CONV,
            true,
            true,
            true,
            32),
        GhnConfig.mlp());
    assertFalse(GhnConfig.mlp().gatedGnn());
    assertEquals(g2, GhnConfig.ghn2(), "presets are fresh values");
  }

  @Test
  void eachWithChangesOnlyItsField() {
    GhnConfig c = GhnConfig.ghn2().withMaxShape(16, 16, 3, 3).withNumClasses(4).withHid(8);
    assertEquals(
        new GhnConfig(
            new int[] {16, 16, 3, 3},
            4,
            GhnConfig.HypernetKind.GATEDGNN,
            GhnConfig.DecoderKind.CONV,
            true,
            true,
            true,
            8),
        c);
    assertArrayEquals(new int[] {16, 16, 3, 3}, c.maxShape());
    assertEquals(
        "{\"max_shape\":[16,16,3,3],\"num_classes\":4,\"hypernet\":\"gatedgnn\",\"decoder\":\"conv\","
            + "\"weight_norm\":true,\"ve\":true,\"layernorm\":true,\"hid\":8}",
        c.toJson().toString());
    assertEquals(c, GhnConfig.fromJson(c.toJson()));
    assertFalse(c.withVe(false).ve());
    assertFalse(c.withLayernorm(false).layernorm());
    assertFalse(c.withWeightNorm(false).weightNorm());
    assertEquals(
        "hypernet must be one of gatedgnn, mlp, got 'transformer'",
        assertThrows(
                IllegalArgumentException.class, () -> GhnConfig.HypernetKind.parse("transformer"))
            .getMessage());
    assertEquals(
        "decoder must be one of conv, got 'mlp'",
        assertThrows(IllegalArgumentException.class, () -> GhnConfig.DecoderKind.parse("mlp"))
            .getMessage());
  }
}
