package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import ghn4j.download.Catalog;
import ghn4j.download.Store;
import ghn4j.graph.EdgeList;
import ghn4j.graph.Graph;
import ghn4j.graph.Node;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.VirtualEdges;
import ghn4j.nn.Devices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GHN-3 (Knyazev et al., ICML 2023; SamsungSAILMontreal/ghn3): GHN-2's op and shape embeddings, a
 * {@link Graphormer} as the {@link Hypernet} (or the gated GNN in ghn3's {@code is_ghn2} mode),
 * LayerNorm, then GHN-3's decoders ({@link ConvDecoder3}, ppuda's {@code decoder_1d} and {@code
 * bias_class}), ghn3's tiling ({@link Ghn3Tiling}) and GHN-2's fan-in normalisation. Predicts every
 * parameter ghn3's {@code GHN3.forward} predicts; nodes without parameters ghn3 recognises
 * (ConvNeXt's {@code layer_scale}, ViT's {@code class_token} never get one) are left out.
 * Checkpoints: every layout ghn3 uses ({@link Ghn3Checkpoint}).
 *
 * <p>One unit (~380 lines), as {@link Ghn} for GHN-2: construction, forward pass and decoding of
 * one hypernetwork; tiling, checkpoints and graphs are classes of their own.
 */
public final class Ghn3 implements AutoCloseable {

  private final Ghn3Config config;
  private final GhnWeights weights;
  private final NDManager owned;
  private final String format;

  private Ghn3(Ghn3Config config, GhnWeights weights, NDManager owned, String format) {
    this.config = config;
    this.weights = weights;
    this.owned = owned;
    this.format = format;
  }

