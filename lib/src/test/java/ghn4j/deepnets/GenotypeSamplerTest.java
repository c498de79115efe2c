package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GenotypeSamplerTest {

  private static final Set<String> POOL_ONLY =
      Set.of("none", "max_pool_3x3", "avg_pool_3x3", "skip_connect");

  @Test
  void sameSeedSameGenotypes() {
    GenotypeSampler s = new GenotypeSampler(true, true);
    SplittableRandom a = new SplittableRandom(42);
    SplittableRandom b = new SplittableRandom(42);
    SplittableRandom c = new SplittableRandom(43);
    boolean anyDiff = false;
    for (int i = 0; i < 50; i++) {
      Genotype ga = s.sample(a, 3, false, true);
      assertEquals(ga, s.sample(b, 3, false, true));
      anyDiff |= !ga.equals(s.sample(c, 3, false, true));
    }
    assertTrue(anyDiff);
  }

  @Test
  void poolOnlyReductionCellsHaveNoTrainableOps() {
    GenotypeSampler s = new GenotypeSampler(true, true);
    SplittableRandom rng = new SplittableRandom(1);
    Set<String> reduceOpsWithoutRule = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      for (Genotype.Edge e : s.sample(rng, 4, true, false).reduce()) {
        assertTrue(POOL_ONLY.contains(e.op()), e.op());
      }
      s.sample(rng, 4, false, false).reduce().forEach(e -> reduceOpsWithoutRule.add(e.op()));
    }
    assertEquals(
        new HashSet<>(GenotypeSampler.OPS), reduceOpsWithoutRule, "all 15 ops without the rule");
  }

  @Test
  void noneOnlyWhenAllowedAndMsaOnlyWithTransformers() {
    SplittableRandom rng = new SplittableRandom(2);
    GenotypeSampler noNoneNoMsa = new GenotypeSampler(false, false);
    GenotypeSampler all = new GenotypeSampler(true, true);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      Genotype g = noNoneNoMsa.sample(rng, 3, i % 2 == 0, false);
      for (Genotype.Edge e : concat(g)) {
        assertNotEquals("none", e.op());
        assertNotEquals("msa", e.op());
      }
      concat(all.sample(rng, 3, false, false)).forEach(e -> seen.add(e.op()));
    }
    assertTrue(seen.contains("none") && seen.contains("msa"));
  }

  @Test
  void stepsHaveTwoDistinctEarlierInputs() {
    GenotypeSampler s = new GenotypeSampler(true, true);
    SplittableRandom rng = new SplittableRandom(3);
    Set<Integer> firstInputsOfLastStep = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Genotype g = s.sample(rng, 5, false, false);
      assertEquals(10, g.normal().size());
      assertEquals(10, g.reduce().size());
      for (List<Genotype.Edge> cell : List.of(g.normal(), g.reduce())) {
        for (int step = 0; step < 5; step++) {
          int a = cell.get(2 * step).input();
          int b = cell.get(2 * step + 1).input();
          assertNotEquals(a, b);
          assertTrue(a >= 0 && a <= step + 1 && b >= 0 && b <= step + 1);
        }
        firstInputsOfLastStep.add(cell.get(8).input());
      }
    }
    assertEquals(Set.of(0, 1, 2, 3, 4, 5), firstInputsOfLastStep);
  }

  @Test
  void concatKeepsLastStateAndDropsOthersOnlyWhenAsked() {
    GenotypeSampler s = new GenotypeSampler(true, true);
    SplittableRandom rng = new SplittableRandom(4);
    boolean dropped = false;
    for (int i = 0; i < 200; i++) {
      Genotype full = s.sample(rng, 4, false, false);
      assertEquals(List.of(2, 3, 4, 5), full.normalConcat());
      assertEquals(full.normalConcat(), full.reduceConcat());
      Genotype d = s.sample(rng, 4, false, true);
      assertTrue(d.normalConcat().contains(5));
      assertTrue(List.of(2, 3, 4, 5).containsAll(d.normalConcat()));
      dropped |= d.normalConcat().size() < 4;
    }
    assertTrue(dropped);
    assertFalse(s.sample(rng, 1, false, true).normalConcat().isEmpty());
  }

  private static List<Genotype.Edge> concat(Genotype g) {
    return java.util.stream.Stream.concat(g.normal().stream(), g.reduce().stream()).toList();
  }
}
