package ghn4j.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@code nets/<net>.json} fixture says about a net: how to build it and the parameters
 * ppuda's module holds.
 *
 * @param name the net's name (file name without {@code .json})
 * @param kind {@code torchvision} or {@code deepnets1m}
 * @param arch the torchvision architecture name ({@code null} for other kinds)
 * @param numClasses the classifier size
 * @param numParams trainable parameters of the module as built
 * @param stateDict {@code name[shape]} of every trainable parameter, module order
 * @param liveStateDict the parameters the graph holds ({@code live_state_dict}); equals {@code
 *     stateDict} when the fixture has no such field (nets without dead ops)
 * @param json the whole file, for kind-specific builders
 */
public record NetFixture(
    String name,
    String kind,
    String arch,
    int numClasses,
    long numParams,
    List<String> stateDict,
    List<String> liveStateDict,
    JsonNode json) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public NetFixture {
    stateDict = List.copyOf(stateDict);
    liveStateDict = List.copyOf(liveStateDict);
  }

  /** Reads a net fixture; errors name the file and field. */
  public static NetFixture read(Path file) {
    String fileName = file.getFileName().toString();
    String name =
        fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not readable JSON: " + e.getMessage(), e);
    }
    String kind = root.path("kind").asText("");
    if (kind.isEmpty()) {
      throw new IllegalArgumentException(file + ": field kind is missing");
    }
    if (!root.path("num_params").canConvertToLong()) {
      throw new IllegalArgumentException(file + ": field num_params is missing or not an integer");
    }
    List<String> sd = specs(root.path("state_dict"), file, "state_dict");
    List<String> live =
        root.has("live_state_dict")
            ? specs(root.get("live_state_dict"), file, "live_state_dict")
            : sd;
    return new NetFixture(
        name,
        kind,
        root.path("arch").isTextual() ? root.get("arch").asText() : null,
        root.path("num_classes").asInt(10),
        root.get("num_params").asLong(),
        sd,
        live,
        root);
  }

  /** {@code name[d0, d1, ...]}, the form both sides of a state-dict comparison use. */
  public static String spec(String name, int[] shape) {
    return name + Arrays.toString(shape);
  }

  private static List<String> specs(JsonNode list, Path file, String field) {
    if (!list.isArray()) {
      throw new IllegalArgumentException(file + ": field " + field + " is missing or not a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : list) {
      if (e.size() != 2 || !e.get(1).isArray()) {
        throw new IllegalArgumentException(
            file + ": " + field + " entry " + e + " is not [name, shape]");
      }
      int[] shape = new int[e.get(1).size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.get(1).get(i).asInt();
      }
      out.add(spec(e.get(0).asText(), shape));
    }
    return out;
  }
}
