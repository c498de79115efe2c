package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SplitGeneratorTest {

  static final ToLongFunction<NetArgs> COUNTER = new ApproxParamCounter();
  static Set<NetKey> evalKeys;

  @BeforeAll
  static void keys() {
    evalKeys = SplitGenerator.evaluationKeys(COUNTER);
  }

  private static SplitGenerator gen(Split s, long seed) {
    return new SplitGenerator(s, seed, COUNTER, null);
  }

  @Test
  void deterministicBySeedAndIndependentOfShardSize() {
    List<SampledNet> a = gen(Split.TEST, 5).first(20);
    assertEquals(a, gen(Split.TEST, 5).first(20));
    List<SampledNet> sharded = new ArrayList<>(gen(Split.TEST, 5).shard(0, 7, 7).nets());
    sharded.addAll(gen(Split.TEST, 5).shard(1, 7, 7).nets());
    sharded.addAll(gen(Split.TEST, 5).shard(2, 7, 6).nets());
    assertEquals(a, sharded);
    assertNotEquals(a, gen(Split.TEST, 6).first(20));
    for (int i = 0; i < 20; i++) {
      assertEquals(i, a.get(i).index());
    }
  }

  @Test
  void splitsHaveDistinctSeedsSoTheirFirstNetsDiffer() {
    Set<Long> seeds = new HashSet<>();
    for (Split s : Split.values()) {
      assertTrue(seeds.add(s.seed()), "seed of " + s + " reused");
    }
    NetKey test0 = NetKey.of(gen(Split.TEST, Split.TEST.seed()).first(1).get(0).args());
    NetKey train0 = NetKey.of(gen(Split.TRAIN, Split.TRAIN.seed()).first(1).get(0).args());
    assertNotEquals(test0, train0);
  }

  @Test
  void maxParamsRule() {
    SplitGenerator.Shard shard = gen(Split.TRAIN, 1).shard(0, 300, 300);
    for (SampledNet n : shard.nets()) {
      assertTrue(
          n.numParams() <= 10_000_000L && n.numParamsImagenet() <= 10_000_000L, n.toString());
      assertEquals(COUNTER.applyAsLong(n.args()), n.numParams());
    }
    // A counter that makes nets with > 15 cells too large (with the ImageNet stem only): they never
    // pass.
    ToLongFunction<NetArgs> big = a -> a.nCells() > 15 && a.imagenetInput() ? 10_000_001L : 1000L;
    SplitGenerator.Shard s = new SplitGenerator(Split.TEST, 1, big, null).shard(0, 100, 100);
    assertTrue(s.nets().stream().allMatch(n -> n.args().nCells() <= 15));
    assertTrue(
        s.rejected().getOrDefault(NetSampler.Rejection.TOO_MANY_PARAMS, 0) > 0,
        s.rejected().toString());
    // deep and dense allow 100 M
    assertTrue(
        new SplitGenerator(Split.DEEP, 1, big, null)
            .first(100).stream().anyMatch(n -> n.args().nCells() > 15));
  }

  @Test
  void noEvaluationNetInTrain() {
    SplitGenerator train = gen(Split.TRAIN, Split.TRAIN.seed());
    assertEquals(evalKeys, train.excludedKeys());
    assertTrue(evalKeys.size() > 1300, "keys of the 1400 evaluation nets: " + evalKeys.size());
    for (SampledNet n : train.first(2000)) {
      assertFalse(evalKeys.contains(NetKey.of(n.args())));
    }
    // The rule bites: excluding the first train nets' own keys changes those nets.
    List<SampledNet> first = train.first(30);
    Set<NetKey> own = new HashSet<>();
    first.forEach(n -> own.add(NetKey.of(n.args())));
    List<SampledNet> again = train.excluding(own).first(30);
    for (int i = 0; i < 30; i++) {
      assertFalse(own.contains(NetKey.of(again.get(i).args())));
    }
  }

  @Test
  void netKeyIgnoresWidthAndOpOrderWithinAStep() {
    NetArgs a = gen(Split.VAL, 3).first(1).get(0).args();
    assertEquals(NetKey.of(a), NetKey.of(a.withC(512).withFcDim(64)));
    List<Genotype.Edge> swapped = new ArrayList<>(a.genotype().normal());
    java.util.Collections.swap(swapped, 0, 1);
    Genotype g =
        new Genotype(
            swapped,
            a.genotype().normalConcat(),
            a.genotype().reduce(),
            a.genotype().reduceConcat());
    NetArgs b =
        new NetArgs(
            a.C(),
            10,
            g,
            a.nCells(),
            a.ks(),
            false,
            a.stemPool(),
            a.stemType(),
            null,
            a.norm(),
            a.preproc(),
            a.cMult(),
            a.fcLayers(),
            a.fcDim(),
            a.globAvg());
    assertEquals(NetKey.of(a), NetKey.of(b));
    NetArgs c =
        new NetArgs(
            a.C(),
            10,
            a.genotype(),
            a.nCells() + 1,
            a.ks(),
            false,
            a.stemPool(),
            a.stemType(),
            null,
            a.norm(),
            a.preproc(),
            a.cMult(),
            a.fcLayers(),
            a.fcDim(),
            a.globAvg());
    assertNotEquals(NetKey.of(a), NetKey.of(c));
  }

  @Test
  void evaluationWidthsFollowThePublishedParamRange() {
    // published (CIFAR-10): 2.50–34.8 M overall, means 3.2–4.0 M; with the approximate test counter
    for (Split s : List.of(Split.VAL, Split.DEEP, Split.BNFREE)) {
      List<SampledNet> nets = gen(s, s.seed()).first(100);
      double mean = 0;
      for (SampledNet n : nets) {
        assertEquals(0, n.args().C() % 16);
        assertTrue(
            n.numParams() >= EvalWidth.DEFAULT_MIN_PARAMS || n.args().C() == 512, s + ": " + n);
        assertTrue(n.args().C() == 16 || n.numParams() <= 40_000_000L, s + ": " + n);
        mean += n.numParams() / 1e6 / nets.size();
      }
      assertTrue(mean > 2.6 && mean < 5.0, s + " mean " + mean + " M");
    }
    List<SampledNet> wide = gen(Split.WIDE, Split.WIDE.seed()).first(30);
    double wideMean = wide.stream().mapToLong(SampledNet::numParams).average().orElseThrow() / 1e6;
    for (SampledNet n : wide) {
      assertEquals(0, n.args().C() % 64, "wide C is 4× an evaluation C");
    }
    assertTrue(wideMean > 25 && wideMean < 90, "wide mean " + wideMean + " M (published 51.6 M)");
  }

  @Test
  void trainNetsKeepGenerationWidths() {
    for (SampledNet n : gen(Split.TRAIN, 2).first(50)) {
      assertEquals(32, n.args().C());
      assertEquals(256, n.args().fcDim());
    }
  }
}
