package ghn4j.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.cli.Main;
import ghn4j.data.ImageNetTree;
import ghn4j.data.TestData;
import ghn4j.deepnets.OfficialDeepNets;
import ghn4j.eval.EvalNets;
import ghn4j.eval.NamedGraph;
import ghn4j.ghn.Ghn;
import ghn4j.ghn.GhnConfig;
import ghn4j.nn.Devices;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The DeepNets-1M meta archive path end to end with a stand-in: a .tar.gz holding an eval meta JSON
 * built from the fixtures' ppuda meta files (val and bnfree), under its own MD5, served by a mirror
 * on 127.0.0.1; unpacked into the cache; {@code eval} then evaluates the official nets of the split
 * rather than ghn4j's regenerated ones.
 */
@Timeout(300)
class OfficialMetaEvalTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void metaArchiveIsFetchedUnpackedAndUsedByEval() throws Exception {
    ObjectNode eval = JSON.createObjectNode();
    for (String split : List.of("val", "bnfree")) {
      JsonNode one =
          JSON.readTree(Fixtures.dir().resolve("deepnets").resolve(split + "_meta.json").toFile());
      eval.set(split, one.get(split));
    }
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("deepnets1m_meta/" + OfficialDeepNets.EVAL_META, JSON.writeValueAsBytes(eval));
    members.put("deepnets1m_meta/README", "stand-in".getBytes(StandardCharsets.UTF_8));
    Path mirror = Files.createDirectories(tmp.resolve("mirror"));
    TestData.writeTarGz(mirror.resolve("deepnets1m_meta.tar.gz"), members);
    Checksum md5 = Checksum.of(Checksum.Algorithm.MD5, mirror.resolve("deepnets1m_meta.tar.gz"));
    Catalog catalog =
        Catalog.of(
            List.of(
                new Catalog.Entry(
                    "deepnets1m-meta",
                    Catalog.Kind.DEEPNETS1M,
                    "stand-in",
                    List.of(
                        RemoteFile.of(
                            "deepnets1m_meta.tar.gz",
                            java.net.URI.create(
                                "https://ghn4j-no-such-host.invalid/deepnets1m/deepnets1m_meta.tar.gz"),
                            md5)))));
    Path cache = tmp.resolve("cache");
    try (LoopbackServer server = new LoopbackServer()) {
      server.putAll(mirror);
      Store store =
          new Store(
              DownloadSettings.fromEnvironment(Map.of(), tmp.toString())
                  .withCache(cache)
                  .withProgress(false)
                  .withMirror(java.net.URI.create(server.base() + "good")),
              catalog,
              null);
      assertTrue(OfficialDeepNets.evalMeta(store).isEmpty());
      OfficialDeepNets.get("meta", store);
      Path meta = OfficialDeepNets.evalMeta(store).orElseThrow();
      assertEquals(
          cache.resolve("deepnets1m/deepnets1m_meta").resolve(OfficialDeepNets.EVAL_META), meta);

      // the official nets, not ghn4j's regenerated ones (which differ: the test would otherwise
      // prove nothing)
      Path noSplits = tmp.resolve("no-splits");
      List<NamedGraph> official = EvalNets.load("val", noSplits, meta, 2);
      List<Long> params = official.stream().map(NamedGraph::numParams).toList();
      List<Long> ours =
          EvalNets.load("val", noSplits, null, 2).stream().map(NamedGraph::numParams).toList();
      assertNotEquals(ours, params);
      JsonNode fixtureNets = eval.get("val").get("nets");
      for (int i = 0; i < 2; i++) {
        assertEquals(
            fixtureNets.get(i).get("num_params").get("cifar10").asLong(),
            params.get(i),
            "val net " + i);
      }
      assertTrue(EvalNets.source("val", noSplits, meta).contains(meta.toString()));
    }

    // ./ghn4j eval with that cache: the official val nets (3 classes, ImageNet stems for the
    // folder)
    Path folder = tmp.resolve("imagenet");
    ImageNetTree.write(folder);
    Path ckpt = tmp.resolve("ghn.safetensors");
    try (NDManager m = Devices.newManager()) {
      Ghn.create(GhnConfig.ghn2(), m, 1).save(ckpt);
    }
    Path out = tmp.resolve("eval");
    int rc =
        new CommandLine(new Main())
            .execute(
                "eval",
                "--ckpt",
                ckpt.toString(),
                "--split",
                "val",
                "--nets",
                "2",
                "--nets-root",
                tmp.resolve("no-splits").toString(),
                "--cache",
                cache.toString(),
                "--image-folder",
                folder.toString(),
                "--image-size",
                "64",
                "--batch-size",
                "6",
                "--out",
                out.toString());
    assertEquals(0, rc);
    Path meta = cache.resolve("deepnets1m/deepnets1m_meta").resolve(OfficialDeepNets.EVAL_META);
    assertEquals(
        meta.toString(), JSON.readTree(out.resolve("config.json").toFile()).get("meta").asText());
    List<Long> expected =
        EvalNets.load("val", null, meta, 2, 3, true).stream()
            .filter(n -> !EvalNets.fixedInputSize(n.graph()))
            .map(NamedGraph::numParams)
            .toList();
    List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(
        expected,
        rows.subList(1, rows.size()).stream().map(r -> Long.parseLong(r.split(",")[2])).toList());

    // --ghn4j-nets: the regenerated split, no meta
    Path out2 = tmp.resolve("eval2");
    rc =
        new CommandLine(new Main())
            .execute(
                "eval",
                "--ckpt",
                ckpt.toString(),
                "--split",
                "val",
                "--nets",
                "1",
                "--nets-root",
                tmp.resolve("no-splits").toString(),
                "--cache",
                cache.toString(),
                "--ghn4j-nets",
                "--image-folder",
                folder.toString(),
                "--image-size",
                "64",
                "--batch-size",
                "6",
                "--out",
                out2.toString());
    assertEquals(0, rc);
    assertTrue(JSON.readTree(out2.resolve("config.json").toFile()).get("meta").isNull());
  }

  @Test
  void archiveMembersOutsideTheFolderAreRefused() throws IOException {
    Path tgz = tmp.resolve("evil.tar.gz");
    TestData.writeTarGz(tgz, Map.of("../escape.json", new byte[] {1}));
    IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> OfficialDeepNets.unpack(tgz, tmp.resolve("out")));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("escape.json")));
  }
}