  /**
   * Loads a GHN-3 checkpoint into a manager of its own (closed by {@link #close()}): a released
   * joblib file (uncompressed or zlib), a {@code torch.save} file with {@code state_dict} and
   * {@code config}, or {@code .safetensors} (+ {@code .json} config if present; else the config is
   * inferred from the names and shapes).
   */
  public static Ghn3 load(Path file) {
    NDManager m = Devices.newManager();
    try {
      Ghn3Checkpoint.Loaded l = Ghn3Checkpoint.read(file, m);
      return new Ghn3(l.config(), l.weights(), m, l.format());
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Whether {@code file} is a GHN-3 checkpoint rather than a ppuda/ghn4j GHN ({@link Ghn#load}): a
   * joblib pickle (the released layout), or a torch.save / safetensors file with Graphormer
   * weights. Reads the names, not the weights, where the format allows.
   */
  public static boolean isCheckpoint(Path file) {
    return Ghn3Checkpoint.recognises(file);
  }

  /**
   * A released GHN-3 by its catalog name ({@code ghn3-tm8}, {@code ghn3-sm8}, {@code ghn3-lm8},
   * {@code ghn3-xlm16}: ghn3's {@code ghn3tm8.pt} ... on the Hugging Face hub, {@code
   * SamsungSAILMontreal/ghn3}), fetched once into the cache, checked against the SHA-256 the hub
   * reports (recorded on first download), then loaded as {@link #load(Path)} does.
   *
   * @throws ghn4j.download.MissingFileException when it is not cached and cannot be downloaded (the
   *     message says where to get it and where to put it)
   * @throws IOException on a failed or corrupt download, or a file that no longer matches its
   *     record
   */
  public static Ghn3 pretrained(String name) throws IOException {
    return pretrained(name, Store.standard());
  }

  /** {@link #pretrained(String)} from a given store (cache, mirror, catalog). */
  public static Ghn3 pretrained(String name, Store store) throws IOException {
    Catalog.Entry entry = store.catalog().get(name);
    if (entry.kind() != Catalog.Kind.GHN3) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a GHN-3 checkpoint but "
              + entry.description()
              + (entry.kind() == Catalog.Kind.GHN ? " (load it with Ghn.pretrained)" : ""));
    }
    return load(store.get(entry));
  }

  /**
   * Saves {@code <base>.safetensors} (ghn3's released names) and {@code <base>.json} (config),
   * atomically.
   */
  public void save(Path file) throws IOException {
    Ghn3Checkpoint.write(file, config, weights);
  }

  public Ghn3Config config() {
    return config;
  }

  /**
   * The layout the weights were read from, e.g. {@code joblib (zlib)}, {@code torch.save}, {@code
   * safetensors}.
   */
  public String format() {
    return format;
  }

  /** The weights by ghn3 {@code state_dict} name (released layout; the live arrays). */
  public Map<String, NDArray> parameters() {
    return weights.asMap();
  }

  /**
   * The message-passing part: the Graphormer, or the gated GNN for an {@code is_ghn2} checkpoint.
   */
  public Hypernet hypernet() {
    return config.isGhn2()
        ? new GatedGnn(weights, config.ve())
        : new Graphormer(weights, config.layers(), config.heads());
  }

  /**
   * Predicts every parameter of every graph, classifier included; the random class-token rows from
   * seed 0.
   */
  public Predictions predict(List<Graph> graphs, NDManager manager) {
    return predict(graphs, manager, true, 0L);
  }

  /**
   * Predicts the parameters of a meta-batch of graphs. {@code seed} seeds the random class-token
   * rows of ViT-style positional embeddings ({@link Ghn3Tiling}); with {@code predictClassLayers ==
   * false} the classifier is left out.
   */
  public Predictions predict(
      List<Graph> graphs, NDManager manager, boolean predictClassLayers, long seed) {
    // many small ops: one intra-op thread unless ghn4j.ghn.predictThreads says otherwise (see
    // Ghn#predict)
    int wanted = Integer.getInteger("ghn4j.ghn.predictThreads", 1);
    int threads = JniUtils.getNumThreads();
    boolean change = wanted > 0 && threads != wanted;
    if (change) {
      JniUtils.setNumThreads(wanted);
    }
    try {
      return run(graphs, manager, predictClassLayers, new SplittableRandom(seed));
    } finally {
      if (change) {
        JniUtils.setNumThreads(threads);
      }
    }
  }

  /** A node that writes parameters. */
  private record Target(int graph, int node, DecodeKey key, List<ParamSpec> params) {}

  private Predictions run(
      List<Graph> graphs, NDManager m, boolean predictClassLayers, SplittableRandom rnd) {
    if (graphs.isEmpty()) {
      throw new IllegalArgumentException("predict needs at least one graph");
    }
    ShapeVocabulary vocab = ShapeVocabulary.of(config.numClasses(), config.maxShape(3));
    List<Graph> views = new ArrayList<>();
    int[] offsets = new int[graphs.size() + 1];
    for (int g = 0; g < graphs.size(); g++) {
      views.add(graphs.get(g).primitiveView());
      offsets[g + 1] = offsets[g] + views.get(g).size();
    }
    int n = offsets[graphs.size()];
    long[] prims = new long[n];
    long[] channelRows = new long[2 * n];
    long[] spatialRows = new long[2 * n];
    List<Target> targets = new ArrayList<>();
    List<int[]> src = new ArrayList<>();
    List<int[]> dst = new ArrayList<>();
    List<int[]> dist = new ArrayList<>();
    for (int g = 0; g < views.size(); g++) {
      Graph view = views.get(g);
      int size = view.size();
      for (int i = 0; i < size; i++) {
        Node node = view.node(i);
        int v = offsets[g] + i;
        prims[v] = node.primitive().ordinal();
        int[] rows = vocab.encode(node.shape());
        channelRows[2 * v] = rows[0];
        channelRows[2 * v + 1] = rows[1];
        spatialRows[2 * v] = rows[2];
        spatialRows[2 * v + 1] = rows[3];
        if (!node.params().isEmpty()) {
          ParamSpec first = node.params().get(0);
          boolean lastWeight = i == size - 2 && first.name().contains(".weight");
          boolean lastBias = i == size - 1 && first.name().contains(".bias");
          targets.add(new Target(g, v, key(first.shape(), lastWeight, lastBias), node.params()));
        }
      }
      EdgeList e = VirtualEdges.compute(view, config.veCutoff());
      int[] s = e.src().clone();
      int[] d = e.dst().clone();
      for (int k = 0; k < s.length; k++) {
        s[k] += offsets[g];
        d[k] += offsets[g];
      }
      src.add(s);
      dst.add(d);
      dist.add(e.dist());
    }
    EdgeList edges = new EdgeList(cat(src), cat(dst), cat(dist));

    // initial features: op embedding + shape embedding (ppuda's ShapeEncoder)
    NDArray ops =
        weights.get("embed.weight").get(m, new NDIndex("{}", TorchOwned.create(m, prims)));
    NDArray ch =
        weights
            .get("shape_enc.embed_channel.weight")
            .get(m, new NDIndex("{}", TorchOwned.create(m, channelRows)));
    NDArray sp =
        weights
            .get("shape_enc.embed_spatial.weight")
            .get(m, new NDIndex("{}", TorchOwned.create(m, spatialRows)));
    long half = config.hid() / 2;
    NDArray x = ops.add(NDArrays.concat(new NDList(ch.reshape(n, half), sp.reshape(n, half)), 1));

    NDArray h = hypernet().propagate(new GnnInput(x, edges, offsets), m);
    if (config.layernorm()) {
      h =
          LayerNorm.layerNorm(
                  h,
                  new Shape(config.hid()),
                  weights.get("ln.weight"),
                  weights.get("ln.bias"),
                  1e-5f)
              .head();
    }
    List<NDArray> embeddings = new ArrayList<>();
    for (int g = 0; g < views.size(); g++) {
      embeddings.add(h.get(new NDIndex("{}:{}", offsets[g], offsets[g + 1])));
    }

    Map<DecodeKey, List<Target>> groups = new LinkedHashMap<>();
    for (Target t : targets) {
      groups.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t);
    }
    List<Map<String, NDArray>> params = new ArrayList<>();
    for (int g = 0; g < views.size(); g++) {
      params.add(new LinkedHashMap<>());
    }
    for (Map.Entry<DecodeKey, List<Target>> group : groups.entrySet()) {
      decodeGroup(group.getKey(), group.getValue(), h, params, predictClassLayers, rnd, m);
    }
    return Predictions.inParamOrder(params, views::get, embeddings);
  }

  /**
   * ghn3's group key ({@code _map_net_params}): as GHN-2's {@link DecodeKey}, except that a 3-D
   * {@code [1, a, b]} with {@code a, b > 1} (ViT's positional embedding) becomes the 4-D {@code (1,
   * b, ⌊√a⌋, ⌊√a⌋)}.
   */
  DecodeKey key(int[] sz, boolean lastWeight, boolean lastBias) {
    int[] ms = config.maxShape();
    if (sz.length == 3 && sz[0] == 1 && Math.min(sz[1], sz[2]) > 1) {
      int s = (int) Math.floor(Math.sqrt(sz[1]));
      return new DecodeKey(new int[] {1, sz[2], s, s});
    }
    return DecodeKey.of(new ParamSpec("p", sz, true), lastWeight, lastBias, ms);
  }

  private void decodeGroup(
      DecodeKey key,
      List<Target> targets,
      NDArray h,
      List<Map<String, NDArray>> out,
      boolean predictClassLayers,
      SplittableRandom rnd,
      NDManager m) {
    boolean isClass = key.rank() == 2 && key.dim(1) != 0;
    if (isClass && !predictClassLayers) {
      return;
    }
    long[] rows = new long[targets.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = targets.get(i).node();
    }
    NDArray x = h.get(new NDIndex("{}", TorchOwned.create(m, rows)));
    long n = rows.length;
    NDArray w;
    if (key.rank() == 2 && key.dim(1) > 0) {
      w =
          ConvDecoder3.forward(
              weights, config, x, new int[] {key.dim(0), key.dim(1), 1, 1}, true, m);
    } else if (key.rank() == 3) {
      w = Mlps.reluLinear(weights, "decoder_1d", x).reshape(n, -1, 1, 1);
    } else if (key.rank() == 2) {
      w = Mlps.reluLinear(weights, "decoder_1d", x).reshape(n, 2, -1);
      if (key.dim(1) < 0) {
        w =
            Linear.linear(
                    Activation.relu(w),
                    weights.get("bias_class.1.weight"),
                    weights.get("bias_class.1.bias"))
                .head();
      }
    } else {
      w = ConvDecoder3.forward(weights, config, x, key.dims(), false, m);
    }
    for (int i = 0; i < rows.length; i++) {
      Target t = targets.get(i);
      for (ParamSpec p : t.params()) {
        NDArray wi =
            p.rank() == 1 && key.rank() == 2 && key.dim(1) <= 0
                ? w.get(
                    new NDIndex(
                        "{}, {}",
                        i,
                        p.isWeight() ? 0 : 1)) // decoder_1d: slot 0 weight, slot 1 bias
                : w.get(new NDIndex("{}", i));
        // normalised before tiling: the normalisation is element-wise with a factor that depends
        // only on the target
        // shape, and tiling only repeats elements, so the values equal ghn3's order (tile, then
        // normalise) while the
        // element-wise pass runs over the decoded slab instead of the full parameter (ResNet-50: 25
        // M values)
        NDArray normed =
            config.weightNorm() && !isPositional(p.shape())
                ? FanInNormalization.apply(wi, p.shape(), p.isWeight())
                : wi;
        NDArray fitted = Ghn3Tiling.fit(normed, p.shape(), config.isGhn2(), rnd, p.name(), m);
        out.get(t.graph()).put(p.name(), fitted);
      }
    }
  }

  /**
   * A positional encoding (scale 1 in {@link FanInNormalization}; its random class-token row must
   * stay unscaled).
   */
  private static boolean isPositional(int[] sz) {
    return sz.length > 2 && sz[2] >= 11 && sz[0] == 1;
  }

  private static int[] cat(List<int[]> parts) {
    int total = 0;
    for (int[] p : parts) {
      total += p.length;
    }
    int[] out = new int[total];
    int k = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }

  /** Frees the weights. */
  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }
}
