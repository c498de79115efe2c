package ghn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.net.httpserver.HttpServer;
import ghn4j.data.ImageNetTree;
import ghn4j.download.Catalog;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnConfig;
import ghn4j.nn.Devices;
import ghn4j.zoo.ResNet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./ghn4j pretrained list|get|path} with the standard catalog: offline and against a bad
 * mirror on 127.0.0.1 (the real ppuda files cannot be fetched here), the released checkpoint in
 * place; and a GHN with the ImageNet config (1,000 classes, 16×16 kernels, as ppuda's
 * ghn2_imagenet.pt) on an ImageNet-style folder.
 */
@Timeout(300)
class PretrainedCommandTest {

  @TempDir Path tmp;

  private record Run(int rc, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int rc = new CommandLine(new Main()).execute(args);
      return new Run(
          rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void listShowsEveryNameWithSizeSourceAndState() {
    Run r = run("pretrained", "list", "--cache", tmp.resolve("cache").toString(), "--offline");
    assertEquals(0, r.rc(), r.err());
    for (Catalog.Entry e : Catalog.standard().entries()) {
      assertTrue(
          r.out().lines().anyMatch(l -> l.startsWith(e.name() + " ") && l.contains(e.source())),
          e.name() + "\n" + r.out());
    }
    assertTrue(
        r.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("ghn2-cifar10 ")
                        && l.contains("missing")
                        && l.contains("github.com/facebookresearch/ppuda")),
        r.out());
    assertTrue(
        r.out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("ghn2-cifar10-cpu2h ")
                        && l.contains("6.2 MiB")
                        && l.contains("ghn4j repository")),
        r.out());
    assertTrue(r.out().contains("deepnets1m_meta.tar.gz") || r.out().contains("~35 MB"), r.out());
  }

  @Test
  void getOfflineExplainsAndPathFails() {
    String cache = tmp.resolve("cache").toString();
    Run r = run("pretrained", "get", "ghn2-cifar10", "--cache", cache, "--offline");
    assertEquals(Main.ERROR, r.rc());
    assertTrue(
        r.err().contains("ghn2_cifar10.pt")
            && r.err().contains("raw.githubusercontent.com")
            && r.err()
                .contains(
                    Path.of(cache, "checkpoints", "ghn2_cifar10.pt").toAbsolutePath().toString()),
        r.err());
    Run p = run("pretrained", "path", "ghn2-cifar10", "--cache", cache);
    assertEquals(1, p.rc());
    assertTrue(p.err().contains("pretrained get ghn2-cifar10"), p.err());
    Run unknown = run("pretrained", "get", "ghn9", "--cache", cache, "--offline");
    assertEquals(Main.ERROR, unknown.rc());
    assertTrue(unknown.err().contains("ghn2-imagenet"), unknown.err());
  }

