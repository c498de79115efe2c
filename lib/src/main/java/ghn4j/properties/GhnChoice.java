package ghn4j.properties;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which trained GHN the property experiments use: the released checkpoint when it exists, else the newest
 * {@code *.safetensors} (with its {@code .json}) in a folder of interim copies — file names like
 * {@code ghn2-step0425.safetensors} say how far that training had got.
 *
 * @param file the checkpoint to pass to {@code Ghn.load}
 * @param released true for the released checkpoint, false for an interim copy
 */
public record GhnChoice(Path file, boolean released) {

  /** Released checkpoint of the GHN-2 trained on this CPU for 2 hours. */
  public static final String RELEASED = "data/checkpoints/ghn2-cifar10-cpu2h.safetensors";

  /** The released {@code preferred} checkpoint if present, else the newest interim copy in {@code interimDir}. */
  public static GhnChoice choose(Path preferred, Path interimDir) {
    if (Files.isRegularFile(preferred)) {
      return new GhnChoice(preferred, true);
    }
    Optional<Path> interim = Optional.empty();
    if (Files.isDirectory(interimDir)) {
      try (Stream<Path> s = Files.list(interimDir)) {
        interim = s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
            .filter(p -> Files.isRegularFile(Path.of(p.toString().replaceFirst("\\.safetensors$", ".json"))))
            .max(Comparator.comparing(p -> p.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(interimDir + ": " + e.getMessage(), e);
      }
    }
    return new GhnChoice(interim.orElseThrow(() -> new IllegalStateException("no GHN checkpoint: neither "
        + preferred + " nor a <name>.safetensors + <name>.json in " + interimDir)), false);
  }

  /** One line saying which checkpoint is used. */
  public String describe() {
    return (released ? "released checkpoint " : "INTERIM copy of a GHN still in training: ") + file;
  }
}
