package ghn4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalResultsTest {

  private static final List<Evaluator.NetResult> ROWS =
      List.of(
          new Evaluator.NetResult("test", "test/000", 4_273_674, 183, 17.0, 1.2542, 5.718),
          new Evaluator.NetResult("deep", "deep/000", 1_000, 40, 12.5, 0.25, 1.5),
          new Evaluator.NetResult("test", "test/001", 3_553_738, 152, 13.0, 0.1507, 6.11));

  @Test
  void roundTripsWithADotDecimalPointInAnyLocale(@TempDir Path tmp) throws Exception {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY); // a comma decimal point would split the columns
    try {
      Path f = tmp.resolve("results.csv");
      Files.writeString(f, EvalResults.csv(ROWS));
      assertTrue(Files.readAllLines(f).get(1).contains(",17.00,1.2542,5.718"), Files.readString(f));
      assertEquals(ROWS, EvalResults.read(f));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void summarisesEachSplitInFirstSeenOrder() {
    Map<String, Evaluator.Summary> s = EvalResults.bySplit(ROWS);
    assertEquals(List.of("test", "deep"), List.copyOf(s.keySet()));
    assertEquals(2, s.get("test").nets());
    assertEquals(15.0, s.get("test").mean(), 1e-12);
    assertEquals(2.0 / Math.sqrt(2), s.get("test").stdErr(), 1e-12); // population std 2, n = 2
    assertEquals(1, s.get("deep").nets());
  }

  @Test
  void badFilesAreNamedWithTheProblem(@TempDir Path tmp) throws Exception {
    Path missing = tmp.resolve("none.csv");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> EvalResults.read(missing))
            .getMessage()
            .contains("none.csv: missing"));
    Path header = Files.writeString(tmp.resolve("header.csv"), "net,accuracy\nx,1\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> EvalResults.read(header))
            .getMessage()
            .contains("header.csv: not an eval results.csv"));
    Path truncated =
        Files.writeString(tmp.resolve("truncated.csv"), EvalResults.csv(ROWS).substring(0, 65));
    String m =
        assertThrows(IllegalArgumentException.class, () -> EvalResults.read(truncated))
            .getMessage();
    assertTrue(m.contains("truncated.csv line 2: bad row"), m);
  }
}
