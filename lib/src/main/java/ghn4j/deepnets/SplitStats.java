package ghn4j.deepnets;

import ghn4j.graph.Graph;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A Table-1-style summary row of a split (as in the GHN-2 paper's DeepNets-1M statistics): number
 * of nets, nodes mean ± std [min, max], parameters (millions, CIFAR-10) mean ± std [min, max],
 * cells mean [min, max], and the share of nets without BatchNorm. Standard deviations are
 * population ones (numpy's default, as ppuda's generator prints).
 *
 * <p>Node counts come from the nets (split files written with a graph builder, ppuda's meta JSON)
 * or from a graph builder; when neither has them they are reported as n/a rather than estimated.
 *
 * @param name row label
 * @param n number of nets
 * @param nodes node-count summary, or null when unknown
 * @param params parameter-count summary (absolute counts)
 * @param cells number-of-cells summary
 * @param shareWithoutBn fraction of nets with no BatchNorm
 */
public record SplitStats(
    String name, int n, Summary nodes, Summary params, Summary cells, double shareWithoutBn) {

  /** mean ± std [min, max] of a sample. */
  public record Summary(double mean, double std, double min, double max) {

    /** Summary of {@code xs} (non-empty). */
    public static Summary of(double[] xs) {
      if (xs.length == 0) {
        throw new IllegalArgumentException("empty sample");
      }
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double x : xs) {
        sum += x;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      double mean = sum / xs.length;
      double ss = 0;
      for (double x : xs) {
        ss += (x - mean) * (x - mean);
      }
      return new Summary(mean, Math.sqrt(ss / xs.length), min, max);
    }
  }

  /**
   * The row of {@code nets}.
   *
   * @param builder builds graphs to count nodes of nets that carry no count; null to report n/a for
   *     those
   */
  public static SplitStats of(
      String name, List<SampledNet> nets, Function<NetArgs, Graph> builder) {
    if (nets.isEmpty()) {
      throw new IllegalArgumentException(name + ": no nets");
    }
    int n = nets.size();
    double[] params = new double[n];
    double[] cells = new double[n];
    double[] nodes = new double[n];
    boolean nodesKnown = true;
    int noBn = 0;
    for (int i = 0; i < n; i++) {
      SampledNet net = nets.get(i);
      params[i] = net.numParams();
      cells[i] = net.args().nCells();
      noBn += NetKey.isBatchNorm(net.args().norm()) ? 0 : 1;
      if (net.numNodes().isPresent()) {
        nodes[i] = net.numNodes().getAsInt();
      } else if (builder != null) {
        nodes[i] = builder.apply(net.args()).primitiveView().size();
      } else {
        nodesKnown = false;
      }
    }
    return new SplitStats(
        name,
        n,
        nodesKnown ? Summary.of(nodes) : null,
        Summary.of(params),
        Summary.of(cells),
        noBn / (double) n);
  }

  /** Column header matching {@link #format()}. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-22s %8s  %-28s  %-34s  %-16s  %s",
        "split",
        "N",
        "nodes mean±std [min, max]",
        "params (M) mean±std [min, max]",
        "cells mean [min,max]",
        "no BN");
  }

  /** This row, aligned with {@link #header()}. */
  public String format() {
    String nodeCol =
        nodes == null
            ? "n/a"
            : String.format(
                Locale.ROOT,
                "%.1f±%.1f [%.0f, %.0f]",
                nodes.mean(),
                nodes.std(),
                nodes.min(),
                nodes.max());
    String paramCol =
        String.format(
            Locale.ROOT,
            "%.2f±%.2f [%.2f, %.2f]",
            params.mean() / 1e6,
            params.std() / 1e6,
            params.min() / 1e6,
            params.max() / 1e6);
    String cellCol =
        String.format(Locale.ROOT, "%.1f [%.0f, %.0f]", cells.mean(), cells.min(), cells.max());
    return String.format(
        Locale.ROOT,
        "%-22s %8d  %-28s  %-34s  %-16s  %.1f%%",
        name,
        n,
        nodeCol,
        paramCol,
        cellCol,
        100 * shareWithoutBn);
  }
}
