package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.data.ImageNetTree;
import ghn4j.ghn.Ghn3;
import ghn4j.graph.Graph;
import ghn4j.nn.Devices;
import ghn4j.onnx.Ghn3Graphs;
import ghn4j.testing.Fixtures;
import ghn4j.train.SgdConfig;
import ghn4j.train.SgdTrainer;
import ghn4j.zoo.ResNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Fine-tuning from GHN-3 predictions: the trainer starts from exactly what GHN-3 predicts for the
 * graph ghn3 builds for the same network, and {@code ./ghn4j finetune --ckpt <GHN-3>
 * --image-folder} trains ResNet-18 (ImageNet stem, 3 classes) on a generated ImageNet-style folder.
 */
class Ghn3FinetuneTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static Path ghn3() {
    return Fixtures.require(
        Fixtures.ghn3Dir().resolve("ghn").resolve("ghn3-random.joblib"), "GHN-3 fixture");
  }

  @Test
  void theTrainerStartsFromGhn3sPredictions() {
    Graph net = ResNet.build(ResNet.RESNET18, 3, true);
    SgdConfig cfg = SgdConfig.finetune();
    try (Ghn3 ghn = Ghn3.load(ghn3());
        NDManager m = Devices.newManager();
        SgdTrainer t = SgdTrainer.fromGhn3(net, cfg, ghn, true, ghn4j.nn.Reinit.Options.none());
        SgdTrainer init = SgdTrainer.fromInit(net, cfg)) {
      Map<String, NDArray> want =
          ghn.predict(List.of(Ghn3Graphs.of(net)), m, true, cfg.seed()).params(0);
      assertEquals(net.params().size(), want.size(), "GHN-3 predicts every parameter of ResNet-18");
      assertEquals(want.size(), t.predictedTensors());
      for (Map.Entry<String, NDArray> e : want.entrySet()) {
        assertArrayEquals(
            e.getValue().toFloatArray(),
            t.initialParameters().get(e.getKey()).toFloatArray(),
            e.getKey());
      }
      assertFalse(
          Arrays.equals(
              t.initialParameters().get("conv1.weight").toFloatArray(),
              init.initialParameters().get("conv1.weight").toFloatArray()));
    }
  }

  @Test
  void finetuneOnAnImageFolder() throws Exception {
    Path root = tmp.resolve("imagenet");
    ImageNetTree.write(root);
    Path run = tmp.resolve("run");
    int rc =
        new CommandLine(new FinetuneCommand())
            .execute(
                "--ckpt",
                ghn3().toString(),
                "--arch",
                "resnet18",
                "--image-folder",
                root.toString(),
                "--image-size",
                "64",
                "--shots",
                "2",
                "--epochs",
                "2",
                "-b",
                "3",
                "--eval-batch-size",
                "6",
                "--run-dir",
                run.toString());
    assertEquals(0, rc);
    JsonNode cfg = JSON.readTree(run.resolve("config.json").toFile());
    assertEquals("GHN-3", cfg.get("ghn").asText());
    assertEquals(3, cfg.get("num_classes").asInt());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(2, metrics.size(), metrics.toString());
    for (String line : metrics) {
      JsonNode epoch = JSON.readTree(line);
      assertTrue(Double.isFinite(epoch.get("train_loss").asDouble()), line);
      assertEquals(0, epoch.get("skipped_steps").asInt(), line);
    }
  }
}
