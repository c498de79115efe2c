package ghn4j.report;

import ghn4j.eval.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The paper's Table 2 (CIFAR-10 top-1 of predicted parameters, no training) as notebook 04 shows
 * it: rows of numbers typed in from the paper next to measured rows (mean ± standard error per
 * DeepNets-1M split, one number per predefined net), as a table and as a bar chart with error bars.
 *
 * @param title the table's title
 * @param paper row label → one number per {@link #COLUMNS} entry (e.g. {@link #paperCifar10()})
 * @param measured row label → column → summary of that column's nets ({@link #row})
 */
public record Table2(
    String title,
    Map<String, double[]> paper,
    Map<String, Map<String, Evaluator.Summary>> measured) {

  /** The columns in the paper's order: the DeepNets-1M splits, then the predefined nets. */
  public static final List<String> COLUMNS =
      List.of("test", "wide", "deep", "dense", "bnfree", "ResNet-50", "ViT");

  /** The cell of a column a GHN was not evaluated on. */
  public static final String MISSING = "–";

  /**
   * Copies the maps (their order is the rows' order).
   *
   * @throws IllegalArgumentException when a paper row does not have one number per column
   */
  public Table2 {
    paper = new LinkedHashMap<>(paper);
    measured = new LinkedHashMap<>(measured);
    paper.forEach(
        (row, values) -> {
          if (values.length != COLUMNS.size()) {
            throw new IllegalArgumentException(
                "Table 2 row '"
                    + row
                    + "': "
                    + values.length
                    + " numbers for the "
                    + COLUMNS.size()
                    + " columns "
                    + COLUMNS);
          }
        });
  }

  /** A table with {@code title}, the paper's rows and the measured ones, in their maps' order. */
  public static Table2 of(
      String title,
      Map<String, double[]> paper,
      Map<String, Map<String, Evaluator.Summary>> measured) {
    return new Table2(title, paper, measured);
  }

  /**
   * The CIFAR-10 rows of the paper's Table 2 (top-1 %, GHNs trained on DeepNets-1M, as ppuda
   * reports them): MLP, GHN-1, GHN-2, in {@link #COLUMNS} order. A new map on every call.
   */
  public static Map<String, double[]> paperCifar10() {
    Map<String, double[]> rows = new LinkedHashMap<>();
    rows.put("MLP (paper)", new double[] {42.2, 22.3, 37.9, 44.8, 23.9, 17.7, 10.0});
    rows.put("GHN-1 (paper)", new double[] {51.4, 43.1, 48.3, 51.8, 13.7, 19.2, 18.2});
    rows.put("GHN-2 (paper)", new double[] {66.9, 64.0, 60.5, 65.8, 36.8, 58.6, 11.4});
    return rows;
  }

  /**
   * The column of a net's result: its split, or for a predefined net its name as the paper writes
   * it ({@code resnet50} → {@code ResNet-50}; others keep their name, e.g. {@code ViT}).
   */
  public static String column(Evaluator.NetResult r) {
    if (!r.split().equals("predefined")) {
      return r.split();
    }
    return r.net().equalsIgnoreCase("resnet50") ? "ResNet-50" : r.net();
  }

  /**
   * One measured row: {@code results} grouped by {@link #column}, in the order the columns first
   * appear, each group summarised by {@link Evaluator#summarize} (mean ± standard error).
   */
  public static Map<String, Evaluator.Summary> row(List<Evaluator.NetResult> results) {
    Map<String, List<Evaluator.NetResult>> byColumn = new LinkedHashMap<>();
    for (Evaluator.NetResult r : results) {
      byColumn.computeIfAbsent(column(r), k -> new ArrayList<>()).add(r);
    }
    Map<String, Evaluator.Summary> out = new LinkedHashMap<>();
    byColumn.forEach((c, rs) -> out.put(c, Evaluator.summarize(c, rs)));
    return out;
  }

  /** A measured cell: "mean ± s.e." over several nets, the mean alone for one, {@link #MISSING}. */
  public static String cell(Evaluator.Summary s) {
    if (s == null) {
      return MISSING;
    }
    return s.nets() > 1
        ? String.format(Locale.ROOT, "%.1f ± %.1f", s.mean(), s.stdErr())
        : String.format(Locale.ROOT, "%.1f", s.mean());
  }

  /** The table: a "model" column, then one text column per {@link #COLUMNS} entry. */
  public Table table() {
    StringColumn model = StringColumn.create("model");
    Map<String, StringColumn> cols = new LinkedHashMap<>();
    for (String c : COLUMNS) {
      cols.put(c, StringColumn.create(c));
    }
    paper.forEach(
        (row, values) -> {
          model.append(row);
          for (int i = 0; i < COLUMNS.size(); i++) {
            cols.get(COLUMNS.get(i)).append(String.format(Locale.ROOT, "%.1f", values[i]));
          }
        });
    measured.forEach(
        (row, summaries) -> {
          model.append(row);
          for (String c : COLUMNS) {
            cols.get(c).append(cell(summaries.get(c)));
          }
        });
    Table t = Table.create(title, model);
    cols.values().forEach(t::addColumns);
    return t;
  }

  /**
   * A bar chart, one group per column and one series per row (measured rows with their standard
   * errors as error bars), top-1 from 0 to 100 %.
   *
   * @throws IllegalArgumentException when a measured row lacks a column (the chart has no gaps)
   */
  public CategoryChart chart(String chartTitle) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(400)
            .title(chartTitle)
            .xAxisTitle("split")
            .yAxisTitle("top-1 (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    paper.forEach(
        (row, values) -> {
          List<Double> ys = new ArrayList<>();
          for (double v : values) {
            ys.add(v);
          }
          chart.addSeries(row, COLUMNS, ys);
        });
    measured.forEach(
        (row, summaries) -> {
          List<Double> means = new ArrayList<>();
          List<Double> errs = new ArrayList<>();
          for (String c : COLUMNS) {
            Evaluator.Summary s = summaries.get(c);
            if (s == null) {
              throw new IllegalArgumentException(
                  "Table 2 chart: row '" + row + "' has no result for column " + c);
            }
            means.add(s.mean());
            errs.add(s.stdErr());
          }
          chart.addSeries(row, COLUMNS, means, errs);
        });
    return chart;
  }
}
