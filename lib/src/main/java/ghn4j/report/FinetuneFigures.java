package ghn4j.report;

import ghn4j.experiments.InitComparison;
import ghn4j.train.SgdTrainer;
import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The figures of a fine-tuning comparison ({@link InitComparison}): test-accuracy curves per epoch
 * (mean over seeds, error bars ± one population std; one series per net and start) and the final
 * table (mean ± std over seeds, range, and the accuracy of the starting parameters before
 * training).
 */
public final class FinetuneFigures {

  private FinetuneFigures() {}

  /** Mean test accuracy per epoch over the seeds of each (net, init), with ± std error bars. */
  public static XYChart curves(String title, List<InitComparison.Run> runs) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(420)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle("CIFAR-10 test top-1 (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(6);
    Map<String, List<InitComparison.Run>> groups = new LinkedHashMap<>();
    for (InitComparison.Run r : runs) {
      groups.computeIfAbsent(r.net() + " · " + r.init(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<InitComparison.Run>> e : groups.entrySet()) {
      int epochs = e.getValue().stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
      if (epochs == 0) {
        continue;
      }
      double[] x = new double[epochs];
      double[] mean = new double[epochs];
      double[] std = new double[epochs];
      for (int i = 0; i < epochs; i++) {
        x[i] = i + 1;
        final int ep = i;
        double[] v = e.getValue().stream().mapToDouble(r -> r.epochs().get(ep).testAcc()).toArray();
        mean[i] = java.util.Arrays.stream(v).average().orElseThrow();
        std[i] =
            Math.sqrt(
                java.util.Arrays.stream(v).map(a -> (a - mean[ep]) * (a - mean[ep])).sum()
                    / v.length);
      }
      XYSeries s =
          chart.addSeries(e.getKey() + " (" + e.getValue().size() + " seeds)", x, mean, std);
      s.setLineStyle(new BasicStroke(2f));
      if (e.getKey().endsWith(InitComparison.HE)) {
        s.setLineStyle(
            new BasicStroke(
                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      }
    }
    return chart;
  }

  /**
   * One row per (net, init): seeds, start accuracy, final accuracy mean ± std, min, max (rounded to
   * 0.01).
   */
  public static Table table(String title, List<InitComparison.Run> runs) {
    StringColumn net = StringColumn.create("net");
    StringColumn init = StringColumn.create("start");
    IntColumn seeds = IntColumn.create("seeds");
    DoubleColumn epochs = DoubleColumn.create("epochs");
    DoubleColumn start = DoubleColumn.create("before training (%)");
    StringColumn fin = StringColumn.create("final top-1 (%) mean ± std");
    DoubleColumn min = DoubleColumn.create("min");
    DoubleColumn max = DoubleColumn.create("max");
    for (InitComparison.Summary s : InitComparison.summarize(runs)) {
      net.append(s.net());
      init.append(s.init());
      seeds.append(s.seeds());
      epochs.append(
          runs.stream()
              .filter(r -> r.net().equals(s.net()) && r.init().equals(s.init()))
              .mapToInt(r -> r.epochs().size())
              .max()
              .orElse(0));
      start.append(round(s.meanStart()));
      fin.append(String.format("%.2f ± %.2f", s.meanFinal(), s.stdFinal()));
      min.append(round(s.minFinal()));
      max.append(round(s.maxFinal()));
    }
    return Table.create(title, net, init, seeds, epochs, start, fin, min, max);
  }

  /** The last epoch's result of a run (for printing progress). */
  public static String describe(InitComparison.Run r) {
    SgdTrainer.EpochResult last =
        r.epochs().isEmpty() ? null : r.epochs().get(r.epochs().size() - 1);
    return String.format(
        "%s · %s · seed %d: start %.1f %% -> %.1f %% after %d epochs (train loss %.3f), %.0f s",
        r.net(),
        r.init(),
        r.seed(),
        r.startAccuracy(),
        r.finalAccuracy(),
        r.epochs().size(),
        last == null ? Double.NaN : last.trainLoss(),
        r.seconds());
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
