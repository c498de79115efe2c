package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SelfCheckTest {

  @Test
  void countsWhatHoldsAndThrowsNamingWhatDoesNot() {
    SelfCheck c = new SelfCheck();
    c.check(true, "one");
    c.check(1 + 1 == 2, "two");
    assertEquals(2, c.count());
    assertEquals("self-check passed: 2 invariants", c.passed());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> c.check(false, "the table has 4 rows"));
    assertEquals("self-check: the table has 4 rows", e.getMessage());
    assertEquals(2, c.count());
  }

  @Test
  void aboveChanceIsTenPercentPlusTwoStandardErrors() {
    assertEquals(10 + 200 * 0.3 / 10, SelfCheck.aboveChance(100), 1e-12); // √(0.09/100) = 0.03
    assertEquals(10.6, SelfCheck.aboveChance(10_000), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> SelfCheck.aboveChance(0));
  }
}
