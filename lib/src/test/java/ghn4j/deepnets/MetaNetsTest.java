package ghn4j.deepnets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The nets of ppuda's generator meta files ({@code deepnets/*_meta.json}, discovered): the
 * generator's own parameter counts (C = 32, 10 classes, CIFAR-10 and ImageNet stems) and its graph
 * node counts (ppuda's graph of the CIFAR-10 build, msa and cse nodes included).
 */
class MetaNetsTest {

  private static List<Path> metaFiles() throws IOException {
    Path dir = Fixtures.dir().resolve("deepnets");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> metas =
          files.filter(p -> p.getFileName().toString().endsWith("_meta.json")).sorted().toList();
      assertFalse(metas.isEmpty(), "no meta files in " + dir);
      return metas;
    }
  }

  @TestFactory
  Stream<DynamicTest> generatorCountsAndNodeCounts() throws IOException {
    return metaFiles().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      JsonNode nets = NetSpecs.metaNets(f);
                      List<NetArgs> cifar = NetSpecs.readMeta(f, 32, 10, false);
                      List<NetArgs> imagenet = NetSpecs.readMeta(f, 32, 10, true);
                      List<String> countErrors = new ArrayList<>();
                      List<String> nodeMismatches = new ArrayList<>();
                      for (int i = 0; i < nets.size(); i++) {
                        JsonNode e = nets.get(i);
                        long c = NetworkBuilder.countParams(cifar.get(i));
                        long im = NetworkBuilder.countParams(imagenet.get(i));
                        if (c != e.get("num_params").get("cifar10").asLong()
                            || im != e.get("num_params").get("imagenet").asLong()) {
                          countErrors.add(i + ": " + c + "/" + im + " vs " + e.get("num_params"));
                        }
                        int nodes = NetworkBuilder.graph(cifar.get(i)).primitiveView().size();
                        int expected = e.get("num_nodes").asInt();
                        if (nodes != expected) {
                          nodeMismatches.add(i + ": " + nodes + " vs " + expected);
                        }
                      }
                      System.out.println(
                          "[meta] "
                              + f.getFileName()
                              + ": "
                              + nets.size()
                              + " nets, parameter count errors "
                              + countErrors.size()
                              + ", node count mismatches "
                              + nodeMismatches.size()
                              + " "
                              + nodeMismatches);
                      assertTrue(countErrors.isEmpty(), "parameter counts differ: " + countErrors);
                      // msa/cse nodes included: AutogradTrace reproduces ppuda's positional filter
                      assertTrue(nodeMismatches.isEmpty(), "node counts differ: " + nodeMismatches);
                    }));
  }
}
