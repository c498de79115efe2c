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

class PairedDifferenceTest {

  @TempDir Path tmp;

  /**
   * Writes {@code <variant>.eval.csv} with one test net per accuracy (net names net0, net1, ...).
   */
  private void eval(String variant, double... acc) throws IOException {
    List<Evaluator.NetResult> rows = new ArrayList<>();
    for (int i = 0; i < acc.length; i++) {
      rows.add(new Evaluator.NetResult("test", "net" + i, 1000, 10, acc[i], 0.1, 1));
    }
    Files.writeString(tmp.resolve(variant + ".eval.csv"), EvalResults.csv(rows));
  }

  private static RecipeStudy.Outcome run(String variant) {
    return new RecipeStudy.Outcome(
        variant, "gatedgnn", 1, 64, true, true, true, 0, 15, 20, 700, 2, 3, 1000, 0, 0);
  }

  @Test
  void pairsRunsBySeedAndNet() throws IOException {
    eval("m1@s1", 10, 20, 30);
    eval("m1@s2", 12, 18, 33);
    eval("cos@s1", 12, 23, 31); // +2, +3, +1: mean 2, sample sd 1, s.e. 1/sqrt(3)
    eval("cos@s2", 12, 17, 30); //  0, -1, -3: mean -4/3
    eval("cos@s3", 50, 50, 50); // no base run at seed 3: left out
    eval("lr@s2", 13, 19, 34); // +1 at every net
    List<PairedDifference> p =
        PairedDifference.against(
            "m1",
            List.of(
                run("m1@s1"),
                run("m1@s2"),
                run("cos@s1"),
                run("cos@s2"),
                run("cos@s3"),
                run("lr@s2")),
            tmp);
    assertEquals(List.of("cos", "lr"), p.stream().map(PairedDifference::recipe).toList());
    PairedDifference cos = p.get(0);
    assertEquals(List.of(1, 2), cos.seeds());
    assertEquals(2, cos.seedDiffs().get(0), 1e-9);
    assertEquals(-4.0 / 3, cos.seedDiffs().get(1), 1e-9);
    assertEquals(1 / Math.sqrt(3), cos.seedNetStdErrs().get(0), 1e-9);
    assertEquals((2 - 4.0 / 3) / 2, cos.meanDiff(), 1e-9);
    // two seeds: s.e. over seeds = |d1 - d2| / 2
    assertEquals((2 + 4.0 / 3) / 2, cos.seedStdErr(), 1e-9);
    assertEquals(1, cos.ahead());
    PairedDifference lr = p.get(1);
    assertEquals(1, lr.meanDiff(), 1e-9);
    assertEquals(0, lr.seedNetStdErrs().get(0), 1e-9);
    assertTrue(Double.isNaN(lr.seedStdErr()), "one seed: no spread over seeds");
  }

  @Test
  void namesTheFilesWhenTheNetsDiffer() throws IOException {
    eval("m1@s1", 10, 20, 30);
    eval("cos@s1", 12, 23);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PairedDifference.against("m1", List.of(run("m1@s1"), run("cos@s1")), tmp));
    assertTrue(
        e.getMessage().contains("cos@s1.eval.csv") && e.getMessage().contains("2 vs 3 nets"),
        e.getMessage());
  }
}
