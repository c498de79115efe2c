package ghn4j.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ghn4j.data.ImageSet;
import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnConfig;
import ghn4j.graph.Graph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny properties run: three small val nets at C = 4, 20 training and 10 test images, 2 epochs.
 */
class GroundTruthEndToEndTest {

  @TempDir Path tmp;

  private static ImageSet images(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[n * 3 * 32 * 32];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
      for (int k = 0; k < 3 * 32 * 32; k++) {
        px[i * 3 * 32 * 32 + k] = (byte) (r.nextInt(120) + (k % 10 == labels[i] ? 120 : 0));
      }
    }
    return ImageSet.of(
        px, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), 3, 32, 32);
  }

  @Test
  void measuresCachesAndResumes() throws Exception {
    Budget b = new Budget(4, 2, 2, 1, 10, 0.08, 0.9, 0);
    List<SampledNet> all = DeepNets.standard().nets(Split.VAL, 12);
    List<SampledNet> nets = List.of(all.get(9), all.get(3), all.get(11)); // small ones, for speed
    GroundTruth gt = new GroundTruth(b, images(20, 1), images(10, 2));
    Path file = tmp.resolve("gt.jsonl");
    List<NetProperties> first = gt.run("val", nets, PropertyCache.open(file, b.tag()), null);

    assertEquals(3, first.size());
    assertEquals(3, Files.readAllLines(file).size());
    for (int i = 0; i < 3; i++) {
      NetProperties p = first.get(i);
      assertEquals(nets.get(i).index(), p.index());
      assertEquals(b.tag(), p.budget());
      Graph g = NetworkBuilder.graph(gt.narrow(nets.get(i).args()));
      assertEquals(g.numParams(), p.params());
      assertEquals(g.primitiveView().size(), p.nodes());
      assertEquals(Features.depth(g.primitiveView()), p.depth());
      assertTrue(
          p.depth() > 1 && p.depth() <= p.nodes(),
          "depth " + p.depth() + " of " + p.nodes() + " nodes");
      // 10 test images: accuracies are multiples of 10 %
      assertEquals(0, p.accuracy() % 10, 1e-9);
      assertEquals(0, p.noiseAccuracy() % 10, 1e-9);
      assertTrue(p.imagesPerSecond() > 0 && Double.isFinite(p.imagesPerSecond()));
      assertEquals(2, p.trainCurve().size());
      assertTrue(
          p.convergeTime() == 0.5 || p.convergeTime() == 1.0, "converge " + p.convergeTime());
      assertEquals(GroundTruth.convergeTime(p.trainCurve(), 0.9), p.convergeTime());
    }

    // resuming with everything cached trains nothing: the same records come back from the file
    List<NetProperties> again =
        new GroundTruth(b, images(20, 1), images(10, 2))
            .run("val", nets, PropertyCache.open(file, b.tag()), null);
    assertEquals(first, again);
    assertEquals(3, Files.readAllLines(file).size());

    // features of the same narrow graphs
    try (NDManager m = NDManager.newBaseManager();
        Ghn ghn = Ghn.create(GhnConfig.ghn2(), m, 0)) {
      List<Graph> graphs =
          nets.stream().map(n -> NetworkBuilder.graph(gt.narrow(n.args()))).toList();
      double[][][] x =
          FeatureSet.ghn("random", ghn).rows(graphs.subList(0, 2), graphs.subList(2, 3));
      assertEquals(GhnConfig.ghn2().hid(), x[0][0].length);
      assertTrue(x[0][0][0] != x[0][1][0], "different nets, different mean embeddings");
      double[][][] s = FeatureSet.simple().rows(graphs, graphs);
      for (int j = 0; j < 3; j++) {
        double mean = (s[0][0][j] + s[0][1][j] + s[0][2][j]) / 3;
        assertEquals(0, mean, 1e-9); // standardised on the training rows
      }
    }
  }

  @Test
  void convergeTimeIsTheFirstEpochReachingTheFraction() {
    assertEquals(0.25, GroundTruth.convergeTime(List.of(40.0, 42.0, 43.0, 44.0), 0.9));
    assertEquals(0.75, GroundTruth.convergeTime(List.of(10.0, 20.0, 40.0, 44.0), 0.9));
    assertEquals(1.0, GroundTruth.convergeTime(List.of(10.0, 20.0, 30.0, 44.0), 0.9));
  }

  /** The record without its timings (images/s, seconds), which depend on the load. */
  private static NetProperties untimed(NetProperties p) {
    return new NetProperties(
        p.split(),
        p.index(),
        p.budget(),
        p.width(),
        p.params(),
        p.nodes(),
        p.depth(),
        p.accuracy(),
        p.noiseAccuracy(),
        0,
        p.convergeTime(),
        p.trainCurve(),
        0);
  }

  /**
   * Nets trained on worker threads give the sequential records (timings aside), appended to the
   * cache in net order; a run resumed from a partial cache with workers fills in the rest.
   */
  @Test
  void workersGiveTheSequentialRecordsInOrder() throws Exception {
    Budget b = new Budget(4, 2, 2, 1, 10, 0.08, 0.9, 0);
    List<SampledNet> all = DeepNets.standard().nets(Split.VAL, 12);
    List<SampledNet> nets = List.of(all.get(9), all.get(3), all.get(11));
    Path seqFile = tmp.resolve("seq.jsonl");
    List<NetProperties> seq =
        new GroundTruth(b, images(20, 1), images(10, 2))
            .run("val", nets, PropertyCache.open(seqFile, b.tag()), null);
    Path parFile = tmp.resolve("par.jsonl");
    // one net already cached (as after a kill), the other two trained by two workers
    PropertyCache partial = PropertyCache.open(parFile, b.tag());
    partial.append(seq.get(1));
    List<Integer> seen = new java.util.ArrayList<>();
    List<NetProperties> par =
        new GroundTruth(b, images(20, 1), images(10, 2))
            .run("val", nets, PropertyCache.open(parFile, b.tag()), 2, 1, p -> seen.add(p.index()));
    assertEquals(nets.stream().map(SampledNet::index).toList(), seen, "onEach in net order");
    assertEquals(
        seq.stream().map(GroundTruthEndToEndTest::untimed).toList(),
        par.stream().map(GroundTruthEndToEndTest::untimed).toList());
    List<NetProperties> cached =
        List.copyOf(PropertyCache.open(parFile, b.tag()).records().values());
    assertEquals(
        List.of(seq.get(1), seq.get(0), seq.get(2)).stream()
            .map(GroundTruthEndToEndTest::untimed)
            .toList(),
        cached.stream().map(GroundTruthEndToEndTest::untimed).toList(),
        "cache: the cached net, then net order");
    assertTrue(
        seq.stream().mapToDouble(NetProperties::accuracy).distinct().count() > 1
            || seq.stream().map(NetProperties::trainCurve).distinct().count() > 1,
        "nets differ: " + seq);
  }
}
