package ghn4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A meta-training run's curve read from its {@code metrics.jsonl} (the lines {@code "type":"step"}
 * that {@code ghn4j.train.MetaTrainer} writes), and its chart: the per-step loss is noisy (one
 * image batch, a few nets), so the chart draws it faintly (axis capped at its 99th percentile) with
 * a moving average on top, and the moving-average training accuracy on a second axis.
 *
 * @param points the logged steps in file order
 */
public record TrainingCurve(List<Point> points) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One logged step: loss and accuracy (%) of the meta-batch, learning rate, wall seconds since the
   * start.
   */
  public record Point(long step, double loss, double accuracy, double lr, double elapsedSeconds) {}

  public TrainingCurve {
    points = List.copyOf(points);
  }

  /**
   * Reads the step lines of a metrics file; other line types are skipped.
   *
   * @throws UncheckedIOException naming the file and line when a line is not JSON or lacks a field
   *     (a line cut by a kill is the last line of the file and is skipped, as the trainer drops it
   *     on resume)
   */
  public static TrainingCurve read(Path metricsJsonl) {
    List<String> lines;
    try {
      lines = Files.readAllLines(metricsJsonl);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read metrics file " + metricsJsonl, e);
    }
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      JsonNode o;
      try {
        o = JSON.readTree(line);
      } catch (IOException e) {
        if (i == lines.size() - 1) {
          break; // a half-written last line from a killed run
        }
        throw new UncheckedIOException(metricsJsonl + ":" + (i + 1) + ": not a JSON line", e);
      }
      if (!"step".equals(o.path("type").asText())) {
        continue;
      }
      for (String field : new String[] {"step", "loss", "acc", "lr", "elapsed_s"}) {
        if (!o.hasNonNull(field)) {
          throw new UncheckedIOException(
              new IOException(
                  metricsJsonl + ":" + (i + 1) + ": step line without '" + field + "'"));
        }
      }
      points.add(
          new Point(
              o.get("step").asLong(),
              o.get("loss").asDouble(),
              o.get("acc").asDouble(),
              o.get("lr").asDouble(),
              o.get("elapsed_s").asDouble()));
    }
    return new TrainingCurve(points);
  }

  /**
   * Trailing moving median over {@code window} values (shorter at the start); NaN values are left
   * out. Unlike {@link #movingAverage} it ignores rare spikes: a meta-training step on an unstable
   * net can have a loss of 10¹¹ (ppuda's trainer clips its gradient and goes on), which would
   * flatten every mean-based curve around it.
   */
  public static double[] movingMedian(double[] xs, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    double[] out = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = median(Arrays.copyOfRange(xs, Math.max(0, i - window + 1), i + 1));
    }
    return out;
  }

  /** The median of the non-NaN values (mean of the middle two for an even count); NaN if none. */
  public static double median(double[] xs) {
    double[] v = Arrays.stream(xs).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /**
   * Trailing moving average over {@code window} values (shorter at the start); NaN values are left
   * out.
   */
  public static double[] movingAverage(double[] xs, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    double[] out = new double[xs.length];
    double sum = 0;
    int count = 0;
    for (int i = 0; i < xs.length; i++) {
      if (!Double.isNaN(xs[i])) {
        sum += xs[i];
        count++;
      }
      int drop = i - window;
      if (drop >= 0 && !Double.isNaN(xs[drop])) {
        sum -= xs[drop];
        count--;
      }
      out[i] = count == 0 ? Double.NaN : sum / count;
    }
    return out;
  }

  /** Mean of the first {@code n} steps' loss and accuracy: {@code [loss, accuracy]}. */
  public double[] headMean(int n) {
    return meanOf(0, Math.min(n, points.size()));
  }

  /** Mean of the last {@code n} steps' loss and accuracy: {@code [loss, accuracy]}. */
  public double[] tailMean(int n) {
    return meanOf(Math.max(0, points.size() - n), points.size());
  }

  private double[] meanOf(int from, int to) {
    if (points.isEmpty()) {
      throw new IllegalStateException("no logged steps");
    }
    List<Point> part = points.subList(from, to);
    return new double[] {
      part.stream().mapToDouble(Point::loss).average().orElseThrow(),
      part.stream().mapToDouble(Point::accuracy).average().orElseThrow()
    };
  }

  /**
   * The chart: raw loss (faint), its moving average over {@code window} steps, and the
   * moving-average training accuracy on a second y axis.
   */
  public XYChart chart(String title, int window) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(380)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle("loss")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(0);
    if (points.isEmpty()) {
      return chart;
    }
    double[] steps = points.stream().mapToDouble(Point::step).toArray();
    double[] loss = points.stream().mapToDouble(Point::loss).toArray();
    double[] acc = points.stream().mapToDouble(Point::accuracy).toArray();
    // A few diverging meta-batches (loss 10+) would flatten the curve: cap the loss axis at the
    // 99th percentile.
    double[] sorted = loss.clone();
    Arrays.sort(sorted);
    chart.getStyler().setYAxisMax(0, sorted[(int) Math.floor(0.99 * (sorted.length - 1))]);
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    XYSeries raw = chart.addSeries("loss (per step)", steps, loss);
    raw.setLineColor(new Color(0x1f, 0x77, 0xb4, 60));
    raw.setMarker(SeriesMarkers.NONE);
    XYSeries avg =
        chart.addSeries("loss (mean of " + window + ")", steps, movingAverage(loss, window));
    avg.setLineColor(new Color(0x1f77b4));
    avg.setLineStyle(new BasicStroke(2.5f));
    avg.setMarker(SeriesMarkers.NONE);
    XYSeries a =
        chart.addSeries(
            "train accuracy % (mean of " + window + ")", steps, movingAverage(acc, window));
    a.setLineColor(new Color(0xff7f0e));
    a.setLineStyle(new BasicStroke(2.5f));
    a.setMarker(SeriesMarkers.NONE);
    a.setYAxisGroup(1);
    chart.setYAxisGroupTitle(1, "accuracy (%)");
    return chart;
  }
}
