package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.data.ImageSet;
import ghn4j.ghn.GhnConfig;
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
    List<NamedGraph> nets = List.of(new NamedGraph("a", TinyData.darts(8, 1)), new NamedGraph("b",
        TinyData.darts(8, 2)));
    RecipeStudy.Variant v = new RecipeStudy.Variant("tiny", MetaTrainerTest.tinyConfig(3, 0));
    RecipeStudy.Outcome o = RecipeStudy.run(v, images, MetaTrainerTest.tinyNets(), tmp.resolve("tiny"), nets, test);
    assertEquals("tiny", o.variant());
    assertEquals(3, o.steps());
    assertEquals(2, o.nets());
    assertEquals(12, o.images());
    assertEquals(2, o.metaBatch());
    assertTrue(o.cpuMinutes() > 0, "CPU time is measured even without a CPU budget");
    // the mean is the mean of the per-net accuracies written to eval/results.csv
    List<String> rows = Files.readAllLines(tmp.resolve("tiny").resolve("eval").resolve("results.csv"));
    assertEquals(3, rows.size());
    double mean = (Double.parseDouble(rows.get(1).split(",")[4]) + Double.parseDouble(rows.get(2).split(",")[4])) / 2;
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
    assertEquals(Files.readString(tmp.resolve("tiny").resolve(MetaTrainer.METRICS)),
        Files.readString(tmp.resolve("pub").resolve("grid").resolve("tiny.metrics.jsonl")));
    assertTrue(Files.isRegularFile(tmp.resolve("pub").resolve("grid").resolve("tiny.eval.csv")));
  }

  @Test
  void readCsvNamesTheFileAndLine() throws IOException {
    Path f = tmp.resolve("bad.csv");
    Files.writeString(f, "variant,x\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecipeStudy.readCsv(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    RecipeStudy.writeCsv(f, List.of());
    Files.writeString(f, Files.readString(f) + "a,gatedgnn,8,64,maybe,true,true,3,3,5,10,2.3,10,200,11,1\n");
    e = assertThrows(IllegalArgumentException.class, () -> RecipeStudy.readCsv(f));
    assertTrue(e.getMessage().contains(f + ":2"), e.getMessage());
  }

  @Test
  void collectNamesAMissingRunFile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecipeStudy.collect(tmp.resolve("nothing")));
    assertTrue(e.getMessage().contains("nothing"), e.getMessage());
  }

  @Test
  void standardGridSwitchesOnePartOffAtATime() {
    MetaTrainConfig ref = MetaTrainConfig.defaults(GhnConfig.ghn2()).withBudget(0, 0, 0, 6);
    List<RecipeStudy.Variant> g = RecipeStudy.standardGrid(ref);
    assertEquals(List.of("ghn2-m8", "ghn2-m4", "ghn2-m1", "m1-no-ve", "m1-no-weight-norm", "m1-no-ln", "ghn1-m1",
        "mlp-m1"), g.stream().map(RecipeStudy.Variant::name).toList());
    for (RecipeStudy.Variant v : g) {
      assertEquals(6, v.config().cpuMinutes(), v.name());
      assertEquals(64, v.config().batchSize(), v.name());
    }
    assertEquals(ref, g.get(0).config());
    assertEquals(List.of(8, 4, 1, 1, 1, 1, 1, 1), g.stream().map(v -> v.config().metaBatch()).toList());
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
