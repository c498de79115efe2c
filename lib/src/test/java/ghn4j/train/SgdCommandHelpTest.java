package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.cli.BenchTrainCommand;
import ghn4j.cli.FinetuneCommand;
import ghn4j.cli.SgdCommand;
import ghn4j.cli.TrainCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The new commands' --help renders (no unescaped '%') and lists the paper's defaults. */
class SgdCommandHelpTest {

  private static String help(Object cmd) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    assertEquals(0, cl.execute("--help"));
    assertEquals("", err.toString());
    return out.toString();
  }

  @Test
  void helpListsDefaults() {
    String sgd = help(new SgdCommand());
    assertTrue(
        sgd.contains("Default: 0.025")
            && sgd.contains("Default: 3.0E-4")
            && sgd.contains("Default: 96")
            && sgd.contains("Default: cosine")
            && sgd.contains("Default: 50"),
        sgd);
    String ft = help(new FinetuneCommand());
    assertTrue(
        ft.contains("--ckpt") && ft.contains("--no-class-layers") && ft.contains("Default: 0.001"),
        ft);
    assertTrue(help(new BenchTrainCommand()).contains("--rss-at"));
    assertTrue(help(new TrainCommand()).contains("10%)"));
  }
}
