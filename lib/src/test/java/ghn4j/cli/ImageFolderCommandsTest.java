package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ghn4j.data.ImageNetTree;
import ghn4j.eval.EvalNets;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnConfig;
import ghn4j.nn.Devices;
import ghn4j.zoo.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands on an ImageNet-style folder (3 classes, images of several sizes), end to end at
 * image size 64: GHN prediction + evaluation of a DeepNets-1M net, fine-tuning of ResNet-18 with
 * ImageNet stem and a 3-way classifier; and one meta-training step at 224.
 */
class ImageFolderCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path root;
  private Path ckpt;

  @BeforeEach
  void data() throws IOException {
    root = tmp.resolve("imagenet");
    ImageNetTree.write(root);
    ckpt = tmp.resolve("ghn.safetensors");
    try (NDManager m = Devices.newManager()) {
      Ghn.create(GhnConfig.ghn2(), m, 1).save(ckpt);
    }
  }

  @Test
  void evalPredictsParametersAndScoresThemOnTheFolder() throws IOException {
    Path out = tmp.resolve("eval");
    Path noSplits = tmp.resolve("no-splits");
    int rc =
        new CommandLine(new EvalCommand())
            .execute(
                "--ckpt",
                ckpt.toString(),
                "--split",
                "test",
                "--nets",
                "3",
                "--nets-root",
                noSplits.toString(),
                "--image-folder",
                root.toString(),
                "--image-size",
                "64",
                "--batch-size",
                "4",
                "--out",
                out.toString());
    assertEquals(0, rc);
    // nets built for 224x224 (ViT-style, flatten heads) are skipped at 64; the first 3 test nets
    // have both kinds
    long runnable =
        EvalNets.load("test", noSplits, null, 3, 3, true).stream()
            .filter(n -> !EvalNets.fixedInputSize(n.graph()))
            .count();
    assertTrue(runnable > 0 && runnable < 3, "runnable " + runnable);
    JsonNode cfg = JSON.readTree(out.resolve("config.json").toFile());
    assertEquals(3, cfg.get("num_classes").asInt());
    assertEquals(6, cfg.get("images").asInt());
    assertTrue(cfg.get("large_input").asBoolean());
    List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + runnable, rows.size(), rows.toString());
    for (String row : rows.subList(1, rows.size())) {
      double acc = Double.parseDouble(row.split(",")[4]);
      // 6 images: the accuracy is a whole number of sixths
      assertEquals(0, Math.abs(acc * 6 / 100 - Math.round(acc * 6 / 100)), 1e-3, row);
    }
  }

  @Test
  void finetuneTrainsResNet18WithThreeClassesOnTheFolder() throws IOException {
    Path run = tmp.resolve("run");
    int rc =
        new CommandLine(new FinetuneCommand())
            .execute(
                "--ckpt",
                ckpt.toString(),
                "--arch",
                "resnet18",
                "--image-folder",
                root.toString(),
                "--image-size",
                "64",
                "--shots",
                "2",
                "--epochs",
                "1",
                "-b",
                "3",
                "--eval-batch-size",
                "6",
                "--run-dir",
                run.toString());
    assertEquals(0, rc);
    JsonNode cfg = JSON.readTree(run.resolve("config.json").toFile());
    assertEquals(3, cfg.get("num_classes").asInt());
    assertEquals(6, cfg.get("train_images").asInt());
    assertEquals(6, cfg.get("test_images").asInt());
    assertEquals(root.toAbsolutePath().toString(), cfg.get("image_folder").asText());
    // a 3-way classifier and torchvision's ImageNet stem (7x7 conv1), not the 32x32 adaptation
    assertEquals(
        ResNet.build(ResNet.RESNET18, 3, true).numParams(), cfg.get("num_params").asLong());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(1, metrics.size(), metrics.toString());
    JsonNode epoch = JSON.readTree(metrics.get(0));
    assertTrue(Double.isFinite(epoch.get("train_loss").asDouble()), metrics.get(0));
    assertEquals(0, epoch.get("skipped_steps").asInt(), metrics.get(0));
  }

  @Test
  void trainMetaTrainsAGhnForTheFolderClassesAndResumesFromItsRecord() throws IOException {
    Path run = tmp.resolve("ghn-run");
    // 224: DeepNets-1M's ImageNet nets (ViT positional encodings, flatten heads) are built for it
    assertEquals(
        2,
        new CommandLine(new TrainCommand())
            .execute(
                "--image-folder",
                root.toString(),
                "--image-size",
                "64",
                "--steps",
                "1",
                "--run-dir",
                run.toString()));
    int rc =
        new CommandLine(new TrainCommand())
            .execute(
                "--image-folder",
                root.toString(),
                "--image-size",
                "224",
                "-m",
                "1",
                "-b",
                "2",
                "--steps",
                "1",
                "--no-progress",
                "--run-dir",
                run.toString());
    assertEquals(0, rc);
    JsonNode cfg = JSON.readTree(run.resolve("config.json").toFile());
    assertEquals(3, cfg.get("ghn").get("num_classes").asInt());
    assertEquals(16, cfg.get("ghn").get("max_shape").get(3).asInt());
    JsonNode recorded = JSON.readTree(run.resolve(ghn4j.train.ImageFolderData.FILE).toFile());
    assertEquals(root.toAbsolutePath().toString(), recorded.get("image_folder").asText());
    assertEquals(224, recorded.get("image_size").asInt());
    assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    // --resume without --image-folder finds the folder in data.json (else it would look for
    // CIFAR-10)
    rc =
        new CommandLine(new TrainCommand())
            .execute(
                "--resume",
                "--no-progress",
                "--run-dir",
                run.toString(),
                "--data-dir",
                tmp.resolve("no-cifar").toString());
    assertEquals(0, rc);
  }
}
