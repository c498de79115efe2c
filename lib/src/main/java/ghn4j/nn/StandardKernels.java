package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import ghn4j.graph.Node;
import ghn4j.graph.Ops;
import java.util.List;

/**
 * The kernels of {@link KernelRegistry#standard()}: PyTorch semantics for every op of {@link Ops},
 * on DJL's functional ops. Every temporary is closed before returning (see the {@link OpKernel}
 * contract).
 *
 * <p>One unit (~460 lines): a catalogue, one short kernel per op of {@link Ops}, registered in one
 * place.
 */
final class StandardKernels {

  private StandardKernels() {}

  static NDArray input(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    throw new IllegalStateException("the input node is fed by the executor, not computed");
  }

  static NDArray conv(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.Conv op = (Ops.Conv) node.op();
    NDArray x = in.get(0);
    NDArray w = p.get(0);
    if (isPointwise(op, w.getShape())) {
      // A 1x1 conv without padding is a matrix product over channels (after taking every s-th pixel
      // for stride s):
      // same values and gradients, computed without oneDNN's convolution. oneDNN's brgemm 1x1
      // convolution divides by
      // zero (SIGFPE in brg_blocking_t::est_eff_1x1, killing the JVM) for some small maps: seen in
      // the strided backward
      // of ResNet-50's downsampling convs (4x4 -> 2x2, 2x2 -> 1x1) and in the forward of a full
      // 04-evaluate-splits run,
      // under the AVX2 and AVX-512 ISAs alike.
      int[] st = op.stride();
      boolean strided = st[0] != 1 || st[st.length - 1] != 1;
      NDArray sub = strided ? x.get(new NDIndex(":, :, ::{}, ::{}", st[0], st[st.length - 1])) : x;
      try {
        Shape s = sub.getShape();
        Shape ws = w.getShape();
        try (NDArray w2 = w.reshape(ws.get(0), ws.get(1));
            NDArray x3 = sub.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
            NDArray y = w2.matMul(x3)) { // [Cout, Cin] @ [N, Cin, H*W] -> [N, Cout, H*W]
          NDArray out = y.reshape(s.get(0), ws.get(0), s.get(2), s.get(3));
          out.attach(x.getManager()); // like conv2d's result: the input's (scoped) manager, not the
          // parameters'
          return out;
        }
      } finally {
        if (strided) {
          sub.close();
        }
      }
    }
    return Conv2d.conv2d(
            x, w, null, shape(op.stride()), shape(op.padding()), shape(op.dilation()), op.groups())
        .singletonOrThrow();
  }

  /**
   * A 1x1 kernel, no padding, one group (any stride; dilation does not matter for a 1x1 kernel).
   */
  static boolean isPointwise(Ops.Conv op, Shape weight) {
    return weight.dimension() == 4
        && weight.get(2) == 1
        && weight.get(3) == 1
        && op.groups() == 1
        && op.padding()[0] == 0
        && op.padding()[op.padding().length - 1] == 0;
  }

  static NDArray linear(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    return ai.djl.nn.core.Linear.linear(in.get(0), p.get(0)).singletonOrThrow();
  }

  static NDArray bias(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    NDArray b = p.get(0);
    if (x.getShape().dimension() == 4) {
      // channel axis 1 of an image: view the bias as [1, C, 1, 1]
      try (NDArray b4 = b.reshape(1, b.getShape().get(0), 1, 1)) {
        return x.add(b4);
      }
    }
    return x.add(b);
  }

