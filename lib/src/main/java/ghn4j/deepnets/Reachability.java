package ghn4j.deepnets;

import java.util.List;

/**
 * Whether a DeepNets-1M net's output depends on its input at all, following how ppuda's {@code
 * Cell.forward} propagates missing ({@code None}) states: a step whose two ops are {@code none} or
 * read missing states is missing; a cell whose concatenated states are all missing outputs nothing;
 * the next cell then sees a missing input. ppuda's generator rejects such nets because their graph
 * cannot be built; deciding it here, without building anything, keeps the generated sequence
 * independent of whether a graph builder is wired.
 */
public final class Reachability {

  private Reachability() {}

  /** True when the last cell produces an output. */
  public static boolean outputReachable(NetArgs args) {
    Genotype g = args.genotype();
    int n = args.nCells();
    // The stems always produce both inputs of the first cell (simple stem: s0 = s1; ViT: pos-enc;
    // ImageNet-style: two).
    boolean s0 = true;
    boolean s1 = true;
    for (int cell = 0; cell < n; cell++) {
      boolean reduction = cell > 0 && (cell == n / 3 || cell == 2 * n / 3);
      boolean out =
          reduction
              ? cellOutput(g.reduce(), g.reduceConcat(), s0, s1)
              : cellOutput(g.normal(), g.normalConcat(), s0, s1);
      s0 = s1;
      s1 = out;
    }
    return s1;
  }

  private static boolean cellOutput(
      List<Genotype.Edge> edges, List<Integer> concat, boolean s0, boolean s1) {
    int steps = edges.size() / 2;
    boolean[] alive = new boolean[steps + 2];
    alive[0] = s0;
    alive[1] = s1;
    for (int i = 0; i < steps; i++) {
      Genotype.Edge a = edges.get(2 * i);
      Genotype.Edge b = edges.get(2 * i + 1);
      alive[i + 2] =
          (!a.op().equals("none") && alive[a.input()])
              || (!b.op().equals("none") && alive[b.input()]);
    }
    for (int i : concat) {
      if (alive[i]) {
        return true;
      }
    }
    return false;
  }
}
