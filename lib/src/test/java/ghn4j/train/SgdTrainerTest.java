package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ghn4j.data.Batch;
import ghn4j.data.BatchLoader;
import ghn4j.data.Dataset;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.Predictions;
import ghn4j.graph.Graph;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import ghn4j.nn.ParamInit;
import ghn4j.testing.TinyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SgdTrainerTest {

  @TempDir Path tmp;

  private static SgdConfig tiny(String opt, int epochs) {
    // 40 images 8×8, batch 8: 5 steps an epoch; no augmentation so the tiny task is trivially
    // learnable
    return new SgdConfig(
        SgdConfig.Optimizer.parse(opt),
        0.05,
        0.9,
        1e-4,
        SgdConfig.Schedule.COSINE,
        epochs,
        8,
        5,
        false,
        3,
        20,
        2);
  }

  private static List<SgdTrainer.EpochResult> run(
      SgdConfig cfg, ImageSet train, ImageSet test, Path metrics) throws IOException {
    try (SgdTrainer t = SgdTrainer.fromInit(TinyData.darts(8, 2), cfg)) {
      List<Integer> arrays = new java.util.ArrayList<>();
      List<SgdTrainer.EpochResult> r =
          t.run(train, test, metrics, e -> arrays.add(t.manager().getManagedArrays().size()));
      assertEquals(
          1,
          new java.util.HashSet<>(arrays).size(),
          "arrays left in the trainer's manager: " + arrays);
      return r;
    }
  }

  @Test
  void learnsATrivialTaskAndIsDeterministicBySeed() throws IOException {
    ImageSet train = TinyData.images(40, 8, 1);
    ImageSet test = TinyData.images(20, 8, 2);
    Path m = tmp.resolve("metrics.jsonl");
    List<SgdTrainer.EpochResult> a = run(tiny("sgd", 3), train, test, m);
    List<SgdTrainer.EpochResult> b = run(tiny("sgd", 3), train, test, null);
    assertEquals(3, a.size());
    assertEquals(3, Files.readAllLines(m).size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), 0.0, "epoch " + i);
      assertEquals(a.get(i).trainAcc(), b.get(i).trainAcc(), 0.0);
      assertEquals(a.get(i).testAcc(), b.get(i).testAcc(), 0.0);
      assertEquals(a.get(i).lr(), b.get(i).lr(), 0.0);
    }
    System.out.println("tiny SGD: " + a);
    assertTrue(a.get(2).trainLoss() < a.get(0).trainLoss(), "loss should decrease: " + a);
    assertTrue(a.get(2).trainAcc() > 25 || a.get(2).testAcc() > 25, "above chance (25%): " + a);
    assertEquals(0.05, a.get(0).lr(), 1e-12);
    assertTrue(a.get(2).lr() < a.get(1).lr());
    List<SgdTrainer.EpochResult> c = run(tiny("sgd", 1).withSeed(4), train, test, null);
    assertFalse(c.get(0).trainLoss() == a.get(0).trainLoss(), "another seed, another run");
  }

  @Test
  void fineTuningStartsFromThePredictedParametersAndNoClassLayersKeepsTheInit() throws IOException {
    Graph g = TinyData.darts(8, 1);
    ImageSet images = TinyData.images(8, 8, 1);
    SgdConfig cfg = tiny("adamw", 1);
    try (NDManager m = NDManager.newBaseManager();
        Ghn ghn = Ghn.create(TinyData.ghn(true, true, true), m, 5)) {
      Batch batch = BatchLoader.forTesting(images, 8, Normalization.cifar10()).batch(0);
      NDArray x = batch.images(m);
      Predictions all = ghn.predict(List.of(g), m, true);
      Predictions noCls = ghn.predict(List.of(g), m, false);
      Map<String, NDArray> init = ParamInit.torchvision(g, cfg.seed(), m, DataType.FLOAT32);
      TreeSet<String> cls = new TreeSet<>(all.params(0).keySet());
      cls.removeAll(noCls.params(0).keySet());
      assertFalse(cls.isEmpty(), "the classifier is left out with predictClassLayers=false");

      try (SgdTrainer t = SgdTrainer.fromGhn(g, cfg, ghn, true)) {
        assertEquals(all.params(0).size(), t.predictedTensors());
        NDArray expected = new GraphExecutor(g).forward(x, all.params(0), Mode.batchStats());
        NDArray got = t.forward(x, Mode.batchStats());
        assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 1e-5f);
        for (String k : all.params(0).keySet()) {
          assertArrayEquals(
              all.params(0).get(k).toFloatArray(),
              t.initialParameters().get(k).toFloatArray(),
              0f,
              k);
        }
        t.run(images, images, null, null);
        assertFalse(
            java.util.Arrays.equals(
                t.initialParameters().get(cls.first()).toFloatArray(),
                t.parameters().get(cls.first()).toFloatArray()),
            "training changes the parameters");
      }
      try (SgdTrainer t = SgdTrainer.fromGhn(g, cfg, ghn, false)) {
        for (String k : t.parameters().keySet()) {
          NDArray want = cls.contains(k) ? init.get(k) : noCls.params(0).get(k);
          assertArrayEquals(want.toFloatArray(), t.parameters().get(k).toFloatArray(), 0f, k);
        }
      }
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sgd", "adamw"})
  void resumeFromTheEpochCheckpointContinuesWithTheSameLosses(String opt) throws IOException {
    ImageSet train = TinyData.images(40, 8, 1);
    ImageSet test = TinyData.images(20, 8, 2);
    SgdConfig cfg = tiny(opt, 4);
    Graph g = TinyData.darts(8, 2);
    List<SgdTrainer.EpochResult> straight;
    try (SgdTrainer t = SgdTrainer.fromInit(g, cfg)) {
      straight = t.run(train, test, null, null);
    }
    Path dir = tmp.resolve("run");
    Path metrics = dir.resolve(SgdTrainer.METRICS);
    Path ck = dir.resolve(SgdTrainer.CHECKPOINT);
    class Kill extends RuntimeException {}
    try (SgdTrainer t = SgdTrainer.fromInit(g, cfg).startRun(dir, null)) {
      // "kill -9" during epoch 3: epochs 1-2 are checkpointed; epoch 3's metrics line is written,
      // its checkpoint not
      t.run(
          Dataset.cifar10(train, test, cfg.augment()),
          r -> {
            if (r.epoch() == 1) {
              try {
                Files.copy(ck, dir.resolve("after2"));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
            if (r.epoch() == 2) {
              throw new Kill();
            }
          });
    } catch (Kill expected) {
      // the simulated kill
    }
    Files.move(dir.resolve("after2"), ck, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(3, Files.readAllLines(metrics).size(), "a line the checkpoint does not cover");
    List<SgdTrainer.EpochResult> rest;
    try (SgdTrainer t = SgdTrainer.resume(dir, g)) {
      assertEquals(2, t.epoch());
      rest = t.run(Dataset.cifar10(train, test, cfg.augment()), null);
    }
    assertEquals(2, rest.size());
    for (int i = 0; i < 2; i++) {
      SgdTrainer.EpochResult want = straight.get(2 + i);
      assertEquals(want.trainLoss(), rest.get(i).trainLoss(), 1e-6, opt + " epoch " + (2 + i));
      assertEquals(want.testAcc(), rest.get(i).testAcc(), 1e-9, opt + " epoch " + (2 + i));
      assertEquals(want.lr(), rest.get(i).lr(), 0.0);
    }
    assertTrue(straight.get(3).trainLoss() != straight.get(1).trainLoss(), "training moves");
    List<String> lines = Files.readAllLines(metrics);
    assertEquals(4, lines.size(), "each epoch once: " + lines);
    for (int i = 0; i < 4; i++) {
      com.fasterxml.jackson.databind.JsonNode o =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(i));
      assertEquals(i, o.get("epoch").asInt());
      assertEquals(
          straight.get(i).trainLoss(), o.get("train_loss").asDouble(), 1e-6, "metrics line " + i);
    }
    // the checkpoint names itself when it does not fit the net
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> SgdTrainer.resume(dir, TinyData.darts(16, 2)).close());
    assertTrue(e.getMessage().contains(ck.toString()), e.getMessage());
  }
}
