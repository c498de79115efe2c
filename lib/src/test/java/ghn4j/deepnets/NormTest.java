package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * ppuda's {@code norm} names map to the three layers the builder knows; anything else is named in
 * the error.
 */
class NormTest {

  @Test
  void ppudaNames() {
    assertEquals(Norm.NONE, Norm.of(null));
    assertEquals(Norm.NONE, Norm.of(""));
    assertEquals(Norm.NONE, Norm.of("none"));
    assertEquals(Norm.BATCH_NORM, Norm.of("bn"));
    assertEquals(Norm.BATCH_NORM, Norm.of("bnorm"));
    assertEquals(Norm.BATCH_NORM_TRACKED, Norm.of("bn-track"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Norm.of("ln"));
    assertTrue(e.getMessage().contains("'ln'"), e.getMessage());
  }
}
