package ghn4j.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.graph.Graph;
import ghn4j.io.SafeTensors;
import ghn4j.nn.BnState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The BatchNorm running statistics behind the reference logits of nets whose BatchNorm tracks them
 * (torchvision nets, the DARTS net). ppuda's {@code Graph(net)} traces a freshly built net with one
 * training-mode forward on {@code torch.randn(1, 3, 32, 32)}, which moves every running mean and
 * variance by one momentum-0.1 update; the fixtures' logits were computed in {@code eval()} mode
 * after that. The statistics depend on torch's generator (initial weights, random input), which we
 * cannot replay, so {@code environment/fixtures/tracked_bn_stats.py} derived them once with the
 * reference code (torch seed 0) into {@code ghn4j/parity/tracked-bn/<net>.safetensors} (PyTorch
 * buffer names). See docs/differences.md, "Reference logits with tracked BN".
 */
final class TrackedBnStats {

  private static final String DIR = "/ghn4j/parity/tracked-bn/";

  private TrackedBnStats() {}

  /**
   * The derived statistics of fixture net {@code net}, in {@code manager}; empty when none were
   * derived.
   */
  static Optional<BnState> forNet(String net, Graph graph, NDManager manager) {
    try (InputStream in = TrackedBnStats.class.getResourceAsStream(DIR + net + ".safetensors")) {
      if (in == null) {
        return Optional.empty();
      }
      Path tmp = Files.createTempFile("ghn4j-tracked-bn-", ".safetensors");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        try (NDManager scratch = manager.newSubManager()) {
          Map<String, NDArray> buffers = SafeTensors.read(tmp, scratch);
          return Optional.of(BnState.fromStateDict(graph, buffers, manager));
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading derived BatchNorm statistics of " + net, e);
    }
  }
}
