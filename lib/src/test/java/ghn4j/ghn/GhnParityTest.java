package ghn4j.ghn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ghn4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our GHNs against ppuda on every fixture case: each {@code ghn/<ghn>.json} (with its weights) × each
 * {@code graphs/<net>.json} that has a prediction digest; predicted tensors against the digest and, where shipped,
 * the full tensors; node embeddings against the reference embeddings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GhnParityTest {

  private final Map<String, Ghn> ghns = new HashMap<>();

  static Stream<Arguments> cases() throws IOException {
    Path dir = Fixtures.dir();
    List<Arguments> out = new ArrayList<>();
    for (Path cfg : list(dir.resolve("ghn"), ".json")) {
      String ghn = base(cfg, ".json");
      if (!Files.exists(dir.resolve("ghn").resolve(ghn + ".safetensors"))) {
        continue;
      }
      for (Path graph : list(dir.resolve("graphs"), ".json")) {
        String net = base(graph, ".json");
        if (Files.exists(dir.resolve("predictions").resolve(ghn).resolve(net + ".digest.json"))) {
          out.add(Arguments.of(ghn, net));
        }
      }
    }
    return out.stream();
  }

  private static List<Path> list(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static String base(Path p, String suffix) {
    String n = p.getFileName().toString();
    return n.substring(0, n.length() - suffix.length());
  }

  private Ghn ghn(String name) {
    return ghns.computeIfAbsent(name, n -> Ghn.load(Fixtures.dir().resolve("ghn").resolve(n + ".safetensors")));
  }

  @AfterAll
  void closeGhns() {
    ghns.values().forEach(Ghn::close);
  }

  @ParameterizedTest(name = "{0} × {1}")
  @MethodSource("cases")
  void matchesReference(String ghnName, String net) {
    try (NDManager m = NDManager.newBaseManager()) {
      List<PredictionCheck.Report> reports =
          PredictionCheck.fixtureCase(ghn(ghnName), Fixtures.dir(), ghnName, net, m);
      for (PredictionCheck.Report r : reports) {
        System.out.println("[parity] " + ghnName + " x " + net + " " + r);
      }
      for (PredictionCheck.Report r : reports) {
        assertTrue(r.ok(), r.toString());
      }
    }
  }
}
