package ghn4j.deepnets;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * TEST ONLY — an approximate parameter counter following the structure of ppuda's {@code Network}
 * (stems, 1×1 preprocessing, the cell ops, the classifier), written for the generator's tests
 * before the real counter ({@code NetworkBuilder::countParams}) existed; they keep it as a cheap
 * counter that does not depend on the builder. Not exact (e.g. FactorizedReduce and conv_7x1_1x7
 * are simplified); production code uses {@code NetworkBuilder::countParams}.
 */
final class ApproxParamCounter implements ToLongFunction<NetArgs> {

  @Override
  public long applyAsLong(NetArgs a) {
    boolean vit = a.isVit() != null ? a.isVit() : hasOp(a.genotype(), "msa");
    int steps = a.genotype().normalConcat().size();
    long bnFactor = a.norm() == null ? 0 : 2;
    long p = 0;
    int c = a.C();
    int cPrevPrev = c;
    int cPrev = c;
    int cCurr = c;
    if (vit) {
      int ks = a.imagenetInput() ? 16 : 3;
      int pe = a.imagenetInput() ? 14 : 11;
      p += 3L * c * ks * ks + (long) c * pe * pe;
    } else if (a.stemType() == 0) {
      int cStem = c * (a.preproc() && !a.imagenetInput() ? 3 : 1);
      p += 3L * cStem * a.ks() * a.ks() + bnFactor * cStem;
      cPrevPrev = cPrev = cStem;
    } else {
      p +=
          3L * (c / 2) * a.ks() * a.ks()
              + bnFactor * (c / 2)
              + (long) (c / 2) * c * 9
              + bnFactor * c
              + (long) c * c * 9
              + bnFactor * c;
    }
    int n = a.nCells();
    boolean reductionPrev = a.stemType() == 1;
    for (int cell = 0; cell < n; cell++) {
      boolean reduction = isReduction(cell, n);
      if (reduction) {
        cCurr *= a.cMult();
      }
      boolean reductionNext = isReduction(cell + 1, n);
      int cIn = a.preproc() ? cCurr : cPrev;
      int cOut = cCurr * (reductionNext && steps == 1 && !a.preproc() ? a.cMult() : 1);
      if (a.preproc()) {
        p += (long) cPrevPrev * cOut + bnFactor * cOut + (long) cPrev * cOut + bnFactor * cOut;
      }
      List<Genotype.Edge> edges = reduction ? a.genotype().reduce() : a.genotype().normal();
      for (Genotype.Edge e : edges) {
        int in = e.input() <= 1 ? cIn : cOut;
        boolean stride2 = reduction && e.input() < 2 && !vit;
        p += op(e.op(), in, cOut, stride2, bnFactor);
      }
      reductionPrev = reduction;
      int mult = (reduction ? a.genotype().reduceConcat() : a.genotype().normalConcat()).size();
      cPrevPrev = cPrev;
      cPrev = mult * cCurr;
    }
    long feat = cPrev;
    if (!a.globAvg()) {
      int s =
          a.imagenetInput()
              ? (a.stemType() == 1 || a.stemPool() ? 7 : 14)
              : (a.stemType() == 1 || a.stemPool() ? 4 : 8);
      feat *= (long) s * s;
    }
    int out1 = a.fcLayers() > 1 ? a.fcDim() : a.numClasses();
    p += feat * out1 + out1;
    for (int i = 0; i < a.fcLayers() - 1; i++) {
      int o = i < a.fcLayers() - 2 ? a.fcDim() : a.numClasses();
      p += (long) a.fcDim() * o + o;
    }
    return p;
  }

  private static boolean isReduction(int cell, int n) {
    return cell > 0 && (cell == n / 3 || cell == 2 * n / 3);
  }

  private static long op(String op, long in, long out, boolean stride2, long bn) {
    int k = op.contains("5x5") ? 5 : op.contains("7x7") ? 7 : op.contains("3x3") ? 3 : 1;
    return switch (op) {
      case "none", "max_pool_3x3", "avg_pool_3x3" -> 0;
      case "skip_connect" -> stride2 ? in * out + bn * out : 0;
      case "sep_conv_3x3", "sep_conv_5x5" ->
          in * k * k + in * in + bn * in + in * k * k + in * out + bn * out;
      case "dil_conv_3x3", "dil_conv_5x5" -> in * k * k + in * out + bn * out;
      case "conv_1x1", "conv_3x3", "conv_5x5", "conv_7x7" -> in * out * k * k + bn * out;
      case "conv_7x1_1x7" -> in * out * 7 + out * out * 7 + bn * out;
      case "msa" -> in * 3 * in + in * out + out + 4 * in + in * out + out + out * in + in;
      case "cse" -> in * (in / 2) + in / 2 + (in / 2) * in + in;
      default -> throw new IllegalArgumentException("unknown op " + op);
    };
  }

  private static boolean hasOp(Genotype g, String op) {
    return g.normal().stream().anyMatch(e -> e.op().equals(op))
        || g.reduce().stream().anyMatch(e -> e.op().equals(op));
  }
}