  @Test
  void wrongBytesFromAMirrorAreRefusedAndRemoved() throws IOException {
    byte[] impostor = "not ppuda's checkpoint".getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/mirror/",
        ex -> {
          ex.sendResponseHeaders(200, impostor.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(impostor);
          }
        });
    server.start();
    try {
      String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror";
      Path cache = tmp.resolve("cache");
      Run r =
          run("pretrained", "get", "mlp-cifar10", "--cache", cache.toString(), "--mirror", mirror);
      assertEquals(Main.ERROR, r.rc());
      assertTrue(
          r.err().contains("3a987c98b437fd2dfc603668a846f2b632ed28a3")
              && r.err().contains("deleted")
              && r.err().contains(mirror + "/mlp_cifar10.pt"),
          r.err());
      try (var s = Files.list(cache.resolve("checkpoints"))) {
        assertEquals(List.of(), s.toList());
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void releasedCheckpointGetAndPathPointIntoTheCheckout() {
    Run r =
        run(
            "pretrained",
            "get",
            "ghn2-cifar10-cpu2h",
            "--cache",
            tmp.resolve("cache").toString(),
            "--offline");
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().contains("data/checkpoints/ghn2-cifar10-cpu2h.safetensors"), r.out());
    Run p =
        run("pretrained", "path", "ghn2-cifar10-cpu2h", "--cache", tmp.resolve("cache").toString());
    assertEquals(0, p.rc(), p.err());
    assertTrue(
        p.out().strip().endsWith("data/checkpoints/ghn2-cifar10-cpu2h.safetensors"), p.out());
  }

  @Test
  void imagenetConfigGhnPredictsThousandClassClassifiersAndEvaluatesAFolder() throws IOException {
    // ppuda's ImageNet GHNs: hid 32, max_shape (64, 64, 16, 16), 1,000 classes (ppuda/config.py: s
    // = 16 for ImageNet)
    GhnConfig imagenet = GhnConfig.ghn2().withMaxShape(64, 64, 16, 16).withNumClasses(1000);
    Path ckpt = tmp.resolve("ghn2-imagenet-random.safetensors");
    try (NDManager m = Devices.newManager()) {
      Ghn ghn = Ghn.create(imagenet, m, 3);
      ghn.save(ckpt);
      // ResNet-50 for 224x224 ImageNet inputs: a 1,000-class classifier and the 7x7 stem, all
      // predicted
      Map<String, NDArray> p =
          ghn.predict(List.of(ResNet.build(ResNet.RESNET50, 1000, true)), m).params(0);
      assertEquals(new Shape(1000, 2048), p.get("fc.weight").getShape());
      assertEquals(new Shape(1000), p.get("fc.bias").getShape());
      assertEquals(new Shape(64, 3, 7, 7), p.get("conv1.weight").getShape());
    }
    Path folder = tmp.resolve("imagenet");
    ImageNetTree.write(folder);
    Path out = tmp.resolve("eval");
    Run r =
        run(
            "eval",
            "--ckpt",
            ckpt.toString(),
            "--split",
            "predefined",
            "--nets",
            "1",
            "--image-folder",
            folder.toString(),
            "--image-size",
            "224",
            "--batch-size",
            "6",
            "--out",
            out.toString(),
            "--cache",
            tmp.resolve("cache").toString());
    assertEquals(0, r.rc(), r.err() + r.out());
    List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(2, rows.size(), rows.toString());
    assertTrue(
        rows.get(1)
            .startsWith(
                "predefined,resnet50," + ResNet.build(ResNet.RESNET50, 3, true).numParams()),
        rows.get(1));
  }

  @Test
  void ckptTakesACatalogName() throws IOException {
    Path folder = tmp.resolve("imagenet");
    ImageNetTree.write(folder);
    Path run = tmp.resolve("run");
    Run r =
        run(
            "finetune",
            "--ckpt",
            "ghn2-cifar10-cpu2h",
            "--arch",
            "resnet18",
            "--image-folder",
            folder.toString(),
            "--image-size",
            "64",
            "--shots",
            "1",
            "--epochs",
            "1",
            "-b",
            "3",
            "--eval-batch-size",
            "6",
            "--run-dir",
            run.toString(),
            "--offline",
            "--cache",
            tmp.resolve("cache").toString());
    assertEquals(0, r.rc(), r.err() + r.out());
    String recorded =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(run.resolve("config.json").toFile())
            .get("ckpt")
            .asText();
    assertTrue(recorded.endsWith("data/checkpoints/ghn2-cifar10-cpu2h.safetensors"), recorded);
    // a name that is not cached, offline: eval fails and says where to get the file
    Run e =
        run(
            "eval",
            "--ckpt",
            "ghn1-cifar10",
            "--split",
            "test",
            "--nets",
            "1",
            "--offline",
            "--cache",
            tmp.resolve("cache").toString(),
            "--image-folder",
            folder.toString(),
            "--image-size",
            "64");
    assertTrue(e.rc() != 0);
    assertTrue(
        e.err().contains("ghn1_cifar10.pt") && e.err().contains("raw.githubusercontent.com"),
        e.err());
  }
}
