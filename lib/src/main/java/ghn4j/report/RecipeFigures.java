package ghn4j.report;

import ghn4j.train.RecipeStudy;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The figures of a GHN recipe study at equal CPU budget ({@link RecipeStudy}): a table (recipe, CPU and wall minutes,
 * steps, final training loss, test-net accuracy mean ± s.e.) and a bar chart of the accuracies with their standard
 * errors.
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

  /** The GHN of an outcome in words: GHN-2 with the parts it lacks, GHN-1 or the MLP baseline. */
  public static String describe(RecipeStudy.Outcome o) {
    if (o.hypernet().equals("mlp")) {
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
    CategoryChart chart = new CategoryChartBuilder().width(900).height(420).title(title).xAxisTitle("variant")
        .yAxisTitle("test-net top-1 (%)").build();
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

  private static double round(double x, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(x * f) / f;
  }
}
