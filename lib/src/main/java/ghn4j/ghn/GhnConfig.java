package ghn4j.ghn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The hyper-parameters of a graph hypernetwork, with the field names of ppuda's {@code GHN(...)}
 * constructor so that configs exchange with the reference as JSON.
 *
 * @param maxShape the largest tensor the decoder predicts at once: {@code [out, in, h, w]}
 * @param numClasses classes of the dataset the GHN predicts classifiers for
 * @param hypernet {@code "gatedgnn"} (message passing) or {@code "mlp"} (node-wise MLP, no message
 *     passing)
 * @param decoder {@code "conv"} (the only decoder implemented here)
 * @param weightNorm whether predicted tensors are normalised by fan-in (GHN-2)
 * @param ve whether messages also travel along virtual edges (GHN-2, Eq. 4)
 * @param layernorm whether node embeddings are layer-normalised before decoding (GHN-2)
 * @param hid width of node embeddings
 */
public record GhnConfig(
    int[] maxShape,
    int numClasses,
    String hypernet,
    String decoder,
    boolean weightNorm,
    boolean ve,
    boolean layernorm,
    int hid) {

  /** Longest shortest path that becomes a virtual edge (ppuda's {@code ve_cutoff}). */
  public static final int VE_CUTOFF = 50;

  private static final ObjectMapper JSON = new ObjectMapper();

  public GhnConfig {
    if (maxShape == null || maxShape.length != 4) {
      throw new IllegalArgumentException(
          "max_shape must have 4 entries, got " + Arrays.toString(maxShape));
    }
    maxShape = maxShape.clone();
    if (maxShape[2] != maxShape[3]) {
      throw new IllegalArgumentException(
          "max_shape must have a square kernel, got " + Arrays.toString(maxShape));
    }
    if (!hypernet.equals("gatedgnn") && !hypernet.equals("mlp")) {
      throw new IllegalArgumentException(
          "hypernet must be 'gatedgnn' or 'mlp', got '" + hypernet + "'");
    }
    if (!decoder.equals("conv")) {
      throw new IllegalArgumentException(
          "decoder '" + decoder + "' is not implemented (only 'conv')");
    }
    if (hid <= 0 || hid % 4 != 0) {
      throw new IllegalArgumentException("hid must be a positive multiple of 4, got " + hid);
    }
    if (numClasses <= 0) {
      throw new IllegalArgumentException("num_classes must be positive, got " + numClasses);
    }
  }

  /** GHN-2 for CIFAR-10 as in the paper: virtual edges, LayerNorm, fan-in normalisation. */
  public static GhnConfig ghn2() {
    return new GhnConfig(new int[] {64, 64, 11, 11}, 10, "gatedgnn", "conv", true, true, true, 32);
  }

  /** GHN-1 for CIFAR-10 (ppuda's baseline): no virtual edges, no LayerNorm, no normalisation. */
  public static GhnConfig ghn1() {
    return ghn2().withWeightNorm(false).withVe(false).withLayernorm(false);
  }

  /**
   * The MLP baseline of the paper: GHN-2's options with a node-wise MLP instead of the gated GNN.
   */
  public static GhnConfig mlp() {
    return ghn2().withHypernet("mlp");
  }

  // Named construction: start from a preset and change what differs, e.g.
  // ghn2().withHid(64).withNumClasses(100).

  /** This config with {@code max_shape} {@code [out, in, h, w]}. */
  public GhnConfig withMaxShape(int... shape) {
    return new GhnConfig(shape, numClasses, hypernet, decoder, weightNorm, ve, layernorm, hid);
  }

  /** This config predicting classifiers for {@code n} classes. */
  public GhnConfig withNumClasses(int n) {
    return new GhnConfig(maxShape, n, hypernet, decoder, weightNorm, ve, layernorm, hid);
  }

  /** This config with hypernetwork {@code "gatedgnn"} or {@code "mlp"}. */
  public GhnConfig withHypernet(String name) {
    return new GhnConfig(maxShape, numClasses, name, decoder, weightNorm, ve, layernorm, hid);
  }

  /** This config with decoder {@code name} (only {@code "conv"} is implemented). */
  public GhnConfig withDecoder(String name) {
    return new GhnConfig(maxShape, numClasses, hypernet, name, weightNorm, ve, layernorm, hid);
  }

  /** This config with or without fan-in normalisation of predicted tensors. */
  public GhnConfig withWeightNorm(boolean on) {
    return new GhnConfig(maxShape, numClasses, hypernet, decoder, on, ve, layernorm, hid);
  }

  /** This config with or without messages along virtual edges. */
  public GhnConfig withVe(boolean on) {
    return new GhnConfig(maxShape, numClasses, hypernet, decoder, weightNorm, on, layernorm, hid);
  }

  /** This config with or without LayerNorm of node embeddings before decoding. */
  public GhnConfig withLayernorm(boolean on) {
    return new GhnConfig(maxShape, numClasses, hypernet, decoder, weightNorm, ve, on, hid);
  }

  /** This config with node embeddings of width {@code width}. */
  public GhnConfig withHid(int width) {
    return new GhnConfig(maxShape, numClasses, hypernet, decoder, weightNorm, ve, layernorm, width);
  }

  @Override
  public int[] maxShape() {
    return maxShape.clone();
  }

  /** Dimension {@code i} of {@link #maxShape()}. */
  public int maxShape(int i) {
    return maxShape[i];
  }

  /** Whether node features are propagated by the gated GNN (as opposed to the MLP baseline). */
  public boolean gatedGnn() {
    return hypernet.equals("gatedgnn");
  }

  /** The config as ppuda's JSON/dict. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    var ms = o.putArray("max_shape");
    for (int d : maxShape) {
      ms.add(d);
    }
    o.put("num_classes", numClasses);
    o.put("hypernet", hypernet);
    o.put("decoder", decoder);
    o.put("weight_norm", weightNorm);
    o.put("ve", ve);
    o.put("layernorm", layernorm);
    o.put("hid", hid);
    return o;
  }

  /**
   * Parses ppuda's field names; unknown fields (e.g. {@code note}) are ignored, missing ones take
   * GHN defaults.
   */
  public static GhnConfig fromJson(JsonNode o) {
    JsonNode ms = o.get("max_shape");
    if (ms == null || !ms.isArray()) {
      throw new IllegalArgumentException("GHN config lacks 'max_shape'");
    }
    int[] maxShape = new int[ms.size()];
    for (int i = 0; i < maxShape.length; i++) {
      maxShape[i] = ms.get(i).asInt();
    }
    JsonNode nc = o.get("num_classes");
    if (nc == null) {
      throw new IllegalArgumentException("GHN config lacks 'num_classes'");
    }
    return new GhnConfig(
        maxShape,
        nc.asInt(),
        o.path("hypernet").asText("gatedgnn"),
        o.path("decoder").asText("conv"),
        o.path("weight_norm").asBoolean(false),
        o.path("ve").asBoolean(false),
        o.path("layernorm").asBoolean(false),
        o.path("hid").asInt(32));
  }

  /**
   * Builds a config from a map as found in a pickled checkpoint ({@code max_shape} may be a list or
   * an array).
   */
  static GhnConfig fromMap(Map<?, ?> m) {
    return fromJson(JSON.valueToTree(m));
  }

  /** Reads a JSON config file; errors name the file. */
  public static GhnConfig read(Path file) {
    try {
      return fromJson(JSON.readTree(file.toFile()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a valid GHN config: " + e.getMessage(), e);
    }
  }

  /** Writes the config as JSON, atomically. */
  public void write(Path file) throws IOException {
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson());
    ghn4j.io.AtomicFiles.write(file, out -> out.write(bytes));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GhnConfig c
        && Arrays.equals(c.maxShape, maxShape)
        && c.numClasses == numClasses
        && c.hypernet.equals(hypernet)
        && c.decoder.equals(decoder)
        && c.weightNorm == weightNorm
        && c.ve == ve
        && c.layernorm == layernorm
        && c.hid == hid;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(maxShape) * 31 + hid;
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
