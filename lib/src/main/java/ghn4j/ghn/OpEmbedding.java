package ghn4j.ghn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ghn4j.graph.Primitive;

/**
 * Initial node features (GHN-2, Sec. 3 and Appendix): a learned embedding of the node's primitive
 * ({@code embed}) plus the shape embedding: four quarter-width lookups for out-channels,
 * in-channels, kernel height and width ({@code shape_enc.embed_channel}, {@code
 * shape_enc.embed_spatial}) concatenated.
 */
final class OpEmbedding {

  static final int NUM_PRIMITIVES = Primitive.values().length;

  private OpEmbedding() {}

  /** Features {@code [n, hid]} for the nodes of a meta-batch. */
  static NDArray forward(GhnWeights w, MetaBatch batch, NDManager m) {
    int n = batch.size();
    NDArray ops =
        w.get("embed.weight").get(m, new NDIndex("{}", TorchOwned.create(m, batch.primitives())));
    NDArray ch =
        w.get("shape_enc.embed_channel.weight")
            .get(m, new NDIndex("{}", TorchOwned.create(m, batch.channelRows())));
    NDArray sp =
        w.get("shape_enc.embed_spatial.weight")
            .get(m, new NDIndex("{}", TorchOwned.create(m, batch.spatialRows())));
    long q2 = ops.getShape().get(1) / 2;
    NDArray shape = NDArrays2.concat1(ch.reshape(n, q2), sp.reshape(n, q2));
    return ops.add(shape);
  }

  /** Small helpers kept next to their only users. */
  static final class NDArrays2 {
    private NDArrays2() {}

    static NDArray concat1(NDArray a, NDArray b) {
      return ai.djl.ndarray.NDArrays.concat(new NDList(a, b), 1);
    }
  }
}
