package ghn4j.ghn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.io.JsonRecords;
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
 * @param hypernet {@link HypernetKind#GATEDGNN} (message passing) or {@link HypernetKind#MLP}
 *     (node-wise MLP, no message passing)
 * @param decoder {@link DecoderKind#CONV} (the only decoder implemented here)
 * @param weightNorm whether predicted tensors are normalised by fan-in (GHN-2)
 * @param ve whether messages also travel along virtual edges (GHN-2, Eq. 4)
 * @param layernorm whether node embeddings are layer-normalised before decoding (GHN-2)
 * @param hid width of node embeddings
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
  "max_shape",
  "num_classes",
  "hypernet",
  "decoder",
  "weight_norm",
  "ve",
  "layernorm",
  "hid"
})
public record GhnConfig(
    int[] maxShape,
    int numClasses,
    HypernetKind hypernet,
    DecoderKind decoder,
    boolean weightNorm,
    boolean ve,
    boolean layernorm,
    int hid) {

  /** Longest shortest path that becomes a virtual edge (ppuda's {@code ve_cutoff}). */
  public static final int VE_CUTOFF = 50;

  /**
   * The values of fields a GHN config file may omit: ppuda's {@code GHN(...)} defaults (gated GNN,
   * conv decoder, no normalisation, no virtual edges, no LayerNorm, hid 32); {@code max_shape} and
   * {@code num_classes} are required.
   */
  private static final ObjectNode OMITTED =
      JsonRecords.object(
          Map.of(
              "hypernet",
              "gatedgnn",
              "decoder",
              "conv",
              "weight_norm",
              false,
              "ve",
              false,
              "layernorm",
              false,
              "hid",
              32));

  /** ppuda's {@code hypernet} choice: message passing by a gated GNN or a node-wise MLP. */
  public enum HypernetKind implements JsonRecords.Named {
    GATEDGNN,
    MLP;

    /** The kind named {@code name}; the error lists the allowed names. */
    @JsonCreator
    public static HypernetKind parse(String name) {
      return JsonRecords.parseName(values(), "hypernet", name);
    }

    @Override
    public String toString() {
      return jsonName();
    }
  }

  /**
   * ppuda's {@code decoder} choice; only {@code "conv"} is implemented here (ppuda also has an MLP
   * decoder, which its released GHNs do not use).
   */
  public enum DecoderKind implements JsonRecords.Named {
    CONV;

    /** The decoder named {@code name}; the error lists the implemented names. */
    @JsonCreator
    public static DecoderKind parse(String name) {
      return JsonRecords.parseName(values(), "decoder", name);
    }

    @Override
    public String toString() {
      return jsonName();
    }
  }

  public GhnConfig {
    maxShape = checkShape(maxShape, hid, numClasses);
    if (hypernet == null || decoder == null) {
      throw new IllegalArgumentException("hypernet and decoder must be given");
    }
  }

  /**
   * The checks GHN-2 and GHN-3 configs share: {@code max_shape} has 4 entries with a square kernel,
   * {@code hid} is a positive multiple of 4, {@code num_classes} is positive; returns a copy of
   * {@code maxShape}.
   */
  static int[] checkShape(int[] maxShape, int hid, int numClasses) {
    if (maxShape == null || maxShape.length != 4) {
      throw new IllegalArgumentException(
          "max_shape must have 4 entries, got " + Arrays.toString(maxShape));
    }
    if (maxShape[2] != maxShape[3]) {
      throw new IllegalArgumentException(
          "max_shape must have a square kernel, got " + Arrays.toString(maxShape));
    }
    if (hid <= 0 || hid % 4 != 0) {
      throw new IllegalArgumentException("hid must be a positive multiple of 4, got " + hid);
    }
    if (numClasses <= 0) {
      throw new IllegalArgumentException("num_classes must be positive, got " + numClasses);
    }
    return maxShape.clone();
  }

  /** GHN-2 for CIFAR-10 as in the paper: virtual edges, LayerNorm, fan-in normalisation. */
  public static GhnConfig ghn2() {
    return new GhnConfig(
        new int[] {64, 64, 11, 11},
        10,
        HypernetKind.GATEDGNN,
        DecoderKind.CONV,
        true,
        true,
        true,
        32);
  }

  /** GHN-1 for CIFAR-10 (ppuda's baseline): no virtual edges, no LayerNorm, no normalisation. */
  public static GhnConfig ghn1() {
    return ghn2().withWeightNorm(false).withVe(false).withLayernorm(false);
  }

  /**
   * The MLP baseline of the paper: GHN-2's options with a node-wise MLP instead of the gated GNN.
   */
  public static GhnConfig mlp() {
    return ghn2().withHypernet(HypernetKind.MLP);
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

  /** This config with hypernetwork {@code name} (gated GNN or MLP). */
  public GhnConfig withHypernet(HypernetKind name) {
    return new GhnConfig(maxShape, numClasses, name, decoder, weightNorm, ve, layernorm, hid);
  }

  /** This config with decoder {@code name}. */
  public GhnConfig withDecoder(DecoderKind name) {
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
  @JsonIgnore
  public boolean gatedGnn() {
    return hypernet == HypernetKind.GATEDGNN;
  }

  /** The config as ppuda's JSON/dict. */
  public ObjectNode toJson() {
    return JsonRecords.tree(this);
  }

  /**
   * Parses ppuda's field names; unknown fields (e.g. {@code note}) are ignored, missing ones other
   * than {@code max_shape} and {@code num_classes} take ppuda's {@code GHN(...)} defaults.
   */
  public static GhnConfig fromJson(JsonNode o) {
    return JsonRecords.read(
        JsonRecords.withDefaults(o, OMITTED, "GHN config"), GhnConfig.class, "GHN config");
  }

  /**
   * Builds a config from a map as found in a pickled checkpoint ({@code max_shape} may be a list or
   * an array).
   */
  static GhnConfig fromMap(Map<?, ?> m) {
    return fromJson(JsonRecords.object(m));
  }

  /** Reads a JSON config file; errors name the file. */
  public static GhnConfig read(Path file) {
    try {
      return fromJson(JsonRecords.readTree(file));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a valid GHN config: " + e.getMessage(), e);
    }
  }

  /** Writes the config as JSON, atomically. */
  public void write(Path file) throws IOException {
    JsonRecords.write(file, this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GhnConfig c
        && Arrays.equals(c.maxShape, maxShape)
        && c.numClasses == numClasses
        && c.hypernet == hypernet
        && c.decoder == decoder
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
