package ghn4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Overlaid histograms of one per-net quantity (graph nodes, parameters, ...) for several splits, as an XChart
 * {@link XYChart}: one step line per split over common bins, heights in percent of that split's nets so that splits
 * of different sizes compare. With {@code logBins} the bins are equal in log10 and the x axis is logarithmic (for
 * parameter counts, which span orders of magnitude).
 */
public final class SplitHistogram {

  private SplitHistogram() {}

  /**
   * The chart.
   *
   * @param samples per split (legend order), the quantity of every net; a split with no values is skipped
   * @param bins number of bins (at least 1) over the range of all samples
   * @param logBins bins equal in log10 (all values must be positive) and a logarithmic x axis
   */
  public static XYChart chart(String title, String xTitle, Map<String, double[]> samples, int bins, boolean logBins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, got " + bins);
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, double[]> e : samples.entrySet()) {
      for (double x : e.getValue()) {
        if (logBins && !(x > 0)) {
          throw new IllegalArgumentException(e.getKey() + ": log bins need positive values, got " + x);
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
    XYChart chart = new XYChartBuilder().width(720).height(360).title(title).xAxisTitle(xTitle)
        .yAxisTitle("share of nets (%)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLogarithmic(logBins);
    if (!logBins) {
      chart.getStyler().setXAxisDecimalPattern("#,##0");
    }
    for (Map.Entry<String, double[]> e : samples.entrySet()) {
      double[] xs = e.getValue();
      if (xs.length == 0) {
        continue;
      }
      double[] counts = histogram(xs, lo, width, bins, logBins);
      // A step series draws each height from its x to the next x: left edges, plus a closing point at the right edge.
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
    }
    return chart;
  }

  /** Counts per bin of {@code xs} over {@code bins} bins of {@code width} from {@code lo} (log10 values if log). */
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
