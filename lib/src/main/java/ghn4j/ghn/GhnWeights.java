package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable tensors of a GHN, keyed exactly as ppuda's {@code state_dict} (e.g. {@code
 * gnn.gru.weight_ih}, {@code decoder.fc.0.weight}), so that checkpoints exchange with PyTorch by
 * name. Each tensor requires gradients.
 */
public final class GhnWeights {

  private final Map<String, NDArray> tensors;

  private GhnWeights(Map<String, NDArray> tensors) {
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /** The names and shapes a GHN with {@code config} has, in ppuda's {@code state_dict} order. */
  public static Map<String, long[]> layout(GhnConfig c) {
    int hid = c.hid();
    Map<String, long[]> m = new LinkedHashMap<>();
    if (c.layernorm()) {
      m.put("ln.weight", new long[] {hid});
      m.put("ln.bias", new long[] {hid});
    }
    m.put("embed.weight", new long[] {OpEmbedding.NUM_PRIMITIVES, hid});
    m.put(
        "shape_enc.embed_spatial.weight",
        new long[] {ShapeVocabulary.of(c).spatialCount() + 1, hid / 4});
    m.put(
        "shape_enc.embed_channel.weight",
        new long[] {ShapeVocabulary.of(c).channelCount() + 1, hid / 4});
    if (c.gatedGnn()) {
      int mid = c.ve() ? hid / 2 : hid;
      linear(m, "gnn.mlp.fc.0", hid, mid);
      linear(m, "gnn.mlp.fc.2", mid, hid);
      if (c.ve()) {
        linear(m, "gnn.mlp_ve.fc.0", hid, hid / 2);
        linear(m, "gnn.mlp_ve.fc.2", hid / 2, hid);
      }
      m.put("gnn.gru.weight_ih", new long[] {3L * hid, hid});
      m.put("gnn.gru.weight_hh", new long[] {3L * hid, hid});
      m.put("gnn.gru.bias_ih", new long[] {3L * hid});
      m.put("gnn.gru.bias_hh", new long[] {3L * hid});
    } else {
      linear(m, "gnn.fc.0", hid, hid);
      linear(m, "gnn.fc.2", hid, hid);
    }
    int[] s = c.maxShape();
    long h0 = 4L * hid;
    long h1 = 8L * hid;
    linear(m, "decoder.fc.0", hid, h0 * s[2] * s[3]);
    m.put("decoder.conv.0.weight", new long[] {h1, h0, 1, 1});
    m.put("decoder.conv.0.bias", new long[] {h1});
    m.put("decoder.conv.2.weight", new long[] {(long) s[0] * s[1], h1, 1, 1});
    m.put("decoder.conv.2.bias", new long[] {(long) s[0] * s[1]});
    m.put("decoder.class_layer_predictor.1.weight", new long[] {c.numClasses(), s[0], 1, 1});
    m.put("decoder.class_layer_predictor.1.bias", new long[] {c.numClasses()});
    int maxCh = Math.max(s[0], s[1]);
    linear(m, "decoder_1d.fc.0", hid, 2L * hid);
    linear(m, "decoder_1d.fc.2", 2L * hid, 2L * maxCh);
    linear(m, "bias_class.1", maxCh, c.numClasses());
    return m;
  }

  private static void linear(Map<String, long[]> m, String prefix, long in, long out) {
    m.put(prefix + ".weight", new long[] {out, in});
    m.put(prefix + ".bias", new long[] {out});
  }

  /**
   * Fresh weights with PyTorch's default initialisation schemes (uniform ±1/√fan_in for linear,
   * conv and GRU layers, N(0,1) for embeddings, ones/zeros for LayerNorm), drawn from a Java RNG
   * seeded with {@code seed}: the same seed gives the same weights, but not the values {@code
   * torch.manual_seed} would give.
   */
  static GhnWeights init(GhnConfig config, NDManager manager, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, long[]> layout = layout(config);
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : layout.entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      int n = Math.toIntExact(new Shape(shape).size());
      float[] v = new float[n];
      if (name.startsWith("ln.")) {
        Arrays.fill(v, name.endsWith("weight") ? 1f : 0f);
      } else if (name.startsWith("embed") || name.startsWith("shape_enc.")) {
        for (int i = 0; i < n; i++) {
          v[i] = (float) gaussian(rnd);
        }
      } else {
        double bound = 1.0 / Math.sqrt(fanIn(name, layout, config));
        for (int i = 0; i < n; i++) {
          v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
      }
      out.put(name, manager.create(v, new Shape(shape)));
    }
    return wrap(out);
  }

  private static double gaussian(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Fan-in of the layer owning {@code name}: a bias shares its weight's bound, GRU tensors use
   * 1/√hid.
   */
  private static long fanIn(String name, Map<String, long[]> layout, GhnConfig c) {
    if (name.startsWith("gnn.gru.")) {
      return c.hid();
    }
    String weight =
        name.endsWith(".bias") ? name.substring(0, name.length() - 5) + ".weight" : name;
    long[] w = layout.get(weight);
    long fan = 1;
    for (int i = 1; i < w.length; i++) {
      fan *= w[i];
    }
    return fan;
  }

  /**
   * Takes ownership of {@code tensors} after checking them against {@code config}'s layout; a
   * missing or unexpected key or a wrong shape throws naming the key and {@code source}.
   */
  static GhnWeights of(GhnConfig config, Map<String, NDArray> tensors, String source) {
    return of(layout(config), config.toString(), tensors, source);
  }

  /**
   * As {@link #of(GhnConfig, Map, String)} for any layout (name → shape, in order); {@code config}
   * for errors.
   */
  static GhnWeights of(
      Map<String, long[]> layout, String config, Map<String, NDArray> tensors, String source) {
    for (String k : tensors.keySet()) {
      if (!layout.containsKey(k)) {
        throw new IllegalArgumentException(
            source + ": unexpected key '" + k + "' for a GHN with config " + config);
      }
    }
    Map<String, NDArray> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : layout.entrySet()) {
      NDArray a = tensors.get(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException(source + ": missing key '" + e.getKey() + "'");
      }
      if (!Arrays.equals(a.getShape().getShape(), e.getValue())) {
        throw new IllegalArgumentException(
            source
                + ": key '"
                + e.getKey()
                + "' has shape "
                + a.getShape()
                + ", expected "
                + new Shape(e.getValue()));
      }
      ordered.put(
          e.getKey(),
          a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32
              ? a
              : a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
    }
    return wrap(ordered);
  }

  private static GhnWeights wrap(Map<String, NDArray> tensors) {
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      e.getValue().setName(e.getKey());
      e.getValue().setRequiresGradient(true);
    }
    return new GhnWeights(tensors);
  }

  /** Tensor {@code name}; throws naming it when absent. */
  public NDArray get(String name) {
    NDArray a = tensors.get(name);
    if (a == null) {
      throw new IllegalArgumentException("GHN has no parameter '" + name + "'");
    }
    return a;
  }

  /** Whether the GHN has a tensor called {@code name}. */
  public boolean has(String name) {
    return tensors.containsKey(name);
  }

  /**
   * All tensors by {@code state_dict} name, in ppuda's order (unmodifiable; the arrays are the live
   * weights).
   */
  public Map<String, NDArray> asMap() {
    return tensors;
  }

  /** Total number of scalars. */
  public long numParams() {
    long n = 0;
    for (NDArray a : tensors.values()) {
      n += a.size();
    }
    return n;
  }
}
