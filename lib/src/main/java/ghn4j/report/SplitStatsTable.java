package ghn4j.report;

import ghn4j.deepnets.SplitStats;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The DeepNets-1M statistics of the GHN-2 paper's Table 1 as a Tablesaw table, one row per {@link
 * SplitStats}: number of nets, graph nodes (mean, std, min, max), parameters in millions (mean,
 * std, min, max), cells (mean, min, max) and the share of nets without BatchNorm. Values are
 * rounded for reading (nodes and cells to 0.1, parameters to 0.01 M, the share to 0.1 %); unknown
 * node counts are missing values.
 */
public final class SplitStatsTable {

  private SplitStatsTable() {}

  /** A table titled {@code title} with one row per entry of {@code rows}, in order. */
  public static Table of(String title, List<SplitStats> rows) {
    StringColumn split = StringColumn.create("split");
    IntColumn n = IntColumn.create("N");
    DoubleColumn nodesMean = DoubleColumn.create("nodes mean");
    DoubleColumn nodesStd = DoubleColumn.create("nodes std");
    DoubleColumn nodesMin = DoubleColumn.create("nodes min");
    DoubleColumn nodesMax = DoubleColumn.create("nodes max");
    DoubleColumn paramsMean = DoubleColumn.create("params (M) mean");
    DoubleColumn paramsStd = DoubleColumn.create("params (M) std");
    DoubleColumn paramsMin = DoubleColumn.create("params (M) min");
    DoubleColumn paramsMax = DoubleColumn.create("params (M) max");
    DoubleColumn cellsMean = DoubleColumn.create("cells mean");
    DoubleColumn cellsMin = DoubleColumn.create("cells min");
    DoubleColumn cellsMax = DoubleColumn.create("cells max");
    DoubleColumn noBn = DoubleColumn.create("no BN (%)");
    for (SplitStats s : rows) {
      split.append(s.name());
      n.append(s.n());
      if (s.nodes() == null) {
        nodesMean.appendMissing();
        nodesStd.appendMissing();
        nodesMin.appendMissing();
        nodesMax.appendMissing();
      } else {
        nodesMean.append(round(s.nodes().mean(), 1));
        nodesStd.append(round(s.nodes().std(), 1));
        nodesMin.append(s.nodes().min());
        nodesMax.append(s.nodes().max());
      }
      paramsMean.append(round(s.params().mean() / 1e6, 2));
      paramsStd.append(round(s.params().std() / 1e6, 2));
      paramsMin.append(round(s.params().min() / 1e6, 2));
      paramsMax.append(round(s.params().max() / 1e6, 2));
      cellsMean.append(round(s.cells().mean(), 1));
      cellsMin.append(s.cells().min());
      cellsMax.append(s.cells().max());
      noBn.append(round(100 * s.shareWithoutBn(), 1));
    }
    return Table.create(
        title,
        split,
        n,
        nodesMean,
        nodesStd,
        nodesMin,
        nodesMax,
        paramsMean,
        paramsStd,
        paramsMin,
        paramsMax,
        cellsMean,
        cellsMin,
        cellsMax,
        noBn);
  }

  private static double round(double x, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(x * f) / f;
  }
}
