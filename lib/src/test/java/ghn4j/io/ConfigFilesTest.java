package ghn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.eval.EvalConfig;
import ghn4j.ghn.Ghn3Config;
import ghn4j.ghn.GhnConfig;
import ghn4j.optim.LrSchedule;
import ghn4j.testing.Fixtures;
import ghn4j.train.MetaTrainConfig;
import ghn4j.train.NetSampling;
import ghn4j.train.SgdConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config records' JSON through Jackson: files written by earlier versions (a run directory's
 * {@code config.json} before and after the recipe knobs, the released checkpoint's GHN config, the
 * reference fixtures' GHN-2 and GHN-3 configs) load, what is written has the old writers' fields in
 * their order (so older readers load it), and bad values are errors that name the field and list
 * the allowed names.
 */
class ConfigFilesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static JsonNode resource(String name) throws IOException {
    try (InputStream in = ConfigFilesTest.class.getResourceAsStream("/ghn4j/configs/" + name)) {
      return JSON.readTree(in);
    }
  }

  @Test
  void runConfigFromBeforeTheRecipeKnobsLoadsWithTheirDefaults() throws IOException {
    JsonNode old = resource("meta-train-before-recipe-knobs.json");
    MetaTrainConfig c = MetaTrainConfig.fromJson(old);
    assertEquals(GhnConfig.ghn2(), c.ghn());
    assertEquals(1, c.metaBatch());
    assertEquals(5, c.cpuMinutes());
    assertEquals(1, c.seed());
    assertEquals(0, c.checkpointEvery());
    assertTrue(c.classifierDropout());
    assertEquals(LrSchedule.Kind.MULTI_STEP, c.lrSchedule());
    assertEquals(0, c.warmupSteps());
    assertEquals(NetSampling.UNIFORM, c.netSampling());
    // the fields it had are written back unchanged, the new ones after them
    ObjectNode back = c.toJson();
    old.fieldNames()
        .forEachRemaining(f -> assertEquals(old.get(f).toString(), back.get(f).toString(), f));
    assertEquals("format", back.fieldNames().next());
    assertEquals(MetaTrainConfig.FORMAT, back.get("format").asText());
  }

  @Test
  void currentRunConfigRoundTripsToTheSameJson() throws IOException {
    // the configs of the v2 and v3 release runs, as their run folders hold them (v3's is committed
    // with its results; read there rather than kept twice)
    Path v3 =
        ghn4j.download.Store.findRepoRoot()
            .orElseThrow(() -> new AssertionError("tests run inside the checkout"))
            .resolve("data/results/release-budget/ghn2-cifar10-cpu-v3.config.json");
    for (String release : List.of("v2", "v3")) {
      JsonNode file =
          release.equals("v3")
              ? JSON.readTree(v3.toFile())
              : resource("meta-train-ghn2-cifar10-cpu-" + release + ".json");
      MetaTrainConfig c = MetaTrainConfig.fromJson(file);
      assertEquals(240, c.cpuMinutes(), release);
      assertEquals(250, c.checkpointEvery(), release);
      assertEquals(
          release.equals("v3") ? LrSchedule.Kind.COSINE : LrSchedule.Kind.MULTI_STEP,
          c.lrSchedule(),
          release);
      // same fields in the same order, with the old writer's pretty printing
      assertEquals(
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c.toJson()),
          release);
    }
    MetaTrainConfig odd =
        MetaTrainConfig.defaults(GhnConfig.mlp().withHid(16).withNumClasses(100))
            .withRecipe(LrSchedule.Kind.COSINE, 7, new NetSampling(123_456, 0.25))
            .withBudget(0, 40, 1.5, 2.5);
    assertEquals(odd, MetaTrainConfig.fromJson(odd.toJson()));
    assertEquals("mlp", odd.toJson().get("ghn").get("hypernet").asText());
    assertEquals("cosine", odd.toJson().get("lr_schedule").asText());
  }

  @Test
  void releasedCheckpointAndFixtureGhnConfigsLoad() {
    Path root = Layout.detect().root();
    GhnConfig released = GhnConfig.read(root.resolve("data/checkpoints/ghn2-cifar10-cpu2h.json"));
    assertEquals(GhnConfig.ghn2(), released);
    Path ref = Fixtures.dir().resolve("ghn");
    assertEquals(GhnConfig.ghn1(), GhnConfig.read(ref.resolve("ghn1-random.json")));
    assertEquals(GhnConfig.mlp(), GhnConfig.read(ref.resolve("mlp-random.json")));
    Ghn3Config g3 = Ghn3Config.read(Fixtures.ghn3Dir().resolve("ghn").resolve("ghn3-random.json"));
    assertEquals(
        new Ghn3Config(new int[] {32, 32, 16, 16}, 1000, 32, 8, 3, false, true, true, true), g3);
    assertEquals(
        "{\"max_shape\":[32,32,16,16],\"num_classes\":1000,\"hid\":32,\"heads\":8,\"layers\":3,"
            + "\"is_ghn2\":false,\"weight_norm\":true,\"ve\":true,\"layernorm\":true}",
        g3.toJson().toString());
    assertEquals(g3, Ghn3Config.fromJson(g3.toJson()));
  }

  @Test
  void evalConfigWritesWhatTheHandWrittenOneDid() throws IOException {
    JsonNode old = resource("eval-study-m1.json");
    EvalConfig c =
        EvalConfig.of(
            Path.of("/work/runs/study-cpu5/m1@s1/ghn.safetensors"),
            java.util.List.of("test"),
            null,
            10,
            "CIFAR-10",
            10,
            false,
            500,
            64);
    assertEquals(
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(old),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c.toJson()));
    JsonRecords.write(tmp.resolve("eval.json"), c);
    assertEquals(old, JSON.readTree(tmp.resolve("eval.json").toFile()));
  }

  @Test
  void writtenGhnConfigsReadBack() throws IOException {
    GhnConfig g = GhnConfig.ghn2().withHid(64).withMaxShape(128, 128, 11, 11);
    g.write(tmp.resolve("g.json"));
    assertEquals(g, GhnConfig.read(tmp.resolve("g.json")));
    assertEquals(
        "{\"max_shape\":[128,128,11,11],\"num_classes\":10,\"hypernet\":\"gatedgnn\","
            + "\"decoder\":\"conv\",\"weight_norm\":true,\"ve\":true,\"layernorm\":true,\"hid\":64}",
        JSON.readTree(tmp.resolve("g.json").toFile()).toString());
  }

  @Test
  void omittedGhnFieldsTakePpudaDefaults() throws IOException {
    GhnConfig c = GhnConfig.fromJson(JSON.readTree("{\"max_shape\":[8,8,3,3],\"num_classes\":5}"));
    assertEquals(
        new GhnConfig(
            new int[] {8, 8, 3, 3},
            5,
            GhnConfig.HypernetKind.GATEDGNN,
            GhnConfig.DecoderKind.CONV,
            false,
            false,
            false,
            32),
        c);
    Ghn3Config c3 =
        Ghn3Config.fromJson(JSON.readTree("{\"max_shape\":[8,8,3,3],\"num_classes\":5}"));
    assertEquals(8, c3.heads());
    assertEquals(3, c3.layers());
    assertEquals(32, c3.hid());
  }

  @Test
  void sgdConfigWritesTheOldFieldsInOrderAndReadsThemBack() {
    SgdConfig d = SgdConfig.defaults();
    assertEquals(
        "{\"format\":\"ghn4j-sgd/1\",\"optimizer\":\"sgd\",\"lr\":0.025,\"momentum\":0.9,"
            + "\"weight_decay\":3.0E-4,\"schedule\":\"cosine\",\"epochs\":50,\"batch_size\":96,"
            + "\"grad_clip\":5.0,\"augment\":true,\"seed\":0,\"eval_batch_size\":"
            + d.evalBatchSize()
            + ",\"prefetch\":2}",
        d.toJson().toString());
    assertEquals(d, SgdConfig.fromJson(d.toJson()));
    SgdConfig a =
        new SgdConfig(
            SgdConfig.Optimizer.ADAMW,
            1e-3,
            0,
            0.05,
            SgdConfig.Schedule.STEP,
            3,
            8,
            0,
            false,
            9,
            20,
            1);
    assertEquals(a, SgdConfig.fromJson(a.toJson()));
    assertEquals("adamw", a.toJson().get("optimizer").asText());
    assertEquals("step", a.toJson().get("schedule").asText());
  }

  @Test
  void errorsNameTheFieldAndTheProblem() throws IOException {
    ObjectNode c = MetaTrainConfig.defaults().toJson();
    c.remove("meta_batch");
    assertMessage("meta-training config lacks 'meta_batch'", () -> MetaTrainConfig.fromJson(c));
    ObjectNode nul = MetaTrainConfig.defaults().toJson();
    nul.putNull("lr");
    assertMessage("meta-training config lacks 'lr'", () -> MetaTrainConfig.fromJson(nul));
    ObjectNode sched = MetaTrainConfig.defaults().toJson();
    sched.put("lr_schedule", "linear");
    assertMessage(
        "lr_schedule must be one of multistep, cosine, got 'linear'",
        () -> MetaTrainConfig.fromJson(sched));
    ObjectNode hyper = MetaTrainConfig.defaults().toJson();
    ((ObjectNode) hyper.get("ghn")).put("hypernet", "transformer");
    assertMessage(
        "hypernet must be one of gatedgnn, mlp, got 'transformer'",
        () -> MetaTrainConfig.fromJson(hyper));
    ObjectNode noGhn = MetaTrainConfig.defaults().toJson();
    noGhn.remove("ghn");
    assertMessage("meta-training config lacks 'ghn'", () -> MetaTrainConfig.fromJson(noGhn));
    ObjectNode batch = MetaTrainConfig.defaults().toJson();
    batch.put("meta_batch", 0);
    assertMessage("meta-batch and batch size must be > 0", () -> MetaTrainConfig.fromJson(batch));
    ObjectNode sampling = MetaTrainConfig.defaults().toJson();
    ((ObjectNode) sampling.get("net_sampling")).remove("fraction");
    assertMessage(
        "meta-training config lacks 'net_sampling.fraction'",
        () -> MetaTrainConfig.fromJson(sampling));
    ObjectNode word = MetaTrainConfig.defaults().toJson();
    word.put("steps", "many");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MetaTrainConfig.fromJson(word));
    assertTrue(e.getMessage().startsWith("meta-training config field 'steps': "), e.getMessage());

    assertMessage(
        "GHN config lacks 'max_shape'",
        () -> GhnConfig.fromJson(JSON.readTree("{\"num_classes\":10}")));
    assertMessage(
        "hid must be a positive multiple of 4, got 30",
        () -> GhnConfig.fromJson(GhnConfig.ghn2().toJson().put("hid", 30)));
    assertMessage(
        "GHN-3 config lacks 'num_classes'",
        () -> Ghn3Config.fromJson(JSON.readTree("{\"max_shape\":[8,8,3,3]}")));
    ObjectNode sgd = SgdConfig.defaults().toJson();
    sgd.put("optimizer", "lamb");
    assertMessage("optimizer must be one of sgd, adamw, got 'lamb'", () -> SgdConfig.fromJson(sgd));
    ObjectNode sgdShort = SgdConfig.defaults().toJson();
    sgdShort.remove("prefetch");
    assertMessage("SGD config lacks 'prefetch'", () -> SgdConfig.fromJson(sgdShort));

    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"max_shape\":[8,8,3,3],\"num_classes\":10,\"decoder\":\"mlp\"}");
    IllegalArgumentException fe =
        assertThrows(IllegalArgumentException.class, () -> GhnConfig.read(bad));
    assertTrue(
        fe.getMessage().startsWith(bad + ": not a valid GHN config: ")
            && fe.getMessage().endsWith("decoder must be one of conv, got 'mlp'"),
        fe.getMessage());
  }

  private static void assertMessage(String expected, Executable r) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, r).getMessage());
  }
}
