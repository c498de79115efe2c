package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ghn4j.train.Evaluator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class RecipeFiguresTest {

  private static Evaluator.NetResult r(String split, String net, double acc) {
    return new Evaluator.NetResult(split, net, 1000, 10, acc, 0.1, 1.0);
  }

  @Test
  void splitTableHasTable2Columns() {
    Map<String, List<Evaluator.NetResult>> byGhn = new LinkedHashMap<>();
    byGhn.put("reference", List.of(r("predefined", "resnet50", 12.5), r("predefined", "ViT", 9), r("test", "test/000", 10),
        r("custom", "custom/000", 50), r("test", "test/001", 14), r("wide", "wide/000", 11)));
    byGhn.put("best", List.of(r("test", "test/000", 20), r("test", "test/001", 20), r("test", "test/002", 23)));
    Table t = RecipeFigures.splitTable("t", byGhn);
    // the paper's column order whatever the rows' order; other splits after the paper's columns
    assertEquals(List.of("GHN", "test", "wide", "ResNet-50", "ViT", "custom", "nets per split"), t.columnNames());
    assertEquals("12.0 ± 1.4", t.stringColumn("test").get(0)); // population std 2 / sqrt(2)
    assertEquals("12.5", t.stringColumn("ResNet-50").get(0));
    assertEquals("test 2, wide 1, custom 1", t.stringColumn("nets per split").get(0));
    assertEquals("21.0 ± 0.8", t.stringColumn("test").get(1)); // std sqrt(2) / sqrt(3)
    assertEquals("–", t.stringColumn("wide").get(1));
    assertEquals("test 3", t.stringColumn("nets per split").get(1));
  }
}
