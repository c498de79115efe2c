package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.graph.GraphDot;
import ghn4j.zoo.ResNet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class GraphvizTest {

  @Test
  void drawsAGraphAndReportsDotErrors() {
    Graphviz gv = Graphviz.find().orElse(null);
    Assumptions.assumeTrue(gv != null, "Graphviz 'dot' is not installed");
    String svg = gv.svg(GraphDot.toDot(ResNet.resnet18(10).primitiveView()));
    assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(200, svg.length())));
    assertTrue(svg.contains("conv1.weight"), "node labels are drawn");
    byte[] png = gv.png("digraph G { a -> b }");
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> gv.svg("digraph G { a -> }"));
    assertTrue(e.getMessage().contains("failed"), e.getMessage());
  }
}
