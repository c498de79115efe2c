package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.train.SgdConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --opt} and {@code --schedule} of sgd/finetune are closed choices: read case-insensitively
 * into the config's enums, and a bad name is a usage error (exit 2) that lists the allowed ones —
 * before any data is read.
 */
class SgdChoiceOptionsTest {

  @Test
  void namesReachTheConfig() {
    SgdCommand cmd = new SgdCommand();
    new CommandLine(cmd).parseArgs("--arch", "resnet18", "--opt", "AdamW", "--schedule", "step");
    SgdConfig c = cmd.options.config(1e-4);
    assertEquals(SgdConfig.Optimizer.ADAMW, c.optimizer());
    assertEquals(SgdConfig.Schedule.STEP, c.schedule());
  }

  @Test
  void badNamesAreUsageErrors() {
    assertTrue(
        usageError("sgd", "--arch", "resnet18", "--opt", "rmsprop")
            .contains("optimizer must be one of sgd, adamw, got 'rmsprop'"));
    assertTrue(
        usageError("finetune", "--arch", "resnet18", "--schedule", "linear")
            .contains("schedule must be one of cosine, step, got 'linear'"));
  }

  private static String usageError(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    return err.toString();
  }
}
