package ghn4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Activations are a closed set whose names are the JSON's (and ppuda's module names, lower-cased).
 */
class ActivationTest {

  @Test
  void namesRoundTripAndUnknownNamesAreRefused() {
    for (Ops.Activation.Fn f : Ops.Activation.Fn.values()) {
      Ops.Activation a = new Ops.Activation(f.jsonName());
      assertEquals(f, a.function());
      assertEquals(f.jsonName(), a.kind());
    }
    assertEquals("relu6", new Ops.Activation(Ops.Activation.Fn.RELU6).fn());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Ops.Activation("swish"));
    assertTrue(
        e.getMessage().contains("'swish'") && e.getMessage().contains("silu"), e.getMessage());
  }
}
