package ghn4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Overlaid histograms of one per-net quantity (graph nodes, parameters, ...) for several splits, as
 * an XChart {@link XYChart}: one step line per split over common bins, heights in percent of that
 * split's nets so that splits of different sizes compare. Linear bins have a round width and start
 * at a multiple of it, so that the axis ticks fall on round numbers. With {@code logBins} the bins
 * are equal in log10 and the x axis is logarithmic (for parameter counts, which span orders of
 * magnitude; pass them in millions for readable ticks). Series get distinct colours (Tableau 10)
 * and thick lines.
 */
public final class SplitHistogram {

  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf)
  };

  private SplitHistogram() {}

  /**
   * The chart.
   *
   * @param samples per split (legend order), the quantity of every net; a split with no values is
   *     skipped
   * @param bins number of bins (at least 1) over the range of all samples
   * @param logBins bins equal in log10 (all values must be positive) and a logarithmic x axis
   */
  public static XYChart chart(
      String title, String xTitle, Map<String, double[]> samples, int bins, boolean logBins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, got " + bins);
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, double[]> e : samples.entrySet()) {
      for (double x : e.getValue()) {
        if (logBins && !(x > 0)) {
          throw new IllegalArgumentException(
              e.getKey() + ": log bins need positive values, got " + x);
        }
        double t = logBins ? Math.log10(x) : x;
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
    }
    if (lo == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(title + ": no values to plot");
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    double width = (hi - lo) / bins;
    if (!logBins) {
      width = niceWidth(width);
      lo = Math.floor(lo / width) * width;
      bins = (int) Math.floor((hi - lo) / width) + 1;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(360)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle("share of nets (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLogarithmic(logBins);
    chart.getStyler().setXAxisDecimalPattern(logBins ? "#,##0.##" : "#,##0");
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    int colour = 0;
    for (Map.Entry<String, double[]> e : samples.entrySet()) {
      double[] xs = e.getValue();
      if (xs.length == 0) {
        continue;
      }
      double[] counts = histogram(xs, lo, width, bins, logBins);
      // A step series draws each height from its x to the next x: left edges, plus a closing point
      // at the right edge.
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int b = 0; b <= bins; b++) {
        double edge = lo + b * width;
        x.add(logBins ? Math.pow(10, edge) : edge);
        y.add(b < bins ? 100.0 * counts[b] / xs.length : 0.0);
      }
      XYSeries s = chart.addSeries(e.getKey() + " (" + xs.length + ")", x, y);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(PALETTE[colour++ % PALETTE.length]);
      s.setLineStyle(new BasicStroke(2f));
    }
    return chart;
  }

  /** The smallest 1, 2 or 5 × 10^k at least {@code w}. */
  static double niceWidth(double w) {
    double p = Math.pow(10, Math.floor(Math.log10(w)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= w * (1 - 1e-9)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /**
   * Counts per bin of {@code xs} over {@code bins} bins of {@code width} from {@code lo} (log10
   * values if log).
   */
  static double[] histogram(double[] xs, double lo, double width, int bins, boolean log) {
    double[] counts = new double[bins];
    for (double x : xs) {
      double t = log ? Math.log10(x) : x;
      int b = (int) Math.floor((t - lo) / width);
      counts[Math.max(0, Math.min(bins - 1, b))]++;
    }
    return counts;
  }
}
