package ghn4j.deepnets;

import java.util.List;

/**
 * The checks a {@link NetArgs} passes before {@link NetworkBuilder} walks it, with errors that name
 * the field.
 */
final class NetArgsCheck {

  private NetArgsCheck() {}

  static void validate(NetArgs a) {
    if (a.C() <= 0 || a.numClasses() <= 0 || a.nCells() <= 0) {
      throw new IllegalArgumentException(
          "C, num_classes and n_cells must be positive: "
              + a.C()
              + ", "
              + a.numClasses()
              + ", "
              + a.nCells());
    }
    if (a.stemType() != 0 && a.stemType() != 1) {
      throw new IllegalArgumentException(
          "stem_type must be 0 (simple) or 1 (ImageNet-style), got " + a.stemType());
    }
    int steps = a.genotype().normalConcat().size();
    if ((steps > 1 || a.cMult() > 1) && !a.preproc()) {
      throw new IllegalArgumentException(
          "preproc must be true when the concat has > 1 input or C_mult > 1");
    }
    if (a.fcLayers() > 1 && a.fcDim() <= 0) {
      throw new IllegalArgumentException(
          "fc_dim must be positive when fc_layers > 1, got " + a.fcDim());
    }
    checkCell("normal", a.genotype().normal(), a.genotype().normalConcat());
    checkCell("reduce", a.genotype().reduce(), a.genotype().reduceConcat());
  }

  private static void checkCell(String which, List<Genotype.Edge> edges, List<Integer> concat) {
    if (edges.isEmpty() || edges.size() % 2 != 0) {
      throw new IllegalArgumentException(
          which + " cell needs an even, non-zero number of ops, got " + edges.size());
    }
    for (int i = 0; i < edges.size(); i++) {
      Genotype.Edge e = edges.get(i);
      CellOp.parse(e.op());
      if (e.input() < 0 || e.input() >= 2 + i / 2) {
        throw new IllegalArgumentException(
            which
                + " cell op "
                + i
                + " ("
                + e.op()
                + ") reads state "
                + e.input()
                + ", which does not exist yet");
      }
    }
    if (concat.isEmpty()) {
      throw new IllegalArgumentException(which + " cell concat is empty");
    }
    for (int c : concat) {
      if (c < 0 || c >= 2 + edges.size() / 2) {
        throw new IllegalArgumentException(
            which + " cell concat refers to state " + c + ", which does not exist");
      }
    }
  }
}
