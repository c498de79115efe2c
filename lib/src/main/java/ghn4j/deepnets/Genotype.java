package ghn4j.deepnets;

import java.util.List;

/**
 * A DARTS-style cell description (ppuda's {@code Genotype}): for the normal and the reduction cell,
 * a list of {@code (op, input)} pairs — two per step — and the states concatenated into the cell's
 * output.
 */
public record Genotype(
    List<Edge> normal, List<Integer> normalConcat, List<Edge> reduce, List<Integer> reduceConcat) {

  /**
   * One op of a cell: its name in the extended DARTS set (e.g. {@code sep_conv_3x3}) and the state
   * it reads.
   */
  public record Edge(String op, int input) {}

  public Genotype {
    normal = List.copyOf(normal);
    normalConcat = List.copyOf(normalConcat);
    reduce = List.copyOf(reduce);
    reduceConcat = List.copyOf(reduceConcat);
  }
}
