package ghn4j.experiments;

import ghn4j.eval.EvalResults;
import ghn4j.eval.Evaluator;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Two GHNs on the same nets of one split, paired net by net: their mean top-1 and the mean of the
 * per-net differences, which cancels how hard each net is (the nets of a split differ by several
 * points; two GHNs usually by less). For two single checkpoints, where {@link PairedDifference}
 * pairs seeded recipe runs.
 *
 * @param split the split both were evaluated on (from the files)
 * @param nets how many nets both were evaluated on
 * @param meanA mean top-1 (%) of A's predicted parameters over the nets; {@code meanB} of B's
 * @param diff mean over nets of (A − B) top-1, in points
 * @param stdErr its standard error over the nets (sample std / √nets; NaN for one net)
 * @param ahead on how many nets A is ahead of B
 */
public record NetComparison(
    String split, int nets, double meanA, double meanB, double diff, double stdErr, int ahead) {

  /**
   * Compares the per-net results of two evaluations ({@link EvalResults} CSV files, as {@code
   * ./ghn4j eval --out} writes them), matched by split and net name.
   *
   * @throws IllegalArgumentException naming the files when they hold different nets or splits
   */
  public static NetComparison of(Path a, Path b) {
    List<Evaluator.NetResult> ra = EvalResults.read(a);
    List<Evaluator.NetResult> rb = EvalResults.read(b);
    double[] d = PairedDifference.netDifferences(ra, rb, a, b);
    List<String> splits = ra.stream().map(Evaluator.NetResult::split).distinct().toList();
    if (splits.size() != 1) {
      throw new IllegalArgumentException(a + ": one split expected, got " + splits);
    }
    double meanA = ra.stream().mapToDouble(Evaluator.NetResult::accuracy).average().orElseThrow();
    double meanB = rb.stream().mapToDouble(Evaluator.NetResult::accuracy).average().orElseThrow();
    double diff = Arrays.stream(d).average().orElseThrow();
    int ahead = (int) Arrays.stream(d).filter(x -> x > 0).count();
    return new NetComparison(
        splits.get(0), d.length, meanA, meanB, diff, PairedDifference.stdErr(d), ahead);
  }
}