  static NDArray batchNorm(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.BatchNorm op = (Ops.BatchNorm) node.op();
    NDArray x = in.get(0);
    // DJL passes (1 - momentum) to torch.batch_norm: DJL's momentum is the weight of the old
    // running value.
    float djlMomentum = (float) (1.0 - op.momentum());
    float eps = (float) op.eps();
    // A layer without running statistics (ppuda's "bn"/"bnorm") normalises with batch statistics in
    // every mode.
    Mode.Kind kind = op.trackRunningStats() ? mode.kind() : Mode.Kind.BATCH_STATS;
    switch (kind) {
      case BATCH_STATS -> {
        long c = x.getShape().get(1);
        // torch.batch_norm in training mode writes its running buffers; give it throw-away ones.
        try (NDArray mean = x.getManager().zeros(new Shape(c), x.getDataType());
            NDArray var = x.getManager().ones(new Shape(c), x.getDataType())) {
          return BatchNorm.batchNorm(x, mean, var, p.get(0), p.get(1), 1, djlMomentum, eps, true)
              .singletonOrThrow();
        }
      }
      case TRAIN, EVAL -> {
        // the running buffers of the node: updated in training, read in evaluation
        BnState s = mode.state();
        return BatchNorm.batchNorm(
                x,
                s.runningMean(node.name()),
                s.runningVar(node.name()),
                p.get(0),
                p.get(1),
                1,
                djlMomentum,
                eps,
                kind == Mode.Kind.TRAIN)
            .singletonOrThrow();
      }
      default -> throw new IllegalStateException("unknown mode " + mode);
    }
  }

  static NDArray layerNorm(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.LayerNorm op = (Ops.LayerNorm) node.op();
    NDArray x = in.get(0);
    Shape normalized = new Shape(x.getShape().get(x.getShape().dimension() - 1));
    return LayerNorm.layerNorm(x, normalized, p.get(0), p.get(1), (float) op.eps())
        .singletonOrThrow();
  }

  static NDArray maxPool(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.MaxPool op = (Ops.MaxPool) node.op();
    // torch.max_pool2d pads with -inf, so padded cells never win.
    return Pool.maxPool2d(
        in.get(0), square(op.kernel()), square(op.stride()), square(op.padding()), op.ceilMode());
  }

  static NDArray avgPool(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.AvgPool op = (Ops.AvgPool) node.op();
    NDArray x = in.get(0);
    Shape k = square(op.kernel());
    Shape s = square(op.stride());
    Shape pad = square(op.padding());
    // DJL 0.36's PyTorch JNI drops count_include_pad (torch's default, true, always applies), so
    // for false we divide
    // the padded average by the fraction of real cells in each window: (sum / k²) / (count / k²) =
    // sum / count.
    NDArray included = Pool.avgPool2d(x, k, s, pad, false, true);
    if (op.countIncludePad() || op.padding() == 0) {
      return included;
    }
    Shape xs = x.getShape();
    try (included;
        NDArray ones = x.getManager().ones(new Shape(1, 1, xs.get(2), xs.get(3)), x.getDataType());
        NDArray fraction = Pool.avgPool2d(ones, k, s, pad, false, true)) {
      return included.div(fraction);
    }
  }

