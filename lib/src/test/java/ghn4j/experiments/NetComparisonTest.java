package ghn4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetComparisonTest {

  @TempDir Path tmp;

  /** An eval CSV with one net per accuracy, in the given net order. */
  private Path eval(String name, String split, List<String> nets, double... acc)
      throws IOException {
    List<Evaluator.NetResult> rows = new ArrayList<>();
    for (int i = 0; i < acc.length; i++) {
      rows.add(new Evaluator.NetResult(split, nets.get(i), 1000, 10, acc[i], 0.1, 1));
    }
    Path p = tmp.resolve(name + ".csv");
    Files.writeString(p, EvalResults.csv(rows));
    return p;
  }

  @Test
  void pairsNetsByNameNotByRow() throws IOException {
    Path a = eval("a", "deep", List.of("deep/000", "deep/001", "deep/002"), 12, 23, 31);
    // the same nets in another order: +2, +3, +1 against A
    Path b = eval("b", "deep", List.of("deep/002", "deep/000", "deep/001"), 30, 10, 20);
    NetComparison c = NetComparison.of(a, b);
    assertEquals("deep", c.split());
    assertEquals(3, c.nets());
    assertEquals(22, c.meanA(), 1e-9);
    assertEquals(20, c.meanB(), 1e-9);
    assertEquals(2, c.diff(), 1e-9);
    assertEquals(1 / Math.sqrt(3), c.stdErr(), 1e-9); // sample sd 1 over 3 nets
    assertEquals(3, c.ahead());
    NetComparison back = NetComparison.of(b, a);
    assertEquals(-2, back.diff(), 1e-9);
    assertEquals(0, back.ahead());
  }

  @Test
  void differentNetsAreRefusedWithTheFiles() throws IOException {
    Path a = eval("a", "test", List.of("test/000", "test/001"), 10, 20);
    Path b = eval("b", "test", List.of("test/000", "test/002"), 10, 20);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NetComparison.of(a, b));
    assertTrue(
        e.getMessage().contains("a.csv") && e.getMessage().contains("b.csv"), e.getMessage());
  }
}
