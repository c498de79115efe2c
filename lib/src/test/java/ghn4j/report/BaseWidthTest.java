package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetworkBuilder;
import ghn4j.deepnets.SampledNet;
import ghn4j.deepnets.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaseWidthTest {

  @Test
  void recountsAtC32KeepingNodes() {
    List<SampledNet> nets = DeepNets.standard().nets(Split.WIDE, 3);
    List<SampledNet> base = BaseWidth.recount(nets);
    for (int i = 0; i < nets.size(); i++) {
      SampledNet b = base.get(i);
      assertEquals(32, b.args().C());
      assertEquals(NetworkBuilder.countParams(b.args()), b.numParams());
      assertEquals(nets.get(i).numNodes(), b.numNodes());
      assertEquals(nets.get(i).index(), b.index());
      assertEquals(nets.get(i).args().genotype(), b.args().genotype());
    }
  }
}
