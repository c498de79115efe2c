package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.ghn.GhnConfig;
import ghn4j.optim.LrSchedule;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.NetSampling;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./ghn4j train}'s options into a {@link MetaTrainConfig}: no options are ppuda's recipe
 * ({@link MetaTrainConfig#defaults()}), each option changes its field, and a bad choice is a usage
 * error listing the allowed names.
 */
class MetaTrainOptionsTest {

  static MetaTrainOptions parse(String... args) {
    TrainCommand c = new TrainCommand();
    new CommandLine(c).parseArgs(args);
    return c.run;
  }

  @Test
  void noOptionsArePpudasRecipe() {
    assertEquals(MetaTrainConfig.defaults(), parse().config(10, parse().cifarTrainImages(), false));
  }

  @Test
  void everyOptionReachesItsField() {
    MetaTrainOptions o =
        parse(
            "--preset",
            "mlp",
            "--hid",
            "16",
            "--max-shape",
            "24,20",
            "--no-ve",
            "--ln",
            "--no-weight-norm",
            "-m",
            "2",
            "-b",
            "16",
            "--lr",
            "0.002",
            "--wd",
            "0.0001",
            "--grad-clip",
            "3",
            "--gamma",
            "0.5",
            "--lr-schedule",
            "cosine",
            "--warmup-steps",
            "7",
            "--max-net-params",
            "50000",
            "--capped-fraction",
            "0.25",
            "--max-c",
            "64",
            "--epochs",
            "9",
            "--steps",
            "40",
            "--minutes",
            "1.5",
            "--cpu-minutes",
            "2.5",
            "-s",
            "3",
            "--num-nets",
            "100",
            "--nets",
            "/tmp/split",
            "--train-images",
            "500",
            "--no-augment",
            "--no-classifier-dropout",
            "--checkpoint-every",
            "5",
            "--log-every",
            "2",
            "--prefetch",
            "1");
    MetaTrainConfig expected =
        MetaTrainConfig.defaults(
                GhnConfig.mlp()
                    .withHid(16)
                    .withMaxShape(24, 20, 16, 16)
                    .withNumClasses(100)
                    .withVe(false)
                    .withWeightNorm(false))
            .withMetaBatch(2)
            .withBatchSize(16)
            .withLr(0.002)
            .withWeightDecay(1e-4)
            .withGradClip(3)
            .withGamma(0.5)
            .withRecipe(LrSchedule.Kind.COSINE, 7, new NetSampling(50_000, 0.25))
            .withMaxC(64)
            .withBudget(9, 40, 1.5, 2.5)
            .withSeed(3)
            .withNumNets(100)
            .withNets("/tmp/split")
            .withTrainImages(500)
            .withAugment(false)
            .withClassifierDropout(false)
            .withCheckpointEvery(5)
            .withLogEvery(2)
            .withPrefetch(1);
    assertEquals(500, o.cifarTrainImages());
    assertEquals(expected, o.config(100, o.cifarTrainImages(), true));
  }

  @Test
  void badChoicesListTheAllowedNames() {
    assertTrue(
        usageError("--lr-schedule", "linear")
            .contains("lr_schedule must be one of multistep, cosine, got 'linear'"));
    assertTrue(
        usageError("--preset", "ghn3")
            .contains("--preset must be one of ghn2, ghn1, mlp, got 'ghn3'"));
  }

  private static String usageError(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args(args), new PrintWriter(err, true));
    assertEquals(2, code, err.toString());
    return err.toString();
  }

  private static String[] args(String... opts) {
    String[] a = new String[opts.length + 1];
    a[0] = "train";
    System.arraycopy(opts, 0, a, 1, opts.length);
    return a;
  }
}
