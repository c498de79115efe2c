package ghn4j.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyPredictionTest {

  /**
   * One feature on a grid in [0, 1]; targets 12.5 + 0.5 x (near-chance accuracies, half a point
   * apart).
   */
  private static double[][][] nearChance(int n, double offset) {
    double[][] x = new double[n][1];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = (i + offset) / n;
      y[i] = 12.5 + 0.5 * x[i][0];
    }
    return new double[][][] {x, {y}};
  }

  /** A small C barely moves the fit off its intercept: the predictions lie within 12.5–13.0. */
  private static final List<Svr.Params> FLAT = List.of(new Svr.Params(0.01, Double.NaN, 0.05));

  @Test
  void roundingAFlatFitToOneValueLeavesTauUndefinedAndSaysWhy() {
    double[][][] train = nearChance(20, 0);
    double[][][] test = nearChance(10, 0.3);
    double[] raw = Svr.fit(train[0], train[1][0], FLAT.get(0)).predict(test[0]);
    assertTrue(
        java.util.Arrays.stream(raw).distinct().count() > 1
            && java.util.Arrays.stream(raw).allMatch(v -> Math.rint(v) == Math.rint(raw[0])),
        "the fixture needs distinct raw predictions that round to one value: "
            + java.util.Arrays.toString(raw));

    PropertyPrediction.Score acc =
        PropertyPrediction.evaluate(
            Property.ACCURACY, "f", train[0], train[1][0], test[0], test[1][0], 3, FLAT);
    assertTrue(Double.isNaN(acc.mean()), acc.toString());
    assertEquals(3, acc.constantSeeds());
    assertEquals("undefined (one predicted value at 3 of 3 seeds)", acc.cell());

    // the same fit unrounded (time is not rounded) ranks the nets: tau defined, no constant seed
    PropertyPrediction.Score time =
        PropertyPrediction.evaluate(
            Property.TIME, "f", train[0], train[1][0], test[0], test[1][0], 3, FLAT);
    assertEquals(0, time.constantSeeds());
    assertEquals(1.0, time.mean(), 1e-12, time.toString());
    assertEquals("1.000 ± 0.000", time.cell());
  }

  @Test
  void aTableCellExplainsAnUndefinedTau() {
    double[][][] train = nearChance(20, 0);
    double[][][] test = nearChance(10, 0.3);
    PropertyPrediction.Score acc =
        PropertyPrediction.evaluate(
            Property.ACCURACY, "flat", train[0], train[1][0], test[0], test[1][0], 2, FLAT);
    tech.tablesaw.api.Table t = PropertyExperiment.table("tau", List.of(acc));
    assertEquals(
        "undefined (one predicted value at 2 of 2 seeds)",
        t.stringColumn(Property.ACCURACY.key()).get(0));
  }
}
