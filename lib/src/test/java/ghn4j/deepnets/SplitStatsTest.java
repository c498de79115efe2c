package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitStatsTest {

  @Test
  void summaryIsPopulationStatistics() {
    SplitStats.Summary s = SplitStats.Summary.of(new double[] {1, 2, 3, 4});
    assertEquals(2.5, s.mean(), 1e-12);
    assertEquals(Math.sqrt(1.25), s.std(), 1e-12);
    assertEquals(1, s.min());
    assertEquals(4, s.max());
  }

  @Test
  void referenceMetaRow() throws IOException {
    List<SampledNet> nets =
        ReferenceMeta.read(Fixtures.dir().resolve("deepnets/bnfree_meta.json"), "bnfree");
    SplitStats row = SplitStats.of("bnfree (ppuda)", nets, null);
    assertEquals(100, row.n());
    assertEquals(1.0, row.shareWithoutBn());
    assertEquals(141.02, row.nodes().mean(), 1e-9);
    assertEquals(820680.24, row.params().mean(), 1e-6);
    assertEquals(4, row.cells().min());
    assertTrue(row.format().contains("100.0%"), row.format());
  }

  @Test
  void nodesAreNaWithoutGraphs() {
    List<SampledNet> nets =
        new SplitGenerator(Split.VAL, 1, new ApproxParamCounter(), null).first(10);
    SplitStats row = SplitStats.of("val", nets, null);
    assertNull(row.nodes());
    assertTrue(row.format().contains("n/a"));
  }
}
