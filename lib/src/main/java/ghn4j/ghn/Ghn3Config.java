package ghn4j.ghn;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.io.JsonRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters of a GHN-3 (Knyazev et al., "Can We Scale Transformers to Predict Parameters
 * of Diverse ImageNet Models?", ICML 2023; SamsungSAILMontreal/ghn3), with the argument names of
 * ghn3's {@code GHN3(...)} so that configs exchange with it as JSON. {@link #infer} derives a
 * config from {@code state_dict} names and shapes as ghn3's {@code from_pretrained} does for its
 * released checkpoints, which carry none.
 *
 * @param maxShape {@code max_shape}: the largest tensor the decoder predicts at once, {@code [out,
 *     in, h, w]}
 * @param numClasses {@code num_classes}
 * @param hid {@code hid}: width of node embeddings
 * @param heads {@code heads}: attention heads of the Graphormer layers
 * @param layers {@code layers}: Graphormer layers
 * @param isGhn2 {@code is_ghn2}: ghn3's GHN-2 mode (gated GNN, top-left instead of centred crops)
 * @param weightNorm {@code weight_norm}: fan-in normalisation of predictions
 * @param ve {@code ve}: virtual edges (shortest paths up to 50)
 * @param layernorm {@code layernorm}: LayerNorm of node embeddings before decoding
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
  "max_shape",
  "num_classes",
  "hid",
  "heads",
  "layers",
  "is_ghn2",
  "weight_norm",
  "ve",
  "layernorm"
})
public record Ghn3Config(
    int[] maxShape,
    int numClasses,
    int hid,
    int heads,
    int layers,
    @JsonProperty("is_ghn2") boolean isGhn2,
    boolean weightNorm,
    boolean ve,
    boolean layernorm) {

  /**
   * ghn3's {@code max_degree}: in/out-degrees are clipped to it before the centrality embeddings.
   */
  public static final int MAX_DEGREE = 100;

  /** ghn3's {@code max_input_dist}: distances from the input node are clipped to it. */
  public static final int MAX_INPUT_DIST = 1000;

  /**
   * Rows of the first Graphormer layer's edge-value embedding ({@code EdgeEmbedding(max_len=257)}).
   */
  public static final int EDGE_VALUES = 257;

  /** The feed-forward block's width factor ({@code mlp_ratio}). */
  public static final int MLP_RATIO = 4;

  /**
   * The values of fields a GHN-3 config file may omit: {@code GHN3(...)}'s defaults (heads 8,
   * layers 3, hid 32, no GHN-2 mode, no normalisation, no virtual edges, no LayerNorm); {@code
   * max_shape} and {@code num_classes} are required.
   */
  private static final ObjectNode OMITTED =
      JsonRecords.object(
          Map.of(
              "hid", 32,
              "heads", 8,
              "layers", 3,
              "is_ghn2", false,
              "weight_norm", false,
              "ve", false,
              "layernorm", false));

  public Ghn3Config {
    maxShape = GhnConfig.checkShape(maxShape, hid, numClasses);
    if (!isGhn2 && (heads <= 0 || hid % heads != 0)) {
      throw new IllegalArgumentException("heads must divide hid " + hid + ", got " + heads);
    }
    if (!isGhn2 && layers <= 0) {
      throw new IllegalArgumentException("layers must be positive, got " + layers);
    }
  }

  @Override
  public int[] maxShape() {
    return maxShape.clone();
  }

  /** Dimension {@code i} of {@link #maxShape()}. */
  public int maxShape(int i) {
    return maxShape[i];
  }

  /**
   * Longest shortest path that becomes a virtual edge: 50 with {@code ve}, else 1 (ghn3's {@code
   * ve_cutoff}).
   */
  public int veCutoff() {
    return ve ? GhnConfig.VE_CUTOFF : 1;
  }

  /**
   * The {@code state_dict} names and shapes of a GHN-3 with this config, in ghn3's order, in the
   * layout of the released checkpoints: the centrality and input-distance embeddings at the top
   * level (where {@code GHN3(pretrained=True)} creates them, before {@code fix_embed_layers} moves
   * them under {@code gnn.0.}).
   */
  public Map<String, long[]> layout() {
    Map<String, long[]> m = new LinkedHashMap<>();
    long h = hid;
    if (layernorm) {
      m.put("ln.weight", new long[] {h});
      m.put("ln.bias", new long[] {h});
    }
    ShapeVocabulary vocab = ShapeVocabulary.of(numClasses, maxShape[3]);
    m.put("embed.weight", new long[] {OpEmbedding.NUM_PRIMITIVES, h});
    m.put("shape_enc.embed_spatial.weight", new long[] {vocab.spatialCount() + 1, h / 4});
    m.put("shape_enc.embed_channel.weight", new long[] {vocab.channelCount() + 1, h / 4});
    if (isGhn2) {
      GhnWeights.layout(asGhn2())
          .forEach(
              (k, v) -> {
                if (k.startsWith("gnn.")) {
                  m.put(k, v);
                }
              });
    } else {
      for (int l = 0; l < layers; l++) {
        String p = "gnn." + l + ".";
        m.put(p + "ln1.weight", new long[] {h});
        m.put(p + "ln1.bias", new long[] {h});
        m.put(p + "attn.to_qkv.weight", new long[] {3 * h, h});
        linear(m, p + "attn.to_out.0", h, h);
        if (l == 0) {
          m.put(p + "attn.edge_embed.embed.weight", new long[] {EDGE_VALUES, h});
          linear(m, p + "attn.proj_e.0", 2 * h, h);
          linear(m, p + "attn.proj_e.2", h, heads);
        }
        m.put(p + "ln2.weight", new long[] {h});
        m.put(p + "ln2.bias", new long[] {h});
        linear(m, p + "ff.net.0", h, MLP_RATIO * h);
        linear(m, p + "ff.net.3", MLP_RATIO * h, h);
      }
    }
    long h0 = 4 * h;
    long h1 = 8 * h;
    linear(m, "decoder.fc.0", h, h0 * maxShape[2] * maxShape[3]);
    linear(m, "decoder.conv.0", h0, h1);
    linear(m, "decoder.conv.2", h1, (long) maxShape[0] * maxShape[1]);
    linear(m, "decoder.class_layer_predictor.1", maxShape[0], numClasses);
    long maxCh = Math.max(maxShape[0], maxShape[1]);
    linear(m, "decoder_1d.fc.0", h, 2 * h);
    linear(m, "decoder_1d.fc.2", 2 * h, 2 * maxCh);
    linear(m, "bias_class.1", maxCh, numClasses);
    if (!isGhn2) {
      m.put("centrality_embed_in.weight", new long[] {MAX_DEGREE + 1, h});
      m.put("centrality_embed_out.weight", new long[] {MAX_DEGREE + 1, h});
      m.put("input_dist_embed.weight", new long[] {MAX_INPUT_DIST + 1, h});
    }
    return m;
  }

  /** The ppuda config with the same gated GNN (for {@code is_ghn2} checkpoints). */
  GhnConfig asGhn2() {
    return new GhnConfig(
        maxShape,
        numClasses,
        GhnConfig.HypernetKind.GATEDGNN,
        GhnConfig.DecoderKind.CONV,
        weightNorm,
        ve,
        layernorm,
        hid);
  }

  private static void linear(Map<String, long[]> m, String prefix, long in, long out) {
    m.put(prefix + ".weight", new long[] {out, in});
    m.put(prefix + ".bias", new long[] {out});
  }

  /**
   * A config from {@code state_dict} names and shapes, as ghn3's {@code from_pretrained} infers it
   * when a checkpoint carries no config: {@code num_classes} from the class-layer predictor, {@code
   * hid} from {@code embed.weight}, {@code max_shape} = (√rows of {@code decoder.conv.2.weight})² ×
   * (11 if the spatial vocabulary has 9 rows else 16)², {@code layers} = number of {@code
   * gnn.*ln1.weight}, {@code heads} = 16 if hid > 64 else 8, LayerNorm if {@code ln.weight} is
   * present, GHN-2 mode if {@code gnn.gru.*} is; {@code weight_norm} and {@code ve} true.
   */
  public static Ghn3Config infer(Map<String, long[]> shapes) {
    int numClasses = 10;
    int layers = 0;
    int hid = 32;
    boolean layernorm = false;
    int maxShape = 64;
    boolean isGhn2 = false;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      if (e.getKey().contains("class_layer_predictor")) {
        numClasses = (int) e.getValue()[0];
        break;
      }
    }
    int s = numClasses >= 1000 ? 16 : 11;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      String n = e.getKey();
      long[] p = e.getValue();
      isGhn2 |= n.contains("gnn.gru.");
      if (n.endsWith("ln.weight")) {
        layernorm = true;
      } else if (n.endsWith("embed.weight")) {
        hid = (int) p[p.length - 1];
      } else if (n.endsWith("decoder.conv.2.weight")) {
        maxShape = (int) Math.sqrt((double) p[0]);
      } else if (n.endsWith("shape_enc.embed_spatial.weight")) {
        s = p[0] == 9 ? 11 : 16;
      } else if (n.endsWith("ln1.weight") && n.contains("gnn.")) {
        layers++;
      }
    }
    return new Ghn3Config(
        new int[] {maxShape, maxShape, s, s},
        numClasses,
        hid,
        hid > 64 ? 16 : 8,
        layers,
        isGhn2,
        true,
        true,
        layernorm);
  }

  /** The config as ghn3's JSON/dict. */
  public ObjectNode toJson() {
    return JsonRecords.tree(this);
  }

  /**
   * Parses ghn3's argument names; missing ones other than {@code max_shape} and {@code num_classes}
   * take {@code GHN3}'s defaults (heads 8, layers 3, is_ghn2 false, weight_norm / ve / layernorm
   * false, hid 32); unknown ones (e.g. {@code note}, {@code pretrained}) are ignored.
   */
  public static Ghn3Config fromJson(JsonNode o) {
    return JsonRecords.read(
        JsonRecords.withDefaults(o, OMITTED, "GHN-3 config"), Ghn3Config.class, "GHN-3 config");
  }

  /**
   * Whether a JSON config is a GHN-3 one: it has {@code is_ghn2} false, or GHN-3's {@code
   * heads}/{@code layers}.
   */
  public static boolean isGhn3Json(JsonNode o) {
    return (o.has("is_ghn2") && !o.get("is_ghn2").asBoolean()) || o.has("heads") || o.has("layers");
  }

  /** Reads a JSON config file; errors name the file. */
  public static Ghn3Config read(Path file) {
    try {
      return fromJson(JsonRecords.readTree(file));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a valid GHN-3 config: " + e.getMessage(), e);
    }
  }

  /** Writes the config as JSON, atomically. */
  public void write(Path file) throws IOException {
    JsonRecords.write(file, this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ghn3Config c
        && Arrays.equals(c.maxShape, maxShape)
        && c.numClasses == numClasses
        && c.hid == hid
        && c.heads == heads
        && c.layers == layers
        && c.isGhn2 == isGhn2
        && c.weightNorm == weightNorm
        && c.ve == ve
        && c.layernorm == layernorm;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(maxShape) * 31 + hid * 7 + layers;
  }

  @Override
  public String toString() {
    return toJson().toString();
  }
}
