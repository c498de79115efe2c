package ghn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The images an ImageNet-style folder run trains on, recorded as {@code data.json} in its run
 * directory so that a resume loads the same ones: the folder, the image size, the requested subset
 * ({@code null}: all) and the number of classes. CIFAR-10 runs have no such file (their {@code
 * config.json} says which images).
 *
 * @param folder the ImageFolder root (absolute)
 * @param imageSize the network input size
 * @param trainImages about how many training images were asked for (null: all)
 * @param classes how many classes the folder has
 */
public record ImageFolderData(Path folder, int imageSize, Integer trainImages, int classes) {

  /** The file name inside a run directory. */
  public static final String FILE = "data.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The record of the run in {@code runDir}, or empty for a run without one (CIFAR-10). */
  public static Optional<ImageFolderData> read(Path runDir) throws IOException {
    Path f = runDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    JsonNode o = JSON.readTree(f.toFile());
    return Optional.of(
        new ImageFolderData(
            Path.of(o.get("image_folder").asText()),
            o.get("image_size").asInt(),
            o.get("train_images").isNull() ? null : o.get("train_images").asInt(),
            o.path("classes").asInt()));
  }

  /** {@code data.json}'s content. */
  ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("image_folder", folder.toAbsolutePath().toString());
    o.put("image_size", imageSize);
    o.put("train_images", trainImages);
    o.put("classes", classes);
    return o;
  }
}
