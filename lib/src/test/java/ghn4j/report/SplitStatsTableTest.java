package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.deepnets.SplitStats;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class SplitStatsTableTest {

  private static SplitStats row(String name, SplitStats.Summary nodes) {
    return new SplitStats(
        name,
        4,
        nodes,
        SplitStats.Summary.of(new double[] {1e6, 2e6, 3e6, 4.5e6}),
        SplitStats.Summary.of(new double[] {4, 5, 6, 7}),
        0.25);
  }

  @Test
  void oneRoundedRowPerSplit() {
    Table t =
        SplitStatsTable.of(
            "Table 1",
            List.of(
                row("val (ghn4j)", SplitStats.Summary.of(new double[] {10, 20, 30, 41})),
                row("val (ppuda)", null)));
    assertEquals("Table 1", t.name());
    assertEquals(2, t.rowCount());
    assertEquals("val (ghn4j)", t.stringColumn("split").get(0));
    assertEquals(4, t.intColumn("N").get(0));
    assertEquals(25.3, t.doubleColumn("nodes mean").get(0), 1e-12);
    assertEquals(41, t.doubleColumn("nodes max").get(0), 1e-12);
    assertEquals(2.63, t.doubleColumn("params (M) mean").get(0), 1e-12);
    assertEquals(4.5, t.doubleColumn("params (M) max").get(0), 1e-12);
    assertEquals(25.0, t.doubleColumn("no BN (%)").get(0), 1e-12);
    assertTrue(t.doubleColumn("nodes mean").isMissing(1), "unknown node counts are missing values");
    assertEquals(5.5, t.doubleColumn("cells mean").get(1), 1e-12);
  }
}
