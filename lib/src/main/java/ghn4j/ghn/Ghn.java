package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import ghn4j.download.Catalog;
import ghn4j.download.Store;
import ghn4j.graph.Graph;
import ghn4j.graph.ParamSpec;
import ghn4j.nn.Devices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph hypernetwork (GHN-2, GHN-1 or the MLP baseline of Knyazev et al. 2021): given network
 * graphs, predicts all their parameters in one forward pass. Node features ({@link OpEmbedding})
 * are propagated by the {@link GatedGnn} (or a node-wise MLP), optionally layer-normalised, then
 * decoded per group of similar tensors ({@link DecodeKey}, {@link ConvDecoder}, {@link
 * VectorDecoder}), fitted to each parameter's shape ({@link ParamTiling}) and normalised ({@link
 * FanInNormalization}). Weights follow ppuda's {@code state_dict} names; checkpoints are read from
 * ppuda's {@code .pt} files or our safetensors + JSON pair ({@link GhnCheckpoint}).
 */
public final class Ghn implements AutoCloseable {

  private final GhnConfig config;
  private final GhnWeights weights;
  private final NDManager owned;

  /** A researcher's message passing in place of the config's, or null. */
  private final Hypernet custom;

  Ghn(GhnConfig config, GhnWeights weights, NDManager owned) {
    this(config, weights, owned, null);
  }

  private Ghn(GhnConfig config, GhnWeights weights, NDManager owned, Hypernet custom) {
    this.config = config;
    this.weights = weights;
    this.owned = owned;
    this.custom = custom;
  }

  /**
   * This GHN with {@code hypernet} doing the message passing (the embeddings, decoders and weights
   * stay this GHN's; {@link #parameters()} of the view lists the hypernet's own weights instead of
   * {@code gnn.*}). The view shares this GHN's weights and does not own them: close the original,
   * not the view.
   */
  public Ghn withHypernet(Hypernet hypernet) {
    return new Ghn(config, weights, null, java.util.Objects.requireNonNull(hypernet, "hypernet"));
  }

