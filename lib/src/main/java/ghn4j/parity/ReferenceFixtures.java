package ghn4j.parity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cases of a reference fixture directory (format: the README there), discovered from its
 * folders — never listed by name: every {@code nets/<net>.json} is a net case, every {@code
 * ghn/<ghn>.json} a GHN; the per-GHN files ({@code predictions/<ghn>/<net>.digest.json}, {@code
 * .safetensors}, {@code embeddings/}, {@code logits/}) are looked up for each pair and used when
 * present.
 *
 * @param dir the fixture directory
 * @param nets the net names, sorted
 * @param ghns the GHN names, sorted
 */
public record ReferenceFixtures(Path dir, List<String> nets, List<String> ghns) {

  public ReferenceFixtures {
    nets = List.copyOf(nets);
    ghns = List.copyOf(ghns);
  }

  /** Scans {@code dir}; fails naming the directory when it has no {@code nets} folder. */
  public static ReferenceFixtures discover(Path dir) {
    if (!Files.isDirectory(dir.resolve("nets"))) {
      throw new IllegalArgumentException(
          dir + ": not a reference fixture directory (no nets/ folder)");
    }
    return new ReferenceFixtures(
        dir, names(dir.resolve("nets"), ".json"), names(dir.resolve("ghn"), ".json"));
  }

  private static List<String> names(Path folder, String suffix) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      List<String> out = new ArrayList<>();
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(suffix) && !n.endsWith(".digest.json")) {
          out.add(n.substring(0, n.length() - suffix.length()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(folder + ": cannot list: " + e.getMessage(), e);
    }
  }

  /** {@code nets/<net>.json}. */
  public Path netFile(String net) {
    return dir.resolve("nets").resolve(net + ".json");
  }

  /** {@code graphs/<net>.json}, if shipped. */
  public Optional<Path> graphFile(String net) {
    return existing(dir.resolve("graphs").resolve(net + ".json"));
  }

  /** {@code inputs.safetensors}, if shipped. */
  public Optional<Path> inputs() {
    return existing(dir.resolve("inputs.safetensors"));
  }

  /** The GHN's weights: {@code ghn/<ghn>.safetensors}, else ppuda's {@code ghn/<ghn>.pt}. */
  public Optional<Path> ghnWeights(String ghn) {
    Optional<Path> st = existing(dir.resolve("ghn").resolve(ghn + ".safetensors"));
    return st.isPresent() ? st : existing(dir.resolve("ghn").resolve(ghn + ".pt"));
  }

  /** {@code predictions/<ghn>/<net>.digest.json}, if shipped. */
  public Optional<Path> digest(String ghn, String net) {
    return existing(dir.resolve("predictions").resolve(ghn).resolve(net + ".digest.json"));
  }

  /** {@code predictions/<ghn>/<net>.safetensors} (full predicted tensors), if shipped. */
  public Optional<Path> predictedTensors(String ghn, String net) {
    return existing(dir.resolve("predictions").resolve(ghn).resolve(net + ".safetensors"));
  }

  /** {@code embeddings/<ghn>/<net>.safetensors}, if shipped. */
  public Optional<Path> embeddings(String ghn, String net) {
    return existing(dir.resolve("embeddings").resolve(ghn).resolve(net + ".safetensors"));
  }

  /** {@code logits/<ghn>/<net>.safetensors}, if shipped. */
  public Optional<Path> logits(String ghn, String net) {
    return existing(dir.resolve("logits").resolve(ghn).resolve(net + ".safetensors"));
  }

  /** Whether any per-GHN file exists for this pair (then the pair is a case). */
  public boolean hasGhnCase(String ghn, String net) {
    return digest(ghn, net).isPresent()
        || predictedTensors(ghn, net).isPresent()
        || embeddings(ghn, net).isPresent()
        || logits(ghn, net).isPresent();
  }

  private static Optional<Path> existing(Path p) {
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }
}
