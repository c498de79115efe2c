package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.eval.Evaluator;
import ghn4j.experiments.PairedDifference;
import ghn4j.experiments.RecipeStudy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

class RecipeFiguresTest {

  @TempDir Path tmp;

  private static Path metrics(Path f, double... losses) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < losses.length; k++) {
      sb.append("{\"type\":\"step\",\"step\":")
          .append(k)
          .append(",\"loss\":")
          .append(losses[k])
          .append("}\n");
      if (k == 0) {
        sb.append("{\"type\":\"skipped\",\"step\":0}\n");
      }
    }
    Files.writeString(f, sb.toString());
    return f;
  }

  @Test
  void seedLossCurvesIgnoreASpikeOfOneRun() throws IOException {
    Map<String, List<Path>> byRecipe = new LinkedHashMap<>();
    byRecipe.put(
        "a",
        List.of(
            metrics(tmp.resolve("s1"), 2, 2, 1e11, 2, 2),
            metrics(tmp.resolve("s2"), 2.2, 2.2, 2.2, 2.2, 2.2),
            metrics(tmp.resolve("s3"), 2.1, 2.1, 2.1, 2.1, 2.1)));
    XYChart c = RecipeFigures.seedLossCurves("t", byRecipe, 3);
    for (double y : c.getSeriesMap().get("a (3 runs)").getYData()) {
      assertTrue(y >= 2 && y <= 2.2, "a spike of one run moves the median curve: " + y);
    }
  }

  @Test
  void seedLossCurvesMedianOfTheRunsUpToTheShortest() throws IOException {
    Map<String, List<Path>> byRecipe = new LinkedHashMap<>();
    byRecipe.put(
        "a", List.of(metrics(tmp.resolve("a1"), 2, 4, 6, 8), metrics(tmp.resolve("a2"), 4, 6, 8)));
    byRecipe.put("b", List.of(metrics(tmp.resolve("b1"), 1, 1)));
    XYChart c = RecipeFigures.seedLossCurves("t", byRecipe, 1);
    assertArrayEquals(new double[] {3, 5, 7}, c.getSeriesMap().get("a (2 runs)").getYData(), 1e-12);
    assertArrayEquals(new double[] {1, 2, 3}, c.getSeriesMap().get("a (2 runs)").getXData(), 1e-12);
    assertEquals(2, c.getSeriesMap().get("b (1 run)").getYData().length);
    Files.writeString(tmp.resolve("bad"), "{\"type\":\"step\",\"step\":0}\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecipeFigures.seedLossCurves("t", Map.of("x", List.of(tmp.resolve("bad"))), 1));
    assertTrue(e.getMessage().contains("bad"), e.getMessage());
  }

  @Test
  void seedTableShowsOneRowPerRecipe() {
    List<RecipeStudy.SeedSummary> s =
        RecipeStudy.bySeed(
            List.of(
                new RecipeStudy.Outcome(
                    "m1@s1",
                    "gatedgnn",
                    1,
                    64,
                    true,
                    true,
                    true,
                    5,
                    5,
                    9,
                    200,
                    2.1,
                    10,
                    500,
                    14,
                    0.6),
                new RecipeStudy.Outcome(
                    "m1@s2",
                    "gatedgnn",
                    1,
                    64,
                    true,
                    true,
                    true,
                    5,
                    5,
                    9,
                    201,
                    2.2,
                    10,
                    500,
                    16,
                    0.8),
                new RecipeStudy.Outcome(
                    "m2@s1",
                    "gatedgnn",
                    2,
                    64,
                    true,
                    true,
                    true,
                    5,
                    5,
                    9,
                    100,
                    2.3,
                    10,
                    500,
                    12,
                    0.5)));
    Table t = RecipeFigures.seedTable("t", s);
    assertEquals(2, t.rowCount());
    assertEquals("15.00 ± 1.00", t.stringColumn(4).get(0));
    assertEquals("12.00 (1 seed)", t.stringColumn(4).get(1));
    assertEquals(0.5, t.doubleColumn(5).get(0), 1e-12);
    assertEquals("10 nets × 500 images, 5.0 CPU min", t.stringColumn(6).get(0));
  }

  private static Evaluator.NetResult r(String split, String net, double acc) {
    return new Evaluator.NetResult(split, net, 1000, 10, acc, 0.1, 1.0);
  }

  @Test
  void pairedTableGivesEverySeedAndTheMeanOverSeeds() {
    Table t =
        RecipeFigures.pairedTable(
            "t",
            List.of(
                new PairedDifference(
                    "cos",
                    "m1",
                    List.of(1, 3),
                    List.of(2.0, -0.5),
                    List.of(0.5, 0.25),
                    0.75,
                    1.25,
                    1),
                new PairedDifference(
                    "lr", "m1", List.of(2), List.of(1.0), List.of(0.1), 1, Double.NaN, 1)));
    assertEquals(2, t.rowCount());
    assertEquals("s1 +2.00 ± 0.50; s3 -0.50 ± 0.25", t.stringColumn(2).get(0));
    assertEquals("+0.75 ± 1.25", t.stringColumn(3).get(0));
    assertEquals("1 of 2 seeds", t.stringColumn(4).get(0));
    assertEquals("+1.00 (1 seed)", t.stringColumn(3).get(1));
  }

  @Test
  void seedTableNamesAStepBudget() {
    RecipeStudy.Outcome o =
        new RecipeStudy.Outcome(
            "a@s1", "gatedgnn", 1, 64, true, true, true, 0, 15, 20, 700, 2, 10, 1000, 20, 1);
    Table t = RecipeFigures.seedTable("t", RecipeStudy.bySeed(List.of(o)));
    assertEquals("10 nets × 1000 images, 700 steps", t.stringColumn("over").get(0));
  }

  @Test
  void splitTableHasTable2Columns() {
    Map<String, List<Evaluator.NetResult>> byGhn = new LinkedHashMap<>();
    byGhn.put(
        "reference",
        List.of(
            r("predefined", "resnet50", 12.5),
            r("predefined", "ViT", 9),
            r("test", "test/000", 10),
            r("custom", "custom/000", 50),
            r("test", "test/001", 14),
            r("wide", "wide/000", 11)));
    byGhn.put(
        "best",
        List.of(r("test", "test/000", 20), r("test", "test/001", 20), r("test", "test/002", 23)));
    Table t = RecipeFigures.splitTable("t", byGhn);
    // the paper's column order whatever the rows' order; other splits after the paper's columns
    assertEquals(
        List.of("GHN", "test", "wide", "ResNet-50", "ViT", "custom", "nets per split"),
        t.columnNames());
    assertEquals("12.0 ± 1.4", t.stringColumn("test").get(0)); // population std 2 / sqrt(2)
    assertEquals("12.5", t.stringColumn("ResNet-50").get(0));
    assertEquals("test 2, wide 1, custom 1", t.stringColumn("nets per split").get(0));
    assertEquals("21.0 ± 0.8", t.stringColumn("test").get(1)); // std sqrt(2) / sqrt(3)
    assertEquals("–", t.stringColumn("wide").get(1));
    assertEquals("test 3", t.stringColumn("nets per split").get(1));
  }
}
