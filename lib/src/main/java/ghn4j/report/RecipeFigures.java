package ghn4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.eval.Evaluator;
import ghn4j.experiments.PairedDifference;
import ghn4j.experiments.RecipeStudy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The figures of a GHN recipe study at equal CPU budget ({@link RecipeStudy}): a table (recipe, CPU
 * and wall minutes, steps, final training loss, test-net accuracy mean ± s.e.) and a bar chart of
 * the accuracies with their standard errors.
 */
public final class RecipeFigures {

  private RecipeFigures() {}

  /** One row per outcome, in order. */
  public static Table table(String title, List<RecipeStudy.Outcome> outcomes) {
    StringColumn variant = StringColumn.create("variant");
    StringColumn recipe = StringColumn.create("GHN");
    IntColumn m = IntColumn.create("meta-batch");
    DoubleColumn cpu = DoubleColumn.create("CPU min");
    DoubleColumn wall = DoubleColumn.create("wall min");
    IntColumn steps = IntColumn.create("steps");
    DoubleColumn loss = DoubleColumn.create("final train loss");
    StringColumn acc = StringColumn.create("test nets top-1 (%) mean ± s.e.");
    StringColumn over = StringColumn.create("over");
    for (RecipeStudy.Outcome o : outcomes) {
      variant.append(o.variant());
      recipe.append(describe(o));
      m.append(o.metaBatch());
      cpu.append(round(o.cpuMinutes(), 2));
      wall.append(round(o.trainWallMinutes(), 2));
      steps.append((int) o.steps());
      loss.append(round(o.finalLoss(), 3));
      acc.append(String.format("%.2f ± %.2f", o.meanAccuracy(), o.stdErr()));
      over.append(o.nets() + " nets × " + o.images() + " images");
    }
    return Table.create(title, variant, recipe, m, cpu, wall, steps, loss, acc, over);
  }

  /**
   * The paper's Table-2 layout for several GHNs: one row per entry of {@code resultsByGhn} (name →
   * rows of an eval results.csv, {@link ghn4j.eval.EvalResults#read}), one column per DeepNets-1M
   * split and one per predefined net, in the paper's order (test, wide, deep, dense, bnfree,
   * ResNet-50, ViT; others after them, as first seen); a cell is mean ± s.e. over the split's nets
   * ({@link Evaluator#summarize}), "–" where a GHN has no rows. The last column says how many nets
   * each split had.
   */
  public static Table splitTable(
      String title, Map<String, List<Evaluator.NetResult>> resultsByGhn) {
    Map<String, Map<String, List<Evaluator.NetResult>>> cells = new LinkedHashMap<>();
    Set<String> columns = new LinkedHashSet<>();
    Set<String> predefined =
        new LinkedHashSet<>(); // columns of single predefined nets, not counted as splits
    resultsByGhn.forEach(
        (ghn, rows) -> {
          Map<String, List<Evaluator.NetResult>> byColumn = new LinkedHashMap<>();
          for (Evaluator.NetResult r : rows) {
            String column = Table2.column(r);
            if (r.split().equals("predefined")) {
              predefined.add(column);
            }
            columns.add(column);
            byColumn.computeIfAbsent(column, k -> new ArrayList<>()).add(r);
          }
          cells.put(ghn, byColumn);
        });
    StringColumn name = StringColumn.create("GHN");
    List<StringColumn> out = new ArrayList<>();
    columns.stream()
        .sorted(java.util.Comparator.comparingInt(RecipeFigures::paperOrder))
        .forEach(c -> out.add(StringColumn.create(c)));
    StringColumn nets = StringColumn.create("nets per split");
    cells.forEach(
        (ghn, byColumn) -> {
          name.append(ghn);
          List<String> counts = new ArrayList<>();
          for (StringColumn col : out) {
            List<Evaluator.NetResult> rs = byColumn.get(col.name());
            if (rs == null) {
              col.append(Table2.MISSING);
              continue;
            }
            Evaluator.Summary s = Evaluator.summarize(col.name(), rs);
            col.append(Table2.cell(s));
            if (!predefined.contains(col.name())) {
              counts.add(col.name() + " " + s.nets());
            }
          }
          nets.append(String.join(", ", counts));
        });
    Table t = Table.create(title, name);
    out.forEach(t::addColumns);
    return t.addColumns(nets);
  }

  private static final List<String> PAPER_ORDER =
      List.of("val", "test", "wide", "deep", "dense", "bnfree", "ResNet-50", "ViT");

