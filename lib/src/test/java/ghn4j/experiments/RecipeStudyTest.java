package ghn4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.data.ImageSet;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.GhnConfig;
import ghn4j.testing.TinyData;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.MetaTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeStudyTest {

  @TempDir Path tmp;

  @Test
  void runTrainsEvaluatesAndCollectsWhatItWrote() throws IOException {
    ImageSet images = TinyData.images(16, 8, 5);
    ImageSet test = TinyData.images(12, 8, 9);
    List<NamedGraph> nets =
        List.of(
            new NamedGraph("a", TinyData.darts(8, 1)), new NamedGraph("b", TinyData.darts(8, 2)));
    RecipeStudy.Variant v = new RecipeStudy.Variant("tiny", TinyData.tinyConfig(3, 0));
    RecipeStudy.Outcome o =
        RecipeStudy.run(v, images, TinyData.tinyNets(), tmp.resolve("tiny"), nets, test);
    assertEquals("tiny", o.variant());
    assertEquals(3, o.steps());
    assertEquals(2, o.nets());
    assertEquals(12, o.images());
    assertEquals(2, o.metaBatch());
    assertTrue(o.cpuMinutes() > 0, "CPU time is measured even without a CPU budget");
    // the mean is the mean of the per-net accuracies written to eval/results.csv
    List<String> rows =
        Files.readAllLines(tmp.resolve("tiny").resolve("eval").resolve("results.csv"));
    assertEquals(3, rows.size());
    double mean =
        (Double.parseDouble(rows.get(1).split(",")[4])
                + Double.parseDouble(rows.get(2).split(",")[4]))
            / 2;
    assertEquals(mean, o.meanAccuracy(), 1e-9);

    Path csv = tmp.resolve("results").resolve("study.csv");
    RecipeStudy.writeCsv(csv, List.of(o, o));
    List<RecipeStudy.Outcome> back = RecipeStudy.readCsv(csv);
    assertEquals(2, back.size());
    assertEquals(o.variant(), back.get(0).variant());
    assertEquals(o.steps(), back.get(0).steps());
    assertEquals(o.meanAccuracy(), back.get(0).meanAccuracy(), 1e-3);
    assertEquals(o.cpuMinutes(), back.get(0).cpuMinutes(), 1e-3);

    Path published = tmp.resolve("pub").resolve("grid.csv");
    List<RecipeStudy.Outcome> pub = RecipeStudy.publish(tmp, List.of("missing", "tiny"), published);
    assertEquals(1, pub.size());
    assertEquals(o.steps(), RecipeStudy.readCsv(published).get(0).steps());
    assertEquals(
        Files.readString(tmp.resolve("tiny").resolve(MetaTrainer.METRICS)),
        Files.readString(tmp.resolve("pub").resolve("grid").resolve("tiny.metrics.jsonl")));
    assertTrue(Files.isRegularFile(tmp.resolve("pub").resolve("grid").resolve("tiny.eval.csv")));
    assertEquals(
        v.config(),
        MetaTrainConfig.fromJson(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                    tmp.resolve("pub").resolve("grid").resolve("tiny.config.json").toFile())));
  }

  private static RecipeStudy.Outcome outcome(
      String name, long steps, double loss, double acc, double se) {
    return new RecipeStudy.Outcome(
        name, "gatedgnn", 1, 64, true, true, true, 5, 5.01, 9, steps, loss, 10, 500, acc, se);
  }

  @Test
  void bySeedGroupsRecipesAndGivesTheStandardErrorOverSeeds() {
    assertEquals("m1-lr3e-3", RecipeStudy.recipeOf("m1-lr3e-3@s12"));
    assertEquals("m1", RecipeStudy.recipeOf("m1"));
    assertEquals("m1@sx", RecipeStudy.recipeOf("m1@sx"));
    List<RecipeStudy.SeedSummary> s =
        RecipeStudy.bySeed(
            List.of(
                outcome("a@s1", 100, 2.0, 14, 0.6),
                outcome("b@s1", 50, 2.2, 12, 0.5),
                outcome("a@s2", 110, 2.1, 18, 0.8),
                outcome("a@s3", 90, 2.3, 19, 0.0)));
    assertEquals(List.of("a", "b"), s.stream().map(RecipeStudy.SeedSummary::recipe).toList());
    RecipeStudy.SeedSummary a = s.get(0);
    assertEquals(3, a.seeds());
    assertEquals(17, a.meanAccuracy(), 1e-12);
    // sample variance of 14, 18, 19: (9 + 1 + 4) / 2 = 7; s.e. = sqrt(7 / 3)
    assertEquals(Math.sqrt(7.0 / 3), a.seedStdErr(), 1e-12);
    assertEquals(Math.sqrt(0.36 + 0.64) / 3, a.netStdErr(), 1e-12);
    assertEquals(100, a.meanSteps(), 1e-12);
    assertEquals(2.1333333333, a.meanFinalLoss(), 1e-9);
    assertEquals(List.of("a@s1", "a@s2", "a@s3"), a.variants());
    assertTrue(Double.isNaN(s.get(1).seedStdErr()), "one seed: no spread over seeds");
    assertEquals(0.5, s.get(1).netStdErr(), 1e-12);
    RecipeStudy.Outcome other =
        new RecipeStudy.Outcome(
            "a@s4", "gatedgnn", 1, 64, true, true, true, 5, 5, 9, 10, 2, 10, 200, 15, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecipeStudy.bySeed(List.of(outcome("a@s1", 100, 2.0, 14, 0.6), other)));
    assertTrue(
        e.getMessage().contains("a@s4") && e.getMessage().contains("10x200"), e.getMessage());
  }

  @Test
  void bySeedRequiresEqualStepsOfStepBudgetedRuns() {
    // no CPU budget (0): the runs had a step budget, so their steps must agree
    RecipeStudy.Outcome a1 =
        new RecipeStudy.Outcome(
            "a@s1", "gatedgnn", 1, 64, true, true, true, 0, 15, 20, 700, 2, 10, 1000, 20, 1);
    RecipeStudy.Outcome a2 =
        new RecipeStudy.Outcome(
            "a@s2", "gatedgnn", 1, 64, true, true, true, 0, 16, 22, 700, 2, 10, 1000, 22, 1);
    RecipeStudy.Outcome a3 =
        new RecipeStudy.Outcome(
            "a@s3", "gatedgnn", 1, 64, true, true, true, 0, 9, 11, 400, 2, 10, 1000, 18, 1);
    assertEquals(700, RecipeStudy.bySeed(List.of(a1, a2)).get(0).meanSteps(), 1e-12);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecipeStudy.bySeed(List.of(a1, a3)));
    assertTrue(e.getMessage().contains("700 vs 400 steps"), e.getMessage());
    // with a CPU budget the steps may differ (they are what the budget bought)
    assertEquals(
        2,
        RecipeStudy.bySeed(
                List.of(outcome("b@s1", 100, 2, 14, 0.6), outcome("b@s2", 140, 2, 15, 0.6)))
            .get(0)
            .seeds());
  }

  @Test
  void readCsvNamesTheFileAndLine() throws IOException {
    Path f = tmp.resolve("bad.csv");
    Files.writeString(f, "variant,x\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecipeStudy.readCsv(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    RecipeStudy.writeCsv(f, List.of());
    Files.writeString(
        f, Files.readString(f) + "a,gatedgnn,8,64,maybe,true,true,3,3,5,10,2.3,10,200,11,1\n");
    e = assertThrows(IllegalArgumentException.class, () -> RecipeStudy.readCsv(f));
    assertTrue(e.getMessage().contains(f + ":2"), e.getMessage());
  }

  @Test
  void collectNamesAMissingRunFile() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RecipeStudy.collect(tmp.resolve("nothing")));
    assertTrue(e.getMessage().contains("nothing"), e.getMessage());
  }

  @Test
  void standardGridSwitchesOnePartOffAtATime() {
    MetaTrainConfig ref = MetaTrainConfig.defaults(GhnConfig.ghn2()).withBudget(0, 0, 0, 6);
    List<RecipeStudy.Variant> g = RecipeStudy.standardGrid(ref);
    assertEquals(
        List.of(
            "ghn2-m8",
            "ghn2-m4",
            "ghn2-m1",
            "m1-no-ve",
            "m1-no-weight-norm",
            "m1-no-ln",
            "ghn1-m1",
            "mlp-m1"),
        g.stream().map(RecipeStudy.Variant::name).toList());
    for (RecipeStudy.Variant v : g) {
      assertEquals(6, v.config().cpuMinutes(), v.name());
      assertEquals(64, v.config().batchSize(), v.name());
    }
    assertEquals(ref, g.get(0).config());
    assertEquals(
        List.of(8, 4, 1, 1, 1, 1, 1, 1), g.stream().map(v -> v.config().metaBatch()).toList());
    assertFalse(g.get(3).config().ghn().ve());
    assertTrue(g.get(3).config().ghn().layernorm() && g.get(3).config().ghn().weightNorm());
    assertFalse(g.get(4).config().ghn().weightNorm());
    assertTrue(g.get(4).config().ghn().ve() && g.get(4).config().ghn().layernorm());
    assertFalse(g.get(5).config().ghn().layernorm());
    assertTrue(g.get(5).config().ghn().ve() && g.get(5).config().ghn().weightNorm());
    assertEquals(GhnConfig.ghn1(), g.get(6).config().ghn());
    assertEquals(GhnConfig.mlp(), g.get(7).config().ghn());
  }
}
