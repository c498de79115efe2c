package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.deepnets.DeepNets;
import ghn4j.deepnets.NetArgs;
import ghn4j.deepnets.SplitFiles;
import ghn4j.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GeneratorCommandsTest {

  // TEST ONLY: a crude counter (the real one is NetworkBuilder::countParams, wired in
  // DeepNets.standard()).
  private static final ToLongFunction<NetArgs> CRUDE = a -> 1000L * a.C() * a.nCells();

  @Test
  void generateThenStatsSideBySide(@TempDir Path out) throws Exception {
    DeepNets d = new DeepNets(CRUDE, null);
    int rc =
        new CommandLine(new GenerateCommand(() -> d))
            .execute("--split", "bnfree", "-n", "12", "--shard-size", "5", "--out", out.toString());
    assertEquals(0, rc);
    assertEquals(12, SplitFiles.readAll(out.resolve("bnfree")).size());

    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    try {
      rc =
          new CommandLine(new StatsCommand(() -> d))
              .execute(
                  "--split",
                  "bnfree",
                  "--out",
                  out.toString(),
                  "--meta",
                  Fixtures.dir().resolve("deepnets/bnfree_meta.json").toString());
    } finally {
      System.setOut(old);
    }
    assertEquals(0, rc);
    String text = buf.toString();
    assertTrue(text.contains("bnfree (ghn4j)") && text.contains("bnfree (ppuda)"), text);
    assertTrue(text.contains("n/a"), text);
  }

  @Test
  void standardFacadeGeneratesWithRealCountsAndGraphs(@TempDir Path out) throws Exception {
    int rc =
        new CommandLine(new GenerateCommand())
            .execute("--split", "val", "-n", "2", "--out", out.toString());
    assertEquals(0, rc);
    java.util.List<ghn4j.deepnets.SampledNet> nets =
        ghn4j.deepnets.SplitFiles.readAll(out.resolve("val"));
    assertEquals(2, nets.size());
    for (ghn4j.deepnets.SampledNet n : nets) {
      assertEquals(ghn4j.deepnets.NetworkBuilder.countParams(n.args()), n.numParams());
      assertTrue(n.numNodes().isPresent(), "node counts come from the wired graph builder");
    }
  }
}