  private static int paperOrder(String column) {
    int i = PAPER_ORDER.indexOf(column);
    return i < 0 ? PAPER_ORDER.size() : i; // a stable sort keeps the others in first-seen order
  }

  /** The GHN of an outcome in words: GHN-2 with the parts it lacks, GHN-1 or the MLP baseline. */
  public static String describe(RecipeStudy.Outcome o) {
    if (o.hypernet().equals(ghn4j.ghn.GhnConfig.HypernetKind.MLP.jsonName())) {
      return "MLP" + (o.ve() && o.layernorm() && o.weightNorm() ? "" : " (ablated)");
    }
    if (!o.ve() && !o.layernorm() && !o.weightNorm()) {
      return "GHN-1";
    }
    List<String> missing = new ArrayList<>();
    if (!o.ve()) {
      missing.add("no VE");
    }
    if (!o.weightNorm()) {
      missing.add("no weight norm");
    }
    if (!o.layernorm()) {
      missing.add("no LN");
    }
    return missing.isEmpty() ? "GHN-2" : "GHN-2, " + String.join(", ", missing);
  }

  /** Bars of the mean accuracy with ± s.e. error bars, one per outcome, in order. */
  public static CategoryChart bars(String title, List<RecipeStudy.Outcome> outcomes) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(420)
            .title(title)
            .xAxisTitle("variant")
            .yAxisTitle("test-net top-1 (%)")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    List<String> names = outcomes.stream().map(RecipeStudy.Outcome::variant).toList();
    List<Double> means = outcomes.stream().map(RecipeStudy.Outcome::meanAccuracy).toList();
    List<Double> errs = outcomes.stream().map(RecipeStudy.Outcome::stdErr).toList();
    if (!names.isEmpty()) {
      chart.addSeries("mean ± s.e.", names, means, errs);
    }
    return chart;
  }

  /**
   * Training loss against CPU minutes, one line per run: the moving average over {@code window}
   * steps of the {@code loss} of each step line of a meta-training {@code metrics.jsonl} (x: its
   * {@code cpu_s}). Lines of other types are skipped; a missing file is an error naming it.
   */
  public static XYChart lossCurves(String title, Map<String, Path> metricsByVariant, int window) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(420)
            .title(title)
            .xAxisTitle("CPU minutes")
            .yAxisTitle("training loss (mean of " + window + " steps)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    ObjectMapper json = new ObjectMapper();
    for (Map.Entry<String, Path> e : metricsByVariant.entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(e.getValue())) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode o = json.readTree(line);
          if ("step".equals(o.path("type").asText()) && o.has("cpu_s")) {
            x.add(o.get("cpu_s").asDouble() / 60);
            y.add(o.get("loss").asDouble());
          }
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(e.getValue() + ": " + ex.getMessage(), ex);
      }
      if (x.isEmpty()) {
        continue;
      }
      double[] avg =
          TrainingCurve.movingAverage(
              y.stream().mapToDouble(Double::doubleValue).toArray(), window);
      XYSeries s =
          chart.addSeries(
              e.getKey() + " (" + x.size() + " steps)",
              x.stream().mapToDouble(Double::doubleValue).toArray(),
              avg);
      s.setMarker(x.size() < 20 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
    return chart;
  }

  /**
   * One row per recipe of a seeded study ({@link RecipeStudy#bySeed}), in order: seeds, mean steps,
   * mean final loss, accuracy mean ± s.e. over seeds, and the test nets' share of that error.
   */
  public static Table seedTable(String title, List<RecipeStudy.SeedSummary> recipes) {
    StringColumn recipe = StringColumn.create("recipe");
    IntColumn seeds = IntColumn.create("seeds");
    IntColumn steps = IntColumn.create("steps (mean)");
    DoubleColumn loss = DoubleColumn.create("final train loss");
    StringColumn acc = StringColumn.create("test nets top-1 (%) mean ± s.e. over seeds");
    DoubleColumn netSe = DoubleColumn.create("s.e. from the nets");
    StringColumn over = StringColumn.create("over");
    for (RecipeStudy.SeedSummary r : recipes) {
      recipe.append(r.recipe());
      seeds.append(r.seeds());
      steps.append((int) Math.round(r.meanSteps()));
      loss.append(round(r.meanFinalLoss(), 3));
      acc.append(
          Double.isNaN(r.seedStdErr())
              ? String.format(Locale.ROOT, "%.2f (1 seed)", r.meanAccuracy())
              : String.format(Locale.ROOT, "%.2f ± %.2f", r.meanAccuracy(), r.seedStdErr()));
      netSe.append(round(r.netStdErr(), 2));
      over.append(
          r.nets()
              + " nets × "
              + r.images()
              + " images, "
              + (r.cpuBudgetMinutes() > 0
                  ? round(r.cpuBudgetMinutes(), 2) + " CPU min"
                  : Math.round(r.meanSteps()) + " steps"));
    }
    return Table.create(title, recipe, seeds, steps, loss, acc, netSe, over);
  }

  /**
   * One row per recipe compared with a base recipe on the same seeds and nets ({@link
   * PairedDifference}): the difference at each seed ± its standard error over the nets, the mean
   * over seeds ± its standard error over seeds, and at how many seeds the recipe is ahead.
   */
  public static Table pairedTable(String title, List<PairedDifference> rows) {
    StringColumn recipe = StringColumn.create("recipe");
    StringColumn base = StringColumn.create("vs");
    StringColumn perSeed = StringColumn.create("per seed: difference ± s.e. over nets (points)");
    StringColumn mean = StringColumn.create("mean ± s.e. over seeds");
    StringColumn ahead = StringColumn.create("ahead at");
    for (PairedDifference p : rows) {
      recipe.append(p.recipe());
      base.append(p.base());
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < p.seeds().size(); i++) {
        sb.append(i > 0 ? "; " : "")
            .append(
                String.format(
                    Locale.ROOT,
                    "s%d %+.2f ± %.2f",
                    p.seeds().get(i),
                    p.seedDiffs().get(i),
                    p.seedNetStdErrs().get(i)));
      }
      perSeed.append(sb.toString());
      mean.append(
          Double.isNaN(p.seedStdErr())
              ? String.format(Locale.ROOT, "%+.2f (1 seed)", p.meanDiff())
              : String.format(Locale.ROOT, "%+.2f ± %.2f", p.meanDiff(), p.seedStdErr()));
      ahead.append(p.ahead() + " of " + p.seeds().size() + " seeds");
    }
    return Table.create(title, recipe, base, perSeed, mean, ahead);
  }

  /**
   * Training loss against the step, one line per recipe: at each step the median loss over the
   * recipe's runs (its seeds; up to the shortest run), then the moving median over {@code window}
   * steps — medians because a single step on an unstable net can reach a loss of 10¹¹ and would
   * hide every curve ({@link TrainingCurve#movingMedian}). {@code metricsByRecipe}: recipe → the
   * runs' {@code metrics.jsonl}; a missing or malformed file is an error naming it.
   */
  public static XYChart seedLossCurves(
      String title, Map<String, List<Path>> metricsByRecipe, int window) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(420)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle("training loss (median over seeds and " + window + " steps)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    for (Map.Entry<String, List<Path>> e : metricsByRecipe.entrySet()) {
      List<double[]> runs = new ArrayList<>();
      for (Path f : e.getValue()) {
        runs.add(stepLosses(f));
      }
      int n = runs.stream().mapToInt(r -> r.length).min().orElse(0);
      if (n == 0) {
        continue;
      }
      double[] x = new double[n];
      double[] y = new double[n];
      double[] atStep = new double[runs.size()];
      for (int k = 0; k < n; k++) {
        x[k] = k + 1;
        for (int r = 0; r < atStep.length; r++) {
          atStep[r] = runs.get(r)[k];
        }
        y[k] = TrainingCurve.median(atStep);
      }
      XYSeries s =
          chart.addSeries(
              e.getKey() + (runs.size() == 1 ? " (1 run)" : " (" + runs.size() + " runs)"),
              x,
              TrainingCurve.movingMedian(y, window));
      s.setMarker(n < 20 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
    return chart;
  }

  /** The {@code loss} of every step line of a {@code metrics.jsonl}, in order. */
  static double[] stepLosses(Path metrics) {
    ObjectMapper json = new ObjectMapper();
    List<Double> y = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(metrics)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = json.readTree(line);
        if ("step".equals(o.path("type").asText())) {
          if (!o.path("loss").isNumber()) {
            throw new IllegalArgumentException(
                metrics + ": a step line without a numeric loss: " + line);
          }
          y.add(o.get("loss").asDouble());
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(metrics + ": " + ex.getMessage(), ex);
    }
    return y.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double round(double x, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(x * f) / f;
  }
}
