package ghn4j.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KendallTauTest {

  @Test
  void perfectAndReversedOrder() {
    assertEquals(
        1.0, KendallTau.tauB(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-12);
    assertEquals(
        -1.0, KendallTau.tauB(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
  }

  @Test
  void handCountedWithoutTies() {
    // pairs: (0,1) D, (0,2) D, (3,4) D, the other 7 concordant: (7 - 3) / 10
    assertEquals(
        0.4, KendallTau.tauB(new double[] {1, 2, 3, 4, 5}, new double[] {3, 1, 2, 5, 4}), 1e-12);
  }

  @Test
  void handCountedWithTiesInEach() {
    // 4 concordant, 0 discordant, one pair tied in x, one tied in y: 4 / sqrt((6 - 1)(6 - 1)) = 0.8
    // (scipy: 0.8)
    assertEquals(0.8, KendallTau.tauB(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 3}), 1e-12);
  }

  @Test
  void pairTiedInBothCountsInBothDenominators() {
    // (0,1) tied in x and y; 2 concordant: 2 / sqrt((3 - 1)(3 - 1)) = 1
    assertEquals(1.0, KendallTau.tauB(new double[] {1, 1, 2}, new double[] {5, 5, 7}), 1e-12);
    // with a discordant pair: x=[1,1,2,3], y=[2,2,3,1]: C: (0,2),(1,2); D: (0,3),(1,3),(2,3); ties:
    // (0,1) both
    // (2 - 3) / sqrt(5 * 5) = -0.2
    assertEquals(
        -0.2, KendallTau.tauB(new double[] {1, 1, 2, 3}, new double[] {2, 2, 3, 1}), 1e-12);
  }

  @Test
  void constantInputIsNaNAndLengthsMustMatch() {
    assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
    assertThrows(
        IllegalArgumentException.class,
        () -> KendallTau.tauB(new double[] {1, 2}, new double[] {1}));
  }
}
