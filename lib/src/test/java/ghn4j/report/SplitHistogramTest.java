package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class SplitHistogramTest {

  @Test
  void countsIncludeBothEnds() {
    assertArrayEquals(
        new double[] {2, 1, 2},
        SplitHistogram.histogram(new double[] {0, 0.5, 1.5, 2.5, 3}, 0, 1, 3, false));
    assertArrayEquals(
        new double[] {1, 1}, SplitHistogram.histogram(new double[] {10, 1000}, 1, 1, 2, true));
  }

  @Test
  void oneSeriesPerSplitInPercent() {
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("train", new double[] {1, 2, 3, 4});
    s.put("val", new double[] {4, 4});
    XYChart c = SplitHistogram.chart("nodes", "nodes", s, 3, false);
    assertEquals("nodes", c.getTitle());
    Map<String, XYSeries> series = c.getSeriesMap();
    assertEquals(2, series.size());
    XYSeries val = series.get("val (2)");
    double[] y = val.getYData();
    // range 1..4 in 3 bins: round width 1 from 1, so 4 bins [1,2) [2,3) [3,4) [4,5)
    assertEquals(5, y.length, "bins + closing point");
    assertEquals(100.0, y[3], 1e-12, "both val nets fall in the last bin");
    double sum = 0;
    for (double v : series.get("train (4)").getYData()) {
      sum += v;
    }
    assertEquals(100.0, sum, 1e-9);
    assertEquals(5.0, val.getXData()[4], 1e-12, "the last x is the right edge");
    assertEquals(1.0, val.getXData()[0], 1e-12);
  }

  @Test
  void roundBinWidths() {
    assertEquals(1.0, SplitHistogram.niceWidth(1.0), 1e-12);
    assertEquals(20.0, SplitHistogram.niceWidth(13.7), 1e-12);
    assertEquals(50.0, SplitHistogram.niceWidth(25.6), 1e-12);
    assertEquals(0.1, SplitHistogram.niceWidth(0.07), 1e-12);
  }

  @Test
  void logBinsNeedPositiveValues() {
    Map<String, double[]> s = Map.of("x", new double[] {0, 1});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SplitHistogram.chart("t", "x", s, 5, true));
    assertTrue(e.getMessage().contains("positive"), e.getMessage());
    assertTrue(
        SplitHistogram.chart("t", "x", Map.of("x", new double[] {1e4, 1e6}), 5, true)
            .getStyler()
            .isXAxisLogarithmic());
  }
}
