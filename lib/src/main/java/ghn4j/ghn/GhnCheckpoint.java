package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GHN checkpoints: ppuda's {@code .pt} ({@code torch.save({'state_dict', 'config', 'epoch'})}) and
 * ours, a {@code .safetensors} file of the weights by ppuda name next to a {@code .json} config
 * with the same base name.
 */
final class GhnCheckpoint {

  record Loaded(GhnConfig config, GhnWeights weights) {}

  private GhnCheckpoint() {}

  static Loaded read(Path file, NDManager m) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such checkpoint file");
    }
    String name = file.getFileName().toString();
    if (name.endsWith(".safetensors")) {
      Path json =
          file.resolveSibling(name.substring(0, name.length() - ".safetensors".length()) + ".json");
      if (!Files.isRegularFile(json)) {
        throw new IllegalArgumentException(
            file + ": the GHN config " + json.getFileName() + " is missing");
      }
      GhnConfig config = GhnConfig.read(json);
      Map<String, NDArray> tensors = SafeTensors.read(file, m);
      return new Loaded(config, GhnWeights.of(config, tensors, file.toString()));
    }
    Object root = TorchCheckpoint.read(file, m);
    if (!(root instanceof Map<?, ?> dict) || !(dict.get("state_dict") instanceof Map<?, ?> sd)) {
      throw new IllegalArgumentException(file + ": not a GHN checkpoint (no 'state_dict' entry)");
    }
    if (!(dict.get("config") instanceof Map<?, ?> cfg)) {
      throw new IllegalArgumentException(file + ": not a GHN checkpoint (no 'config' entry)");
    }
    GhnConfig config;
    try {
      config = GhnConfig.fromMap(cfg);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": invalid GHN config: " + e.getMessage(), e);
    }
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : sd.entrySet()) {
      if (!(e.getValue() instanceof NDArray a)) {
        throw new IllegalArgumentException(
            file + ": state_dict entry '" + e.getKey() + "' is not a tensor");
      }
      tensors.put(String.valueOf(e.getKey()), a);
    }
    return new Loaded(config, GhnWeights.of(config, tensors, file.toString()));
  }

  static void write(Path file, GhnConfig config, GhnWeights weights) throws IOException {
    String name = file.getFileName().toString();
    String base =
        name.endsWith(".safetensors")
            ? name.substring(0, name.length() - ".safetensors".length())
            : name;
    SafeTensors.write(
        file.resolveSibling(base + ".safetensors"), weights.asMap(), Map.of("format", "ghn4j"));
    config.write(file.resolveSibling(base + ".json"));
  }
}