  static NDArray globalAvgPool(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    Shape s = x.getShape();
    // DJL's PyTorch mean takes one axis: average the flattened H·W axis (the same reduction as mean
    // over (2, 3)).
    try (NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3))) {
      return flat.mean(new int[] {2});
    }
  }

  static NDArray adaptiveAvgPool(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.AdaptiveAvgPool op = (Ops.AdaptiveAvgPool) node.op();
    NDArray x = in.get(0);
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    // y = A_h · x · A_wᵀ with averaging matrices: exact, differentiable, and engine-independent.
    try (NDArray ah = poolMatrix(x, op.outH(), (int) h);
        NDArray aw = poolMatrix(x, op.outW(), (int) w);
        NDArray awT = aw.transpose();
        NDArray xw = x.matMul(awT)) {
      return ah.matMul(xw);
    }
  }

  /**
   * The [out, size] matrix of adaptive average pooling along one axis, in x's manager and dtype.
   */
  private static NDArray poolMatrix(NDArray x, int out, int size) {
    double[] m = new double[out * size];
    for (int i = 0; i < out; i++) {
      int start = (int) Math.floor((double) i * size / out);
      int end = (int) Math.ceil((double) (i + 1) * size / out);
      for (int j = start; j < end; j++) {
        m[i * size + j] = 1.0 / (end - start);
      }
    }
    return Tensors.fromDoubles(x.getManager(), m, new Shape(out, size), x.getDataType());
  }

  static NDArray activation(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    return switch (((Ops.Activation) node.op()).function()) {
      case RELU -> ai.djl.nn.Activation.relu(x);
      case RELU6 -> x.clip(0, 6);
      // torch.nn.functional.gelu, exact erf form (approximate='none')
      case GELU -> x.getNDArrayInternal().gelu();
      case SIGMOID -> x.getNDArrayInternal().sigmoid();
      case SILU -> silu(x);
      case TANH -> x.tanh();
      case HARDSIGMOID -> hardsigmoid(x);
      case HARDSWISH -> hardswish(x);
      case IDENTITY -> x;
    };
  }

  /** x · sigmoid(x), PyTorch's SiLU (exporters write it as Sigmoid and Mul). */
  private static NDArray silu(NDArray x) {
    try (NDArray g = x.getNDArrayInternal().sigmoid()) {
      return x.mul(g);
    }
  }

  /** x · relu6(x + 3) / 6, PyTorch's hardswish. */
  private static NDArray hardswish(NDArray x) {
    try (NDArray g = hardsigmoid(x)) {
      return x.mul(g);
    }
  }

  /** relu6(x + 3) / 6, PyTorch's hardsigmoid. */
  private static NDArray hardsigmoid(NDArray x) {
    try (NDArray shifted = x.add(3);
        NDArray clipped = shifted.clip(0, 6)) {
      return Scalars.div(clipped, 6);
    }
  }

  /**
   * A source node that outputs its own parameter (ppuda's positional encoding, summed with the
   * stem).
   */
  static NDArray learnedTensor(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    return p.get(0);
  }

  static NDArray sum(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray acc = in.get(0).add(in.get(1));
    for (int k = 2; k < in.size(); k++) {
      NDArray next = acc.add(in.get(k));
      acc.close();
      acc = next;
    }
    return acc;
  }

  static NDArray concat(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    if (in.size() == 1) {
      // DJL's NDArrays.concat returns duplicate() (torch clone without autograd history) for a
      // single array, which
      // cut every gradient behind a one-input concat (e.g. a cell with concat [2]) to zero in
      // meta-training and SGD
      return in.get(0);
    }
    return NDArrays.concat(new NDList(in), ((Ops.Concat) node.op()).axis());
  }

  static NDArray channelScale(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    NDArray s = in.get(1);
    if (s.getShape().dimension() == 4) {
      return x.mul(s);
    }
    try (NDArray s4 = s.reshape(s.getShape().get(0), s.getShape().get(1), 1, 1)) {
      return x.mul(s4);
    }
  }

  static NDArray scale(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    return Scalars.mul(in.get(0), ((Ops.Scale) node.op()).factor());
  }

  static NDArray flatten(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    return x.reshape(x.getShape().get(0), -1);
  }

  static NDArray subsample(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.Subsample op = (Ops.Subsample) node.op();
    String s = op.offset() + "::" + op.stride();
    return in.get(0).get(":, :, " + s + ", " + s);
  }

  static NDArray posEnc(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    // ppuda adds the encoding in a separate sum node; without an input the node's value is the
    // encoding itself.
    return in.isEmpty() ? p.get(0) : in.get(0).add(p.get(0));
  }

  static NDArray toTokens(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    Shape s = x.getShape();
    try (NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3))) {
      return flat.transpose(0, 2, 1);
    }
  }

  static NDArray toImage(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    Shape s = x.getShape();
    long side = Math.round(Math.sqrt(s.get(1)));
    if (side * side != s.get(1)) {
      throw new IllegalArgumentException(
          "node " + node.name() + ": " + s.get(1) + " tokens do not form a square image");
    }
    try (NDArray t = x.transpose(0, 2, 1)) {
      return t.reshape(s.get(0), s.get(2), side, side);
    }
  }

  static NDArray attention(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    int heads = ((Ops.Attention) node.op()).heads();
    NDArray x = in.get(0);
    Shape s = x.getShape();
    long n = s.get(0);
    long len = s.get(1);
    long inner = s.get(2) / 3;
    long d = inner / heads;
    if (inner * 3 != s.get(2) || d * heads != inner) {
      throw new IllegalArgumentException(
          "node "
              + node.name()
              + ": last axis "
              + s.get(2)
              + " is not 3 × heads ("
              + heads
              + ") × head size");
    }
    NDList qkv = x.split(3, 2);
    try (qkv;
        // b n (h d) -> b h n d
        NDArray q = heads(qkv.get(0), n, len, heads, d);
        NDArray k = heads(qkv.get(1), n, len, heads, d);
        NDArray v = heads(qkv.get(2), n, len, heads, d);
        NDArray kt = k.transpose(0, 1, 3, 2);
        NDArray dots = q.matMul(kt);
        NDArray scaled = Scalars.mul(dots, Math.pow(d, -0.5));
        NDArray attn = scaled.softmax(-1);
        NDArray out = attn.matMul(v);
        NDArray merged = out.transpose(0, 2, 1, 3)) {
      // b h n d -> b n (h d)
      return merged.reshape(n, len, inner);
    }
  }

  private static NDArray heads(NDArray t, long n, long len, long heads, long d) {
    try (NDArray r = t.reshape(n, len, heads, d)) {
      return r.transpose(0, 2, 1, 3);
    }
  }

  static NDArray channelShuffle(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    int g = ((Ops.ChannelShuffle) node.op()).groups();
    NDArray x = in.get(0);
    Shape s = x.getShape();
    if (s.dimension() != 4 || s.get(1) % g != 0) {
      throw new IllegalArgumentException(
          "node "
              + node.name()
              + ": cannot shuffle "
              + s
              + " in "
              + g
              + " groups (channels must divide)");
    }
    try (NDArray v = x.reshape(s.get(0), g, s.get(1) / g, s.get(2), s.get(3));
        NDArray t = v.transpose(0, 2, 1, 3, 4)) {
      return t.reshape(s);
    }
  }

  static NDArray narrow(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    Ops.Narrow op = (Ops.Narrow) node.op();
    NDArray x = in.get(0);
    StringBuilder index = new StringBuilder();
    for (int a = 0; a < op.axis(); a++) {
      index.append(":, ");
    }
    index.append(op.start()).append(':').append(op.start() + op.length());
    return x.get(index.toString());
  }

  static NDArray dropout(Node node, List<NDArray> in, List<NDArray> p, Mode mode) {
    NDArray x = in.get(0);
    double prob = ((Ops.Dropout) node.op()).p();
    if (!mode.dropoutActive() || prob == 0) {
      return x;
    }
    try (NDArray u =
            mode.dropoutSeed().isPresent()
                ? seededUniform(x, mode.dropoutSeed().getAsLong(), node.name())
                : x.getManager().randomUniform(0f, 1f, x.getShape(), x.getDataType());
        NDArray keep = u.gte(prob);
        NDArray mask = keep.toType(x.getDataType(), false);
        NDArray kept = x.mul(mask)) {
      return Scalars.div(kept, 1.0 - prob);
    }
  }

  /**
   * Uniform [0, 1) numbers shaped like {@code x} from a Java generator seeded with {@code seed} and
   * {@code name}.
   */
  private static NDArray seededUniform(NDArray x, long seed, String name) {
    java.util.SplittableRandom r =
        new java.util.SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * name.hashCode()));
    double[] u = new double[Math.toIntExact(x.size())];
    for (int i = 0; i < u.length; i++) {
      u[i] = r.nextDouble();
    }
    return Tensors.fromDoubles(x.getManager(), u, x.getShape(), x.getDataType());
  }

  private static Shape shape(int[] a) {
    long[] l = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      l[i] = a[i];
    }
    return new Shape(l);
  }

  private static Shape square(int v) {
    return new Shape(v, v);
  }
}
