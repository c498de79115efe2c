package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.io.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads GHN-3 checkpoints in every layout ghn3 uses, to the same weights:
 *
 * <ul>
 *   <li>{@code joblib.dump(state_dict)}, uncompressed or zlib-compressed — the released {@code
 *       ghn3*.pt} files on the Hugging Face hub ({@link Joblib}; other joblib compressions are
 *       refused naming the file);
 *   <li>{@code torch.save({'state_dict': ..., 'config': ...})} (zip), the local-file form of {@code
 *       from_pretrained}; a zip holding a bare {@code state_dict} is accepted too;
 *   <li>{@code .safetensors} of the {@code state_dict}, with the config from a {@code .json} of the
 *       same base name when there is one.
 * </ul>
 *
 * Without a config it is inferred from names and shapes as {@code from_pretrained} does ({@link
 * Ghn3Config#infer}). Names are accepted in both layouts of the embeddings (top level as released,
 * or under {@code gnn.0.} after {@code fix_embed_layers}) and stored in the released one; {@code
 * is_ghn2} checkpoints' 4-D decoder weights are squeezed to 2-D as {@code from_pretrained} does.
 */
final class Ghn3Checkpoint {

  /** A loaded checkpoint and the file format it was read from. */
  record Loaded(Ghn3Config config, GhnWeights weights, String format) {}

  private static final String[] MOVED = {
    "centrality_embed_in", "centrality_embed_out", "input_dist_embed"
  };

  private Ghn3Checkpoint() {}

  /**
   * Whether {@code file} holds a GHN-3 (not a ppuda GHN): a joblib pickle (ghn3's released layout;
   * ppuda never uses joblib), or a torch.save / safetensors state_dict with a Graphormer's weights
   * or GHN-3's centrality embeddings.
   */
  static boolean recognises(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    String name = file.getFileName().toString();
    java.util.Set<String> names;
    if (name.endsWith(".safetensors")) {
      names = new java.util.HashSet<>();
      for (SafeTensors.Entry e : SafeTensors.list(file)) {
        names.add(e.name());
      }
    } else if (isZip(file)) {
      try (NDManager m = ghn4j.nn.Devices.newManager()) {
        Object root = TorchCheckpoint.read(file, m);
        if (!(root instanceof Map<?, ?> dict)) {
          return false;
        }
        Object sd = dict.get("state_dict") instanceof Map<?, ?> inner ? inner : dict;
        names = new java.util.HashSet<>();
        ((Map<?, ?>) sd).keySet().forEach(k -> names.add(String.valueOf(k)));
      }
    } else {
      return true;
    }
    return names.stream()
        .anyMatch(n -> n.contains("centrality_embed") || n.matches("gnn\\.\\d+\\.attn\\..*"));
  }

  static Loaded read(Path file, NDManager m) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such checkpoint file");
    }
    String name = file.getFileName().toString();
    Map<String, NDArray> tensors;
    com.fasterxml.jackson.databind.node.ObjectNode configJson = null;
    String format;
    if (name.endsWith(".safetensors")) {
      tensors = SafeTensors.read(file, m);
      Path json =
          file.resolveSibling(name.substring(0, name.length() - ".safetensors".length()) + ".json");
      if (Files.isRegularFile(json)) {
        configJson = readJson(json);
      }
      format = "safetensors";
    } else if (isZip(file)) {
      Object root = TorchCheckpoint.read(file, m);
      if (!(root instanceof Map<?, ?> dict)) {
        throw new IllegalArgumentException(
            file + ": not a GHN checkpoint (the pickle holds no dict)");
      }
      if (dict.get("config") instanceof Map<?, ?> cfg) {
        configJson = JSON.valueToTree(cfg);
      }
      tensors = tensors(dict.get("state_dict") instanceof Map<?, ?> sd ? sd : dict, file);
      format = "torch.save";
    } else {
      Object root = Joblib.read(file, m);
      if (!(root instanceof Map<?, ?> dict)) {
        throw new IllegalArgumentException(
            file + ": not a GHN checkpoint (the pickle holds no dict)");
      }
      tensors = tensors(dict.get("state_dict") instanceof Map<?, ?> sd ? sd : dict, file);
      format =
          "joblib (" + Joblib.compression(file).name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
    Map<String, NDArray> named = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      named.put(releasedName(e.getKey()), e.getValue());
    }
    Map<String, long[]> shapes = new LinkedHashMap<>();
    named.forEach((k, v) -> shapes.put(k, v.getShape().getShape()));
    Ghn3Config inferred = Ghn3Config.infer(shapes);
    Ghn3Config config;
    if (configJson == null) {
      config = inferred;
    } else {
      if (!configJson.has("is_ghn2")) {
        configJson.put(
            "is_ghn2",
            inferred.isGhn2()); // as from_pretrained: taken from the weights when not given
      }
      try {
        config = Ghn3Config.fromJson(configJson);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + ": invalid GHN-3 config: " + e.getMessage(), e);
      }
    }
    if (config.isGhn2() != inferred.isGhn2()) {
      throw new IllegalArgumentException(
          file
              + ": config says is_ghn2="
              + config.isGhn2()
              + " but the state_dict "
              + (inferred.isGhn2() ? "has" : "has no")
              + " gnn.gru.* weights");
    }
    if (config.isGhn2()) {
      for (Map.Entry<String, NDArray> e : named.entrySet()) {
        NDArray a = e.getValue();
        if (e.getKey().startsWith("decoder.") && a.getShape().dimension() == 4) {
          e.setValue(a.reshape(a.getShape().get(0), a.getShape().get(1)));
        }
      }
    }
    return new Loaded(
        config, GhnWeights.of(config.layout(), config.toString(), named, file.toString()), format);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static com.fasterxml.jackson.databind.node.ObjectNode readJson(Path json) {
    try {
      if (JSON.readTree(json.toFile())
          instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
        return o;
      }
      throw new IllegalArgumentException(json + ": a GHN-3 config must be a JSON object");
    } catch (IOException e) {
      throw new IllegalArgumentException(json + ": not a valid GHN-3 config: " + e.getMessage(), e);
    }
  }

  /**
   * {@code gnn.0.centrality_embed_in.weight} (after {@code fix_embed_layers}) → {@code
   * centrality_embed_in.weight}.
   */
  static String releasedName(String name) {
    for (String moved : MOVED) {
      if (name.equals("gnn.0." + moved + ".weight")) {
        return moved + ".weight";
      }
    }
    return name;
  }

  private static Map<String, NDArray> tensors(Map<?, ?> sd, Path file) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : sd.entrySet()) {
      if (!(e.getValue() instanceof NDArray a)) {
        throw new IllegalArgumentException(
            file + ": state_dict entry '" + e.getKey() + "' is not a tensor");
      }
      out.put(String.valueOf(e.getKey()), a);
    }
    return out;
  }

  private static boolean isZip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] h = in.readNBytes(4);
      return h.length == 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4;
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e, e);
    }
  }

  /**
   * Saves {@code <base>.safetensors} (released names) and {@code <base>.json} (config), each
   * atomically.
   */
  static void write(Path file, Ghn3Config config, GhnWeights weights) throws IOException {
    String name = file.getFileName().toString();
    String base =
        name.endsWith(".safetensors")
            ? name.substring(0, name.length() - ".safetensors".length())
            : name;
    SafeTensors.write(
        file.resolveSibling(base + ".safetensors"),
        weights.asMap(),
        Map.of("format", "ghn4j-ghn3"));
    config.write(file.resolveSibling(base + ".json"));
  }
}
