package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceMetaTest {

  private static Path meta(String split) {
    return Fixtures.dir().resolve("deepnets").resolve(split + "_meta.json");
  }

  private static int netsInFile(Path p, String split) throws IOException {
    return new ObjectMapper().readTree(p.toFile()).get(split).get("nets").size();
  }

  @Test
  void readsValAndBnfree() throws IOException {
    for (String split : List.of("val", "bnfree")) {
      Path p = meta(split);
      List<SampledNet> nets = ReferenceMeta.read(p, split);
      assertEquals(netsInFile(p, split), nets.size());
      assertEquals(nets, ReferenceMeta.read(p, null));
      for (SampledNet n : nets) {
        assertEquals(32, n.args().C());
        assertEquals(256, n.args().fcDim());
        assertEquals(10, n.args().numClasses());
        assertTrue(n.numParams() > 0 && n.numNodes().isPresent());
        if (split.equals("bnfree")) {
          assertNull(n.args().norm());
        }
      }
    }
    SampledNet first = ReferenceMeta.read(meta("val"), "val").get(0);
    assertEquals(16, first.args().nCells());
    assertEquals(1909818L, first.numParams());
    assertEquals(517, first.numNodes().getAsInt());
    assertEquals("msa", first.args().genotype().normal().get(1).op());
  }

  /** ppuda's own nets must pass every rule our sampler enforces for their split. */
  @Test
  void referenceNetsSatisfyOurRules() throws IOException {
    for (String split : List.of("val", "bnfree")) {
      Split.Settings s = Split.of(split).settings();
      for (SampledNet n : ReferenceMeta.read(meta(split), split)) {
        NetArgs a = n.args();
        int steps = a.genotype().normal().size() / 2;
        assertNull(NetSampler.checkGenotype(a.genotype()), n.toString());
        assertTrue(Reachability.outputReachable(a));
        assertTrue(a.nCells() >= s.minLayers() && a.nCells() <= s.maxLayers());
        assertTrue(steps >= s.minSteps() && steps <= s.maxSteps());
        if (a.nCells() > Collections.max(s.deepLayers())) {
          assertTrue(steps <= s.mediumSteps() && a.globAvg());
        }
        if (steps > 1 || a.cMult() > 1) {
          assertTrue(a.preproc());
        }
        if (a.norm() == null && split.equals("val")) {
          assertTrue(a.nCells() <= s.minLayers() + 1 && steps <= s.mediumSteps());
        }
        assertTrue(n.numParams() <= s.maxParams());
      }
    }
  }

  /**
   * Sanity of the test-only counter against ppuda's counts (the real counter is NetworkBuilder's).
   */
  @Test
  void approximateCounterIsClose() throws IOException {
    ApproxParamCounter c = new ApproxParamCounter();
    List<Double> ratios = new ArrayList<>();
    for (SampledNet n : ReferenceMeta.read(meta("val"), "val")) {
      ratios.add(c.applyAsLong(n.args()) / (double) n.numParams());
    }
    Collections.sort(ratios);
    double median = ratios.get(ratios.size() / 2);
    assertTrue(median > 0.9 && median < 1.1, "median ratio " + median);
  }

  @Test
  void wideMultipliesC(@TempDir Path dir) throws IOException {
    String json = Files.readString(meta("val")).replaceFirst("\\{\"val\"", "{\"wide\"");
    Path p = dir.resolve("deepnets1m_wide_meta.json");
    Files.writeString(p, json);
    assertEquals(List.of("wide"), ReferenceMeta.splits(p));
    for (SampledNet n : ReferenceMeta.read(p, "wide")) {
      assertEquals(128, n.args().C());
    }
  }
}