  /**
   * A copy of this GHN whose weights are new arrays in {@code manager} (and on its device),
   * autograd leaves of their own: a data-parallel worker predicts and back-propagates through its
   * replica while other threads use theirs, so gradients never mix ({@code ghn4j.train.MetaStep}).
   * Same config and message passing; values copied bit for bit. The replica does not own {@code
   * manager}; its arrays are freed with it.
   */
  public Ghn replica(NDManager manager) {
    Map<String, NDArray> copies = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : weights.asMap().entrySet()) {
      NDArray src = e.getValue();
      NDArray copy = manager.zeros(src.getShape(), src.getDataType());
      copy.set(src.toByteBuffer()); // an in-place copy of the values (a fresh array: no autograd
      // history yet)
      copies.put(e.getKey(), copy);
    }
    return new Ghn(
        config,
        GhnWeights.of(GhnWeights.layout(config), config.toString(), copies, "GHN replica"),
        null,
        custom);
  }

  /**
   * A randomly initialised GHN whose weights live in {@code manager} (see {@link GhnWeights} for
   * the scheme).
   */
  public static Ghn create(GhnConfig config, NDManager manager, long seed) {
    return new Ghn(config, GhnWeights.init(config, manager, seed), null);
  }

  /**
   * Loads a checkpoint into a manager of its own (closed by {@link #close()}): ppuda's {@code .pt}
   * or our {@code .safetensors} with its {@code .json} config.
   */
  public static Ghn load(Path file) {
    NDManager m = Devices.newManager();
    try {
      GhnCheckpoint.Loaded l = GhnCheckpoint.read(file, m);
      return new Ghn(l.config(), l.weights(), m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * A published GHN by its catalog name ({@code ghn2-cifar10}, {@code ghn1-cifar10}, {@code
   * mlp-cifar10}, {@code ghn2-imagenet}, {@code ghn1-imagenet}, {@code
   * ghn2-cifar10-cpu-v2-dropout}, {@code ghn2-cifar10-cpu-v2}, {@code ghn2-cifar10-cpu2h}; {@code
   * ./ghn4j pretrained list}): fetched once into the cache, checked against its recorded hash, then
   * loaded as {@link #load(Path)} does.
   *
   * @throws ghn4j.download.MissingFileException when it is not cached and cannot be downloaded (the
   *     message says where to get it and where to put it)
   * @throws IOException on a failed or corrupt download
   */
  public static Ghn pretrained(String name) throws IOException {
    return pretrained(name, Store.standard());
  }

  /** {@link #pretrained(String)} from a given store (cache, mirror, catalog). */
  public static Ghn pretrained(String name, Store store) throws IOException {
    Catalog.Entry entry = store.catalog().get(name);
    if (entry.kind() == Catalog.Kind.GHN3) {
      throw new IllegalArgumentException(
          "'" + name + "' is a GHN-3 checkpoint: load it with Ghn3.pretrained(\"" + name + "\")");
    }
    if (entry.kind() != Catalog.Kind.GHN) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a GHN checkpoint but " + entry.description());
    }
    return load(store.get(entry));
  }

  /** Loads a checkpoint with its weights in {@code manager}. */
  public static Ghn load(Path file, NDManager manager) {
    GhnCheckpoint.Loaded l = GhnCheckpoint.read(file, manager);
    return new Ghn(l.config(), l.weights(), null);
  }

  /**
   * Saves {@code <base>.safetensors} (weights by ppuda name) and {@code <base>.json} (config), each
   * atomically.
   */
  public void save(Path file) throws IOException {
    GhnCheckpoint.write(file, config, weights);
  }

  public GhnConfig config() {
    return config;
  }

  /**
   * The trainable weights by ppuda {@code state_dict} name (the live arrays; they require
   * gradients). With a plugged-in hypernet ({@link #withHypernet}): the GHN's weights but its
   * unused {@code gnn.*}, and the hypernet's own ({@link Hypernet#parameters()}) as {@code
   * hypernet.<name>}.
   */
  public Map<String, NDArray> parameters() {
    if (custom == null) {
      return weights.asMap();
    }
    // a plugged-in hypernet replaces the GHN's own message passing: the GHN's gnn.* weights are not
    // used (and get no
    // gradient), the hypernet's own weights are trained with the rest
    Map<String, NDArray> all = new java.util.LinkedHashMap<>();
    weights
        .asMap()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("gnn.")) {
                all.put(k, v);
              }
            });
    custom.parameters().forEach((k, v) -> all.put("hypernet." + k, v));
    return java.util.Collections.unmodifiableMap(all);
  }

  /** Predicts every parameter of every graph, classifier included. */
  public Predictions predict(List<Graph> graphs, NDManager manager) {
    return predict(graphs, manager, true);
  }

  /**
   * Predicts the parameters of a meta-batch of graphs in one forward pass (all graphs' nodes
   * advance together). Results and intermediates go to {@code manager}; inside a {@code
   * GradientCollector} the results are attached to autograd. With {@code predictClassLayers ==
   * false} the classifier weight and bias are left out (fine-tuning).
   */
  public Predictions predict(List<Graph> graphs, NDManager manager, boolean predictClassLayers) {
    // The forward is hundreds of small ops (message passing over hid-wide rows one wavefront at a
    // time, per-tensor
    // slicing and tiling): with > 1 intra-op thread each op pays an OpenMP fork/join that costs
    // more than it saves,
    // and on a loaded machine it stalls on descheduled workers (ResNet-50 GNN: 0.6-6 s instead of
    // 25-60 ms). So the
    // forward runs on PREDICT_THREADS intra-op threads (property ghn4j.ghn.predictThreads, default
    // 1); the thread
    // count is restored afterwards, so a backward pass keeps the process's setting.
    int threads = JniUtils.getNumThreads();
    boolean change = PREDICT_THREADS > 0 && threads != PREDICT_THREADS;
    if (change) {
      JniUtils.setNumThreads(PREDICT_THREADS);
    }
    try {
      return predictOnCurrentThreads(graphs, manager, predictClassLayers);
    } finally {
      if (change) {
        JniUtils.setNumThreads(threads);
      }
    }
  }

  /** Intra-op threads for {@link #predict}; ≤ 0 keeps the process's setting. */
  private static final int PREDICT_THREADS = Integer.getInteger("ghn4j.ghn.predictThreads", 1);

  private Predictions predictOnCurrentThreads(
      List<Graph> graphs, NDManager manager, boolean predictClassLayers) {
    MetaBatch batch = MetaBatch.of(graphs, config);
    NDArray h = embed(batch, manager);
    List<NDArray> embeddings = new ArrayList<>();
    for (int g = 0; g < batch.graphCount(); g++) {
      embeddings.add(
          h.get(new NDIndex("{}:{}", batch.offset(g), batch.offset(g) + batch.graphSize(g))));
    }
    List<Map<String, NDArray>> params = new ArrayList<>();
    for (int g = 0; g < batch.graphCount(); g++) {
      params.add(new LinkedHashMap<>());
    }
    for (Map.Entry<DecodeKey, List<MetaBatch.Target>> group :
        batch.groups(predictClassLayers).entrySet()) {
      decodeGroup(group.getKey(), group.getValue(), h, params, manager);
    }
    return Predictions.inParamOrder(params, batch::view, embeddings);
  }

  /**
   * The message-passing part: the one given to {@link #withHypernet}, else the one the config names
   * (the gated GNN or the MLP baseline).
   */
  public Hypernet hypernet() {
    if (custom != null) {
      return custom;
    }
    return config.gatedGnn() ? new GatedGnn(weights, config.ve()) : new NodeMlp(weights);
  }

  /** Node embeddings of the whole batch: op + shape embedding, message passing, LayerNorm. */
  private NDArray embed(MetaBatch batch, NDManager m) {
    NDArray x = OpEmbedding.forward(weights, batch, m);
    int[] offsets = new int[batch.graphCount() + 1];
    for (int g = 0; g < batch.graphCount(); g++) {
      offsets[g + 1] = batch.offset(g) + batch.graphSize(g);
    }
    NDArray h = hypernet().propagate(new GnnInput(x, batch.edges(), offsets), m);
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
    return h;
  }

  private void decodeGroup(
      DecodeKey key,
      List<MetaBatch.Target> targets,
      NDArray h,
      List<Map<String, NDArray>> out,
      NDManager m) {
    long[] rows = new long[targets.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = targets.get(i).node();
    }
    NDArray x = h.get(new NDIndex("{}", TorchOwned.create(m, rows)));
    NDArray w;
    if (key.rank() == 2 && key.dim(1) > 0) {
      w =
          ConvDecoder.forward(
              weights, config, x, new int[] {key.dim(0), key.dim(1), 1, 1}, true, m);
    } else if (key.rank() == 2) {
      w = VectorDecoder.forward(weights, x, key.dim(1) < 0);
    } else if (key.rank() == 3) {
      w = VectorDecoder.forward3d(weights, x);
    } else {
      w = ConvDecoder.forward(weights, config, x, key.dims(), false, m);
    }
    boolean pairs =
        key.rank() == 2 && key.dim(1) <= 0; // 1-D groups: a (weight, bias) pair per node
    NDArray squashedWeights = null;
    NDArray squashedBiases = null;
    boolean perTensor = false;
    if (config.weightNorm()) {
      // normalise whole groups at once: before tiling is fine since normalisation is element-wise
      if (pairs) {
        squashedWeights = FanInNormalization.squash(w, true);
        squashedBiases = FanInNormalization.squash(w, false);
      } else {
        perTensor = targets.stream().anyMatch(t -> t.params().size() != 1);
        if (!perTensor) {
          float[] scale = new float[rows.length];
          for (int i = 0; i < scale.length; i++) {
            scale[i] = (float) FanInNormalization.scale(targets.get(i).params().get(0).shape());
          }
          long[] bshape = new long[w.getShape().dimension()];
          java.util.Arrays.fill(bshape, 1);
          bshape[0] = rows.length;
          w = w.mul(TorchOwned.create(m, scale, new Shape(bshape)));
        }
      }
    }
    for (int i = 0; i < rows.length; i++) {
      MetaBatch.Target t = targets.get(i);
      for (ParamSpec p : t.params()) {
        NDArray src = w;
        String lead = i + ",";
        int leadAxes = 1;
        if (pairs) {
          // slot 0 holds a weight, slot 1 a bias
          src = squashedWeights == null ? w : p.isWeight() ? squashedWeights : squashedBiases;
          lead = i + "," + (p.isWeight() ? 0 : 1) + ",";
          leadAxes = 2;
        }
        NDArray sliced = ParamTiling.slice(src, lead, leadAxes, p.shape(), p.name());
        if (perTensor) {
          sliced = FanInNormalization.apply(sliced, p.shape(), p.isWeight());
        }
        out.get(t.graph()).put(p.name(), ParamTiling.tileAndCut(sliced, p.shape(), p.name()));
      }
    }
  }

  /** Frees the weights when this GHN owns its manager (loaded with {@link #load(Path)}). */
  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }
}
