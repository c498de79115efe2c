package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetSamplerTest {

  /** Accepted draws of a split (structural rules only). */
  static List<NetSampler.Draw> accepted(Split split, int n, long seed) {
    NetSampler s = new NetSampler(split.settings());
    SplittableRandom rng = new SplittableRandom(seed);
    List<NetSampler.Draw> out = new ArrayList<>();
    while (out.size() < n) {
      NetSampler.Draw d = s.draw(rng);
      if (d.accepted()) {
        out.add(d);
      }
    }
    return out;
  }

  private static Genotype g(List<Genotype.Edge> normal, List<Genotype.Edge> reduce) {
    return new Genotype(normal, List.of(2), reduce, List.of(2));
  }

  private static Genotype.Edge e(String op, int in) {
    return new Genotype.Edge(op, in);
  }

  @Test
  void genotypeRejections() {
    List<Genotype.Edge> pools = List.of(e("max_pool_3x3", 0), e("skip_connect", 1));
    assertEquals(
        NetSampler.Rejection.CSE_WITHOUT_CONV,
        NetSampler.checkGenotype(g(List.of(e("cse", 0), e("avg_pool_3x3", 1)), pools)));
    assertEquals(
        NetSampler.Rejection.TWO_CSE_IN_A_CELL,
        NetSampler.checkGenotype(
            g(List.of(e("cse", 0), e("cse", 1)), List.of(e("conv_1x1", 0), e("none", 1)))));
    assertNull(
        NetSampler.checkGenotype(
            g(List.of(e("cse", 0), e("conv_3x3", 1)), List.of(e("cse", 0), e("none", 1)))));
    assertEquals(
        NetSampler.Rejection.TWO_LARGE_CONVS_IN_A_CELL,
        NetSampler.checkGenotype(g(List.of(e("conv_5x5", 0), e("conv_7x7", 1)), pools)));
    assertNull(
        NetSampler.checkGenotype(
            g(
                List.of(e("conv_5x5", 0), e("sep_conv_5x5", 1)),
                List.of(e("conv_7x7", 0), e("none", 1)))));
    assertEquals(
        NetSampler.Rejection.NO_LEARNABLE_OP,
        NetSampler.checkGenotype(g(List.of(e("max_pool_3x3", 0), e("skip_connect", 1)), pools)));
    assertNull(NetSampler.checkGenotype(g(List.of(e("msa", 0), e("skip_connect", 1)), pools)));
  }

  @Test
  void disconnectedNetsAreRejected() {
    // The normal cell reads only its second input (step 2 = conv(1) + none(0)); the reduction cell
    // outputs only state
    // 3 = none(2) + none(2), nothing. So the cell after the last reduction, the output cell here,
    // gets nothing.
    List<Genotype.Edge> normal = List.of(e("conv_3x3", 1), e("none", 0));
    Genotype dead =
        new Genotype(
            normal,
            List.of(2),
            List.of(e("max_pool_3x3", 0), e("max_pool_3x3", 1), e("none", 2), e("none", 2)),
            List.of(3));
    NetArgs a =
        new NetArgs(32, 10, dead, 6, 3, false, false, 0, null, "bnorm", true, 1, 1, 256, true);
    assertFalse(Reachability.outputReachable(a));
    // A normal cell reading its first input skips the dead reduction cell: reachable.
    Genotype skips =
        new Genotype(
            List.of(e("conv_3x3", 0), e("none", 1)), List.of(2), dead.reduce(), List.of(3));
    assertTrue(
        Reachability.outputReachable(
            new NetArgs(
                32, 10, skips, 6, 3, false, false, 0, null, "bnorm", true, 1, 1, 256, true)));
    Genotype alive =
        new Genotype(
            normal,
            List.of(2),
            List.of(e("max_pool_3x3", 0), e("max_pool_3x3", 1), e("none", 2), e("skip_connect", 2)),
            List.of(3));
    assertTrue(
        Reachability.outputReachable(
            new NetArgs(
                32, 10, alive, 6, 3, false, false, 0, null, "bnorm", true, 1, 1, 256, true)));

    // The sampler meets such nets and rejects them
    NetSampler s = new NetSampler(Split.DENSE.settings());
    SplittableRandom rng = new SplittableRandom(5);
    int disconnected = 0;
    for (int i = 0; i < 20000; i++) {
      NetSampler.Draw d = s.draw(rng);
      if (d.rejection() == NetSampler.Rejection.DISCONNECTED) {
        disconnected++;
        assertFalse(Reachability.outputReachable(d.args()));
      } else if (d.accepted()) {
        assertTrue(Reachability.outputReachable(d.args()));
      }
    }
    assertTrue(disconnected > 0);
  }

  @Test
  void standardSplitRules() {
    Set<NetSampler.Rejection> seen = EnumSet.noneOf(NetSampler.Rejection.class);
    boolean sawNoBn = false;
    boolean sawNoPreproc = false;
    boolean sawVggHead = false;
    for (NetSampler.Draw d : accepted(Split.TRAIN, 3000, 6)) {
      NetArgs a = d.args();
      assertNull(NetSampler.checkGenotype(a.genotype()));
      assertTrue(a.nCells() >= 4 && a.nCells() <= 18, "cells " + a.nCells());
      assertTrue(d.steps() >= 1 && d.steps() <= 4);
      if (a.nCells() > 10) {
        assertTrue(d.steps() <= 2, "deep nets have at most mediumSteps");
      }
      assertEquals(d.steps(), a.genotype().normal().size() / 2);
      if (d.steps() == 1) {
        assertTrue(
            a.genotype().normal().stream().noneMatch(x -> x.op().equals("none")),
            "none needs > 1 step");
      }
      boolean vit =
          NetSampler.countOps(a.genotype().normal(), "msa")
                  + NetSampler.countOps(a.genotype().reduce(), "msa")
              > 0;
      if (d.steps() > 1 || a.cMult() > 1 || !vit) {
        assertTrue(a.preproc());
      }
      sawNoPreproc |= !a.preproc();
      if (vit || a.nCells() > 10) {
        assertTrue(a.globAvg());
      }
      sawVggHead |= !a.globAvg();
      if (a.norm() == null) {
        assertTrue(a.nCells() <= 5 && d.steps() <= 2, "no BN only for shallow nets");
        sawNoBn = true;
      } else {
        assertEquals("bnorm", a.norm());
      }
      assertTrue(a.stemType() == 0 || !a.stemPool());
      assertTrue(Set.of(3, 5, 7).contains(a.ks()));
      assertTrue(a.fcLayers() == 1 || a.fcLayers() == 2);
      assertTrue(a.cMult() == 1 || a.cMult() == 2);
      assertEquals(32, a.C());
      assertEquals(256, a.fcDim());
      assertFalse(a.imagenetInput());
    }
    assertTrue(sawNoBn && sawNoPreproc && sawVggHead);
    NetSampler s = new NetSampler(Split.TRAIN.settings());
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 5000; i++) {
      NetSampler.Rejection r = s.draw(rng).rejection();
      if (r != null) {
        seen.add(r);
      }
    }
    assertTrue(
        seen.containsAll(
            EnumSet.of(
                NetSampler.Rejection.CSE_WITHOUT_CONV,
                NetSampler.Rejection.TWO_CSE_IN_A_CELL,
                NetSampler.Rejection.TWO_LARGE_CONVS_IN_A_CELL,
                NetSampler.Rejection.NO_LEARNABLE_OP)),
        seen.toString());
  }

  @Test
  void deepSplitDepthRange() {
    int max = 0;
    for (NetSampler.Draw d : accepted(Split.DEEP, 1000, 8)) {
      int n = d.args().nCells();
      assertTrue(n >= 10 && n <= 36, "cells " + n);
      max = Math.max(max, n);
      if (n > 18) {
        assertTrue(d.steps() <= 2);
        assertTrue(d.args().globAvg());
      }
    }
    assertTrue(max > 30);
  }

  @Test
  void denseSplitSteps() {
    int maxSteps = 0;
    for (NetSampler.Draw d : accepted(Split.DENSE, 1000, 9)) {
      assertTrue(d.steps() >= 2 && d.steps() <= 10);
      if (d.args().nCells() > 10) {
        assertTrue(d.steps() <= 6);
      }
      maxSteps = Math.max(maxSteps, d.steps());
    }
    assertEquals(10, maxSteps);
  }

  @Test
  void bnfreeHasNoNormAndSearchAlwaysBn() {
    for (NetSampler.Draw d : accepted(Split.BNFREE, 500, 10)) {
      assertNull(d.args().norm());
    }
    for (NetSampler.Draw d : accepted(Split.SEARCH, 500, 11)) {
      assertEquals("bnorm", d.args().norm());
      assertTrue(d.args().nCells() >= 6 && d.args().nCells() <= 20);
      assertTrue(d.steps() <= 6);
    }
  }
}
