package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingWidthTest {

  private static NetArgs net(int cells, boolean globAvg, String op) {
    Genotype g =
        new Genotype(
            List.of(new Genotype.Edge(op, 0), new Genotype.Edge("skip_connect", 1)),
            List.of(2),
            List.of(new Genotype.Edge("max_pool_3x3", 0), new Genotype.Edge("max_pool_3x3", 1)),
            List.of(2));
    return new NetArgs(
        32, 10, g, cells, 3, false, false, 0, null, "bnorm", true, 1, 1, 256, globAvg);
  }

  private static Set<Integer> cs(NetArgs a, long params, Set<Integer> fcs) {
    TrainingWidth w = new TrainingWidth();
    SplittableRandom rng = new SplittableRandom(1);
    Set<Integer> out = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      TrainingWidth.Width x = w.sample(rng, a, params);
      out.add(x.C());
      fcs.add(x.fcDim());
    }
    return out;
  }

  @Test
  void loaderRules() {
    Set<Integer> fc = new HashSet<>();
    assertEquals(Set.of(32), cs(net(6, true, "conv_3x3"), 900_000, fc));
    assertEquals(Set.of(64, 128, 192, 256), fc);
    assertEquals(Set.of(32), cs(net(6, false, "conv_3x3"), 100_000, new HashSet<>()));
    assertEquals(Set.of(32), cs(net(6, true, "conv_5x5"), 100_000, new HashSet<>()));
    assertEquals(Set.of(32), cs(net(13, true, "conv_3x3"), 100_000, new HashSet<>()));
    assertEquals(Set.of(32, 48), cs(net(6, true, "conv_3x3"), 500_000, new HashSet<>()));
    assertEquals(Set.of(32, 48), cs(net(11, true, "conv_3x3"), 100_000, new HashSet<>()));
    assertEquals(Set.of(32, 48, 64), cs(net(9, true, "conv_3x3"), 100_000, new HashSet<>()));
    fc.clear();
    assertEquals(Set.of(32, 48, 64, 80, 96, 112, 128), cs(net(6, true, "conv_3x3"), 100_000, fc));
    assertEquals(Set.of(64, 128, 192, 256, 320, 384, 448, 512), fc);
  }

  @Test
  void largeFcOnlyWithSmallC() {
    TrainingWidth w = new TrainingWidth();
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 2000; i++) {
      TrainingWidth.Width x = w.sample(rng, net(5, true, "sep_conv_3x3"), 50_000);
      assertTrue(x.fcDim() <= 256 || x.C() <= 64, x.toString());
    }
  }
}
