package ghn4j.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertyCacheTest {

  @TempDir Path tmp;

  private static NetProperties rec(String split, int index, String budget) {
    return new NetProperties(
        split,
        index,
        budget,
        8,
        1000 + index,
        50,
        20,
        30 + index,
        20 + index,
        500,
        0.5,
        List.of(15.0, 25.0),
        3.5);
  }

  @Test
  void killedRunResumesWithoutDuplicatesOrHalfLines() throws Exception {
    Path f = tmp.resolve("sub").resolve("gt.jsonl");
    PropertyCache c = PropertyCache.open(f, "b1");
    c.append(rec("val", 0, "b1"));
    c.append(rec("val", 1, "b1"));
    c.append(rec("val", 1, "b1")); // already there: not written again
    // a kill in the middle of writing the third record leaves half a line
    String third = rec("val", 2, "b1").toJsonLine();
    Files.writeString(f, third.substring(0, third.length() / 2), StandardOpenOption.APPEND);

    PropertyCache resumed = PropertyCache.open(f, "b1");
    assertEquals(2, resumed.records().size());
    assertEquals(third.length() / 2, resumed.repairedBytes());
    assertTrue(Files.readString(f).endsWith("\n"), "cut-off line removed");
    assertTrue(!resumed.contains("val", 2) && resumed.contains("val", 1));
    resumed.append(rec("val", 2, "b1"));

    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    assertEquals(3, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      NetProperties p = NetProperties.fromJsonLine(lines.get(i), "line " + i);
      assertEquals(i, p.index());
      assertEquals(rec("val", i, "b1"), p);
    }
    assertEquals(3, PropertyCache.open(f, "b1").records().size());
  }

  @Test
  void duplicateLinesKeepTheFirstRecord() throws Exception {
    Path f = tmp.resolve("dup.jsonl");
    NetProperties a = rec("test", 4, "b1");
    NetProperties b = new NetProperties("test", 4, "b1", 8, 1, 1, 1, 99, 99, 1, 1, List.of(1.0), 1);
    Files.writeString(f, a.toJsonLine() + "\n" + b.toJsonLine() + "\n");
    assertEquals(a, PropertyCache.open(f, "b1").get("test", 4));
  }

  @Test
  void anotherBudgetOrABrokenLineIsAnErrorNamingTheLine() throws Exception {
    Path f = tmp.resolve("mixed.jsonl");
    Files.writeString(
        f, rec("val", 0, "b1").toJsonLine() + "\n" + rec("val", 1, "b2").toJsonLine() + "\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PropertyCache.open(f, "b1"));
    assertTrue(e.getMessage().contains("mixed.jsonl:2"), e.getMessage());
    Path g = tmp.resolve("broken.jsonl");
    Files.writeString(g, "{\"split\":\"val\"}\n");
    e = assertThrows(IllegalArgumentException.class, () -> PropertyCache.open(g, "b1"));
    assertTrue(
        e.getMessage().contains("broken.jsonl:1") && e.getMessage().contains("missing field"),
        e.getMessage());
  }
}
