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
import ghn4j.nn.Scalars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GHN-3's message passing (ghn3's {@code graphormer.py}): a stack of pre-norm Transformer layers
 * with multi-head self-attention over all nodes of a graph, biased by the graph's edges. Numbers
 * follow ghn3's code:
 *
 * <ul>
 *   <li>before the first layer every node gets {@code centrality_embed_in[min(in-degree, 100)]},
 *       {@code centrality_embed_out[min(out-degree, 100)]} (degrees over real edges only) and
 *       {@code input_dist_embed[min(d(input, v), 1000)]} added ({@code d} = the edge value from
 *       node 0, 0 if none);
 *   <li>the first layer turns each node pair's edge values ({@code d(u,v)+2}, {@code d(v,u)+2}; 0 =
 *       no edge) into one bias per head: the two rows of {@code edge_embed} concatenated → {@code
 *       proj_e} (Linear, ReLU, Linear to {@code heads}); the same biases are added to the attention
 *       logits of every later layer;
 *   <li>each layer: {@code x += to_out(softmax(q·kᵀ/√d_head + bias)·v)} on {@code ln1(x)} ({@code
 *       to_qkv} has no bias), then {@code x += ff(ln2(x))} with {@code ff} = Linear(hid, 4·hid),
 *       exact GELU, Linear(4·hid, hid); LayerNorm ε = 1e-5.
 * </ul>
 *
 * Attention is over the nodes of one graph: graphs of a meta-batch are run one after the other,
 * which gives what ghn3's zero-padded, masked batch gives for the real nodes. Edge biases are
 * computed once per distinct pair of edge values (at most a few hundred) and gathered, instead of
 * per node pair as in ghn3 (the same numbers, memory O(n²·heads) instead of O(n²·hid)).
 */
public final class Graphormer implements Hypernet {

  private final GhnWeights w;
  private final int layers;
  private final int heads;

  /**
   * Reads ghn3's {@code gnn.<l>.*} weights and the top-level {@code centrality_embed_in/out} and
   * {@code input_dist_embed} from {@code weights}.
   */
  public Graphormer(GhnWeights weights, int layers, int heads) {
    this.w = weights;
    this.layers = layers;
    this.heads = heads;
  }

  @Override
  public NDArray propagate(GnnInput input, NDManager m) {
    List<NDArray> out = new ArrayList<>();
    for (int g = 0; g < input.graphCount(); g++) {
      NDArray x =
          input
              .features()
              .get(new NDIndex("{}:{}", input.offset(g), input.offset(g) + input.graphSize(g)));
      out.add(graph(x, input.distances(g), m));
    }
    return out.size() == 1 ? out.get(0) : NDArrays.concat(new NDList(out), 0);
  }

  /** One graph: {@code x} {@code [n, hid]}, {@code d} its dense distance matrix. */
  private NDArray graph(NDArray x, int[][] d, NDManager m) {
    int n = d.length;
    long[] in = new long[n];
    long[] out = new long[n];
    long[] fromInput = new long[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (d[i][j] == 1) {
          out[i]++;
          in[j]++;
        }
      }
    }
    for (int j = 0; j < n; j++) {
      in[j] = Math.min(in[j], Ghn3Config.MAX_DEGREE);
      out[j] = Math.min(out[j], Ghn3Config.MAX_DEGREE);
      fromInput[j] = Math.min(Math.max(d[0][j], 0), Ghn3Config.MAX_INPUT_DIST);
    }
    // x += in-degree, x += out-degree, x += input distance, in ghn3's order
    x = x.add(rows(w.get("centrality_embed_in.weight"), in, m));
    x = x.add(rows(w.get("centrality_embed_out.weight"), out, m));
    x = x.add(rows(w.get("input_dist_embed.weight"), fromInput, m));
    NDArray bias = edgeBias(d, m); // [heads, n, n]
    for (int l = 0; l < layers; l++) {
      x = layer(l, x, bias, m);
    }
    return x;
  }

  private static NDArray rows(NDArray table, long[] idx, NDManager m) {
    return table.get(m, new NDIndex("{}", TorchOwned.create(m, idx)));
  }

  /**
   * Per-head attention biases {@code [heads, n, n]} from the first layer's edge embedding and
   * {@code proj_e}.
   */
  private NDArray edgeBias(int[][] d, NDManager m) {
    int n = d.length;
    Map<Integer, Integer> pairIndex = new LinkedHashMap<>();
    long[] which = new long[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int fw = d[i][j] + 2;
        int bw = d[j][i] + 2;
        if (fw >= Ghn3Config.EDGE_VALUES || bw >= Ghn3Config.EDGE_VALUES) {
          throw new IllegalArgumentException(
              "edge value "
                  + Math.max(d[i][j], d[j][i])
                  + " exceeds the "
                  + (Ghn3Config.EDGE_VALUES - 3)
                  + " the GHN-3 edge embedding knows");
        }
        which[i * n + j] =
            pairIndex.computeIfAbsent(fw * Ghn3Config.EDGE_VALUES + bw, k -> pairIndex.size());
      }
    }
    long[] fwRows = new long[pairIndex.size()];
    long[] bwRows = new long[pairIndex.size()];
    for (Map.Entry<Integer, Integer> e : pairIndex.entrySet()) {
      fwRows[e.getValue()] = e.getKey() / Ghn3Config.EDGE_VALUES;
      bwRows[e.getValue()] = e.getKey() % Ghn3Config.EDGE_VALUES;
    }
    NDArray table = w.get("gnn.0.attn.edge_embed.embed.weight");
    NDArray pairs =
        NDArrays.concat(
            new NDList(rows(table, fwRows, m), rows(table, bwRows, m)), 1); // [P, 2·hid]
    NDArray hidden = Activation.relu(linear("gnn.0.attn.proj_e.0", pairs));
    NDArray perPair = linear("gnn.0.attn.proj_e.2", hidden); // [P, heads]
    NDArray dense =
        perPair.get(new NDIndex("{}", TorchOwned.create(m, which))).reshape(n, n, heads);
    return dense.transpose(2, 0, 1);
  }

  private NDArray layer(int l, NDArray x, NDArray bias, NDManager m) {
    String p = "gnn." + l + ".";
    long n = x.getShape().get(0);
    long hid = x.getShape().get(1);
    long dh = hid / heads;
    NDArray h = norm(p + "ln1", x);
    NDArray qkv =
        h.matMul(w.get(p + "attn.to_qkv.weight").transpose())
            .reshape(n, 3, heads, dh)
            .transpose(1, 2, 0, 3); // [3, heads, n, dh]
    NDArray q = qkv.get(0);
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    NDArray attn = Scalars.mul(q.matMul(k.transpose(0, 2, 1)), Math.pow(dh, -0.5));
    attn = attn.add(bias).softmax(-1);
    NDArray a = attn.matMul(v).transpose(1, 0, 2).reshape(n, hid);
    x = x.add(linear(p + "attn.to_out.0", a));
    NDArray f = Activation.gelu(linear(p + "ff.net.0", norm(p + "ln2", x)));
    return x.add(linear(p + "ff.net.3", f));
  }

  private NDArray norm(String prefix, NDArray x) {
    return LayerNorm.layerNorm(
            x,
            new Shape(x.getShape().get(1)),
            w.get(prefix + ".weight"),
            w.get(prefix + ".bias"),
            1e-5f)
        .head();
  }

  private NDArray linear(String prefix, NDArray x) {
    return Linear.linear(x, w.get(prefix + ".weight"), w.get(prefix + ".bias")).head();
  }
}
