package ghn4j.deepnets;

import java.util.ArrayList;
import java.util.List;

/**
 * A canonical key of a net's architecture, independent of its widths (C, fc_dim), classes and input
 * size, so that a training net equal to an evaluation net up to width is recognised. The two ops of
 * a step are summed, so their order does not matter: each step's pair is sorted.
 */
public record NetKey(String value) {

  /** The key of {@code a}. */
  public static NetKey of(NetArgs a) {
    StringBuilder sb = new StringBuilder(160);
    cell(sb, a.genotype().normal());
    sb.append(a.genotype().normalConcat()).append('|');
    cell(sb, a.genotype().reduce());
    sb.append(a.genotype().reduceConcat()).append('|');
    sb.append(a.nCells())
        .append(',')
        .append(a.ks())
        .append(',')
        .append(a.stemType())
        .append(',')
        .append(a.stemPool() ? 1 : 0)
        .append(',')
        .append(isBatchNorm(a.norm()) ? "bn" : "-")
        .append(',')
        .append(a.preproc() ? 1 : 0)
        .append(',')
        .append(a.cMult())
        .append(',')
        .append(a.fcLayers())
        .append(',')
        .append(a.globAvg() ? 1 : 0);
    return new NetKey(sb.toString());
  }

  /** ppuda's test for BatchNorm: any norm name starting with "bn". */
  public static boolean isBatchNorm(String norm) {
    return norm != null && norm.startsWith("bn");
  }

  private static void cell(StringBuilder sb, List<Genotype.Edge> edges) {
    List<String> steps = new ArrayList<>();
    for (int i = 0; i + 1 < edges.size(); i += 2) {
      String x = edges.get(i).op() + "@" + edges.get(i).input();
      String y = edges.get(i + 1).op() + "@" + edges.get(i + 1).input();
      steps.add(x.compareTo(y) <= 0 ? x + "+" + y : y + "+" + x);
    }
    sb.append(String.join(";", steps)).append('|');
  }
}
