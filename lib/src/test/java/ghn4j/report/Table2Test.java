package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.eval.Evaluator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import tech.tablesaw.api.Table;

class Table2Test {

  private static Evaluator.NetResult net(String split, String name, double accuracy) {
    return new Evaluator.NetResult(split, name, 1000, 10, accuracy, 0.5, 1.0);
  }

  /**
   * test: 10 and 20 % (mean 15, population s.d. 5, s.e. 5/√2); wide: 30 % alone; ResNet-50; ViT.
   */
  private static List<Evaluator.NetResult> ghnA() {
    return List.of(
        net("test", "test/000", 10),
        net("wide", "wide/000", 30),
        net("test", "test/001", 20),
        net("predefined", "resnet50", 13.6),
        net("predefined", "ViT", 11.44));
  }

  @Test
  void aRowGroupsResultsByColumnAndSummarisesEach() {
    Map<String, Evaluator.Summary> row = Table2.row(ghnA());
    assertEquals(List.of("test", "wide", "ResNet-50", "ViT"), List.copyOf(row.keySet()));
    assertEquals(2, row.get("test").nets());
    assertEquals(15.0, row.get("test").mean(), 1e-12);
    assertEquals(5 / Math.sqrt(2), row.get("test").stdErr(), 1e-12);
    assertEquals(1, row.get("ResNet-50").nets());
    assertEquals("ResNet-50", row.get("ResNet-50").split());
    assertEquals(11.44, row.get("ViT").mean(), 1e-12);
  }

  @Test
  void theTableHasThePaperRowsThenTheMeasuredOnes() {
    Map<String, Map<String, Evaluator.Summary>> measured = new LinkedHashMap<>();
    measured.put("ghn A", Table2.row(ghnA()));
    Table t = Table2.of("Table 2 here", Table2.paperCifar10(), measured).table();
    assertEquals("Table 2 here", t.name());
    assertEquals(
        List.of("model", "test", "wide", "deep", "dense", "bnfree", "ResNet-50", "ViT"),
        t.columnNames());
    assertEquals(4, t.rowCount());
    assertEquals(
        List.of("MLP (paper)", "GHN-1 (paper)", "GHN-2 (paper)", "ghn A"),
        t.stringColumn("model").asList());
    assertEquals("66.9", t.stringColumn("test").get(2));
    assertEquals("10.0", t.stringColumn("ViT").get(0));
    assertEquals("15.0 ± 3.5", t.stringColumn("test").get(3));
    assertEquals("30.0", t.stringColumn("wide").get(3)); // one net: no error
    assertEquals("13.6", t.stringColumn("ResNet-50").get(3));
    assertEquals("11.4", t.stringColumn("ViT").get(3));
    assertEquals(Table2.MISSING, t.stringColumn("deep").get(3));
  }

  @Test
  void numbersUseADecimalPointWhateverTheLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      Table t = Table2.of("t", Table2.paperCifar10(), Map.of("ghn A", Table2.row(ghnA()))).table();
      assertEquals("42.2", t.stringColumn("test").get(0));
      assertEquals("15.0 ± 3.5", t.stringColumn("test").get(3));
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void theChartHasASeriesPerRowWithErrorBarsForMeasuredRows() {
    List<Evaluator.NetResult> full = new java.util.ArrayList<>(ghnA());
    for (String split : List.of("deep", "dense", "bnfree")) {
      full.add(net(split, split + "/000", 40));
      full.add(net(split, split + "/001", 44));
    }
    CategoryChart c =
        Table2.of("t", Table2.paperCifar10(), Map.of("ghn A", Table2.row(full))).chart("chart");
    assertEquals("chart", c.getTitle());
    assertEquals(4, c.getSeriesMap().size());
    CategorySeries paper = c.getSeriesMap().get("GHN-2 (paper)");
    assertEquals(Table2.COLUMNS, List.copyOf(paper.getXData()));
    assertEquals(List.of(66.9, 64.0, 60.5, 65.8, 36.8, 58.6, 11.4), List.copyOf(paper.getYData()));
    CategorySeries ours = c.getSeriesMap().get("ghn A");
    assertEquals(List.of(15.0, 30.0, 42.0, 42.0, 42.0, 13.6, 11.44), List.copyOf(ours.getYData()));
    assertArrayEquals(
        new double[] {
          5 / Math.sqrt(2), 0, 2 / Math.sqrt(2), 2 / Math.sqrt(2), 2 / Math.sqrt(2), 0, 0
        },
        ours.getExtraValues().stream().mapToDouble(Number::doubleValue).toArray(),
        1e-12);
  }

  @Test
  void aChartOfARowWithoutAColumnNamesRowAndColumn() {
    Table2 t = Table2.of("t", Map.of(), Map.of("ghn A", Table2.row(ghnA())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.chart("c"));
    assertTrue(e.getMessage().contains("ghn A") && e.getMessage().contains("deep"), e.getMessage());
  }

  @Test
  void aPaperRowNeedsOneNumberPerColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Table2.of("t", Map.of("short", new double[] {1, 2}), Map.of()));
    assertTrue(e.getMessage().contains("short"), e.getMessage());
  }
}
