package ghn4j.deepnets;

import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which {@code msa} and {@code cse} nodes ppuda's graph of a DeepNets-1M network shows, by
 * emulating the autograd trace its {@code Graph(net)} walks (ppuda/deepnets1m/graph.py, PyTorch
 * 1.13, networkx ≥ 2.6).
 *
 * <p>ppuda builds a graph from the autograd nodes of one forward pass: a depth-first walk from the
 * output over {@code next_functions} numbers the nodes (an op with a parameter becomes that
 * parameter's node; a Linear's weight is moved in front of its bias), the input node is appended,
 * and the nodes are sorted by networkx's {@code topological_sort}, i.e. generation by generation
 * (longest distance from the input), each generation in the order its nodes lost their last
 * incoming edge. Its filter then keeps
 *
 * <ul>
 *   <li>a {@code Mul} node (shown as {@code cse}) only if the node two places before it in that
 *       order is a {@code Hardswish} — true for a ChannelSE gate when nothing else of the net sits
 *       at the gate's depths;
 *   <li>a {@code Clone} node (shown as {@code msa}; in these nets only the attention's {@code
 *       rearrange}) only if, after the removal of the other {@code Mul} nodes, the node eleven
 *       places before it is a {@code Softmax}.
 * </ul>
 *
 * Both tests count the autograd nodes of every module that runs at the same depths, so the answer
 * depends on the whole net. We rebuild the trace from {@link NetworkBuilder}'s walk: every node the
 * walk emits becomes the autograd nodes PyTorch 1.13 records for it (e.g. a 3-D Linear with bias:
 * view, addmm, view; an {@code einsum}: unsqueeze, two permutes and a reshape per operand, bmm,
 * view, permute, view), then replay ppuda's numbering, edge fix-ups, sort and the two positional
 * tests. The per-module node sequences were read off PyTorch 1.13.1's autograd graphs; with them
 * the node counts of all 200 nets of the reference generator's meta files match.
 *
 * <p>The result is the set of {@link NetEmitter#node} call indices (in the walk's order) whose
 * hidden node ppuda shows; {@link GraphEmitter} gives those nodes their primitive. Nets without msa
 * or cse ops need no trace.
 */
final class AutogradTrace {

  private AutogradTrace() {}

  /** Node names ppuda's positional tests look at. */
  private static final String MUL = "MulBackward0";

  private static final String CLONE = "CloneBackward0";
  private static final String SOFTMAX = "SoftmaxBackward0";
  private static final String HARDSWISH = "HardswishBackward0";

  /**
   * The walk's node calls (0-based, counting every {@link NetEmitter#node} call) whose attention
   * core, channel gate or zero filler ppuda's graph shows as an {@code msa} or {@code cse} node.
   */
  static BitSet shownNodes(NetArgs args) {
    if (!hasQuirkOps(args.genotype())) {
      return new BitSet();
    }
    Emitter emitter = new Emitter();
    int output = NetworkBuilder.walk(args, emitter);
    return emitter.shown(output);
  }

  /** ppuda's node names of the trace in its sorted order, before filtering (for tests). */
  static List<String> sortedNames(NetArgs args) {
    Emitter emitter = new Emitter();
    int output = NetworkBuilder.walk(args, emitter);
    List<String> names = new ArrayList<>();
    for (TraceNode t : emitter.sorted(output)) {
      names.add(t.name());
    }
    return names;
  }

  private static boolean hasQuirkOps(Genotype g) {
    for (List<Genotype.Edge> edges : List.of(g.normal(), g.reduce())) {
      for (Genotype.Edge e : edges) {
        CellOp.Kind k = CellOp.parse(e.op()).kind();
        if (k == CellOp.Kind.MSA || k == CellOp.Kind.CSE) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- the autograd graph ----

  /** Which module a parameter belongs to, as far as ppuda's walk cares. */
  private enum Module {
    CONV,
    LINEAR,
    NORM,
    POS_ENC
  }

  /** A parameter's {@code AccumulateGrad} node. ppuda skips the biases of norm layers. */
  private record Leaf(String name, Module module) {
    boolean skipped() {
      return module == Module.NORM && name.contains(".bias");
    }
  }

  /**
   * An autograd node: its type name and its {@code next_functions} ({@link Fn}, {@link Leaf} or
   * null for an input that needs no gradient); {@code call} is the walk's node call it stands for
   * when ppuda may show it, else -1.
   */
  private record Fn(String name, Object[] next, int call) {}

  /** A node of ppuda's graph before filtering: a parameter or a parameter-free autograd node. */
  private record TraceNode(String name, boolean linearWeight, boolean posEnc, int call) {}

  /** The input of the network: it needs no gradient. */
  private static final Object NO_GRAD = new Object();

  /** A Linear whose bias, if any, comes with the next node of the walk. */
  private record PendingLinear(Object input, int rank, Leaf weight) {}

  /**
   * Turns the walk's nodes into autograd nodes. Values are {@link Fn}, {@link Leaf}, {@link
   * PendingLinear} or NO_GRAD.
   */
  private static final class Emitter implements NetEmitter {
    private final List<Object> values = new ArrayList<>();
    private final List<Integer> ranks = new ArrayList<>();
    private final Map<PendingLinear, Fn> resolved = new IdentityHashMap<>();
    private int calls;

    @Override
    public void declare(ParamSpec param) {}

    @Override
    public int node(
        String name,
        Primitive primitive,
        Op op,
        int[] shape,
        int cell,
        List<ParamSpec> params,
        int... inputs) {
      if (op instanceof Ops.Dropout) {
        // the classifier's dropout: its MulBackward0 is modelled with the Linear that follows (see
        // below); the call
        // is counted, as GraphEmitter counts it
        calls++;
        values.add(values.get(inputs[0]));
        ranks.add(ranks.get(inputs[0]));
        return values.size() - 1;
      }
      int call = calls++;
      for (int in : inputs) {
        if (in == NONE) {
          return NONE;
        }
      }
      Object x = inputs.length > 0 ? values.get(inputs[0]) : null;
      int rank = inputs.length > 0 ? ranks.get(inputs[0]) : 4;
      Object v;
      if (op instanceof Ops.Input) {
        v = NO_GRAD;
      } else if (op instanceof Ops.Conv) {
        v = fn("ConvolutionBackward0", grad(x), leaf(params.get(0), Module.CONV), null);
      } else if (op instanceof Ops.BatchNorm) {
        v =
            fn(
                "NativeBatchNormBackward0",
                grad(x),
                leaf(params.get(0), Module.NORM),
                leaf(params.get(1), Module.NORM));
      } else if (op instanceof Ops.LayerNorm) {
        v =
            fn(
                "NativeLayerNormBackward0",
                grad(x),
                leaf(params.get(0), Module.NORM),
                leaf(params.get(1), Module.NORM));
      } else if (op instanceof Ops.LearnedTensor) {
        v = leaf(params.get(0), Module.POS_ENC);
      } else if (op instanceof Ops.Sum) {
        v = fn("AddBackward0", grad(x), grad(values.get(inputs[1])));
      } else if (op instanceof Ops.MaxPool) {
        v = fn("MaxPool2DWithIndicesBackward0", grad(x));
      } else if (op instanceof Ops.AvgPool) {
        v = fn("AvgPool2DBackward0", grad(x));
      } else if (op instanceof Ops.Activation a) {
        v = fn(activationNode(a.fn()), grad(x));
      } else if (op instanceof Ops.Subsample) {
        // x[:, :, a::s, a::s]: one slice per dimension, full slices included
        v = grad(x);
        for (int d = 0; d < 4; d++) {
          v = fn("SliceBackward0", v);
        }
      } else if (op instanceof Ops.Concat) {
        Object[] next = new Object[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
          next[k] = grad(values.get(inputs[k]));
        }
        v = new Fn("CatBackward0", next, -1);
      } else if (op instanceof Ops.Scale) {
        // ppuda's filler for None concat inputs: states[i] * 0
        v = new Fn(MUL, new Object[] {grad(x), null}, call);
      } else if (op instanceof Ops.GlobalAvgPool) {
        if (NetworkBuilder.CSE_SQUEEZE.equals(name)) {
          // input.reshape(b, c, -1).mean(dim=2)
          v = fn("MeanBackward1", fn("ReshapeAliasBackward0", grad(x)));
          rank = 2;
        } else {
          // AdaptiveAvgPool2d(1) runs as mean(keepdim=True); the classifier's reshape follows
          v = fn("MeanBackward1", grad(x));
        }
      } else if (op instanceof Ops.Flatten) {
        v = fn("ReshapeAliasBackward0", grad(x));
        rank = 2;
      } else if (op instanceof Ops.ToTokens) {
        // x.reshape(b, c, -1).permute(0, 2, 1)
        v = fn("PermuteBackward0", fn("ReshapeAliasBackward0", grad(x)));
        rank = 3;
      } else if (op instanceof Ops.ToImage) {
        // out.permute(0, 2, 1).view(sz)
        v = fn("ViewBackward0", fn("PermuteBackward0", grad(x)));
        rank = 4;
      } else if (op instanceof Ops.Linear) {
        Object in = x;
        if (rank == 4) {
          // the classifier's out.reshape(out.size(0), -1) after global pooling
          in = fn("ReshapeAliasBackward0", grad(x));
          rank = 2;
        }
        if (name.startsWith("classifier.") && !name.startsWith("classifier.0.")) {
          // nn.Dropout(0.5) before every classifier layer but the first; ppuda traces in training
          // mode
          in = fn(MUL, grad(in), null);
        }
        v = new PendingLinear(in, rank, leaf(params.get(0), Module.LINEAR));
      } else if (op instanceof Ops.Bias && x instanceof PendingLinear p) {
        v = linearWithBias(p, leaf(params.get(0), Module.LINEAR));
      } else if (op instanceof Ops.Attention) {
        v = attention(grad(x), call);
      } else if (op instanceof Ops.ChannelScale) {
        // torch.mul(input, gate.view(a, b, 1, 1))
        Object gate = fn("ViewBackward0", grad(values.get(inputs[1])));
        v = new Fn(MUL, new Object[] {grad(x), gate}, call);
        rank = 4;
      } else {
        throw new IllegalStateException(
            "no autograd model for op " + op.kind() + " (node " + name + ")");
      }
      values.add(v);
      ranks.add(rank);
      return values.size() - 1;
    }

    private static String activationNode(String fn) {
      return switch (fn) {
        case "relu" -> "ReluBackward0";
        case "gelu" -> "GeluBackward0";
        case "hardswish" -> HARDSWISH;
        default -> throw new IllegalStateException("no autograd model for activation " + fn);
      };
    }

    private final Map<String, Leaf> leaves = new HashMap<>();

    private Leaf leaf(ParamSpec p, Module module) {
      return leaves.computeIfAbsent(p.name(), n -> new Leaf(n, module));
    }

    private static Fn fn(String name, Object... next) {
      return new Fn(name, next, -1);
    }

    /** The autograd node a value contributes as an input. */
    private Object grad(Object v) {
      if (v == NO_GRAD) {
        return null;
      }
      if (v instanceof PendingLinear p) {
        return resolved.computeIfAbsent(p, this::linearWithoutBias);
      }
      return v;
    }

    /** F.linear without bias: matmul(x, W.t()), for 3-D input folded into mm. */
    private Fn linearWithoutBias(PendingLinear p) {
      Fn wt = fn("TBackward0", p.weight());
      if (p.rank() == 2) {
        return fn("MmBackward0", grad(p.input()), wt);
      }
      return fn(
          "UnsafeViewBackward0",
          fn("MmBackward0", fn("ReshapeAliasBackward0", grad(p.input())), wt));
    }

    /** F.linear with bias: addmm for 2-D input, view + addmm + view for contiguous 3-D input. */
    private Fn linearWithBias(PendingLinear p, Leaf bias) {
      Fn wt = fn("TBackward0", p.weight());
      if (p.rank() == 2) {
        return fn("AddmmBackward0", bias, grad(p.input()), wt);
      }
      return fn(
          "ViewBackward0", fn("AddmmBackward0", bias, fn("ViewBackward0", grad(p.input())), wt));
    }

    /**
     * ppuda's attention core from the qkv projection to the rearranged heads (the Clone is its msa
     * node).
     */
    private Fn attention(Object qkv, int call) {
      Fn split = fn("SplitBackward0", qkv);
      // rearrange(t, 'b n (h d) -> b h n d'): reshape, permute
      Fn q = fn("PermuteBackward0", fn("ReshapeAliasBackward0", split));
      Fn k = fn("PermuteBackward0", fn("ReshapeAliasBackward0", split));
      Fn v = fn("PermuteBackward0", fn("ReshapeAliasBackward0", split));
      Fn dots = fn(MUL, einsum(q, k), null);
      Fn attn = fn(SOFTMAX, dots);
      Fn out = fn("PermuteBackward0", einsum(attn, v));
      // rearrange(out, 'b h n d -> b n (h d)'): permute, then a reshape that must copy
      Fn clone = new Fn(CLONE, new Object[] {out}, call);
      return fn("UnsafeViewBackward0", clone);
    }

    /** torch.einsum of two 4-D operands with one contracted label (PyTorch 1.13's bmm path). */
    private static Fn einsum(Object a, Object b) {
      Fn left =
          fn(
              "ReshapeAliasBackward0",
              fn("PermuteBackward0", fn("PermuteBackward0", fn("UnsqueezeBackward0", a))));
      Fn right =
          fn(
              "ReshapeAliasBackward0",
              fn("PermuteBackward0", fn("PermuteBackward0", fn("UnsqueezeBackward0", b))));
      return fn(
          "ViewBackward0",
          fn("PermuteBackward0", fn("ViewBackward0", fn("BmmBackward0", left, right))));
    }

    // ---- ppuda's Graph._build_graph and the start of _filter_graph ----

    BitSet shown(int output) {
      List<TraceNode> order = sorted(output);
      BitSet shown = new BitSet();
      // Mul pass over the whole sorted list
      List<TraceNode> afterMul = new ArrayList<>(order.size());
      for (int i = 0; i < order.size(); i++) {
        TraceNode t = order.get(i);
        if (t.name().contains("Mul")) {
          boolean keep = at(order, i - 2).name().startsWith("Hard");
          if (!keep) {
            continue;
          }
          if (t.call() >= 0) {
            shown.set(t.call());
          }
        }
        afterMul.add(t);
      }
      // Clone pass over what the Mul pass left
      for (int i = 0; i < afterMul.size(); i++) {
        TraceNode t = afterMul.get(i);
        if (t.name().contains("Clone")
            && at(afterMul, i - 11).name().startsWith("Softmax")
            && t.call() >= 0) {
          shown.set(t.call());
        }
      }
      return shown;
    }

    /** Python's list indexing: negative indices count from the end. */
    private static TraceNode at(List<TraceNode> list, int i) {
      return list.get(Math.floorMod(i, list.size()));
    }

    /**
     * ppuda's node list in networkx's topological (generation) order, with the pos_enc sum
     * inserted.
     */
    List<TraceNode> sorted(int output) {
      Object root = values.get(output);
      if (root instanceof PendingLinear p) {
        root = grad(p);
      }
      if (!(root instanceof Fn)) {
        throw new IllegalStateException("the network output is not an autograd node");
      }
      Walk w = new Walk();
      w.traverse((Fn) root);
      int n = w.nodes.size();
      Adjacency a = new Adjacency(n + 1);
      for (int[] e : w.edges) {
        a.add(e[0], e[1]);
      }
      // Linear layers: move the weight in front of its bias (or matmul)
      for (int i = 0; i < n; i++) {
        if (!w.nodes.get(i).linearWeight()) {
          continue;
        }
        int[] outs = a.out[i].stream().toArray();
        for (int on : outs) {
          int[] preds = a.in[on].stream().toArray();
          for (int p : preds) {
            if (p != i) {
              a.add(p, i);
            }
          }
          for (int p : preds) {
            a.remove(p, on);
          }
          a.add(i, on);
        }
      }
      // the input node feeds the one node without incoming edges
      int source = -1;
      for (int i = 0; i < n; i++) {
        if (a.in[i].isEmpty()) {
          if (source >= 0) {
            throw new IllegalStateException(
                "more than one autograd node without inputs: "
                    + w.nodes.get(source).name()
                    + ", "
                    + w.nodes.get(i).name());
          }
          source = i;
        }
      }
      a.add(n, source);
      List<TraceNode> all = new ArrayList<>(w.nodes);
      all.add(new TraceNode("input", false, false, -1));
      List<TraceNode> order = new ArrayList<>(n + 2);
      for (int i : a.generations()) {
        TraceNode t = all.get(i);
        order.add(t);
        if (t.posEnc()) {
          // ppuda inserts an explicit sum after the positional encoding
          order.add(new TraceNode("AddBackward0", false, false, -1));
        }
      }
      return order;
    }
  }

  /** ppuda's recursive {@code traverse_graph}, with an explicit stack. */
  private static final class Walk {
    final List<TraceNode> nodes = new ArrayList<>();
    final List<int[]> edges = new ArrayList<>();

    /** Per visited Fn or Leaf: the node it links to (-1: none) — ppuda's {@code seen}. */
    private final Map<Object, Integer> seen = new IdentityHashMap<>();

    private final class Frame {
      final Fn fn;
      final int linkStart;
      int next;

      Frame(Fn fn) {
        this.fn = fn;
        int first = -1;
        int last = -1;
        for (Object u : fn.next()) {
          if (u instanceof Leaf l && !l.skipped()) {
            int id = nodes.size();
            nodes.add(
                new TraceNode(
                    l.name(),
                    l.module() == Module.LINEAR && l.name().contains(".weight"),
                    l.module() == Module.POS_ENC,
                    -1));
            seen.put(l, id);
            first = first < 0 ? id : first;
            last = id;
          }
        }
        if (first < 0) {
          first = last = nodes.size();
          nodes.add(new TraceNode(fn.name(), false, false, fn.call()));
        }
        linkStart = first;
        seen.put(fn, last);
      }
    }

    void traverse(Fn root) {
      List<Frame> stack = new ArrayList<>();
      stack.add(new Frame(root));
      while (!stack.isEmpty()) {
        Frame f = stack.get(stack.size() - 1);
        if (f.next == f.fn.next().length) {
          stack.remove(stack.size() - 1);
          continue;
        }
        Object u = f.fn.next()[f.next];
        if (u == null) {
          f.next++;
          continue;
        }
        if (u instanceof Fn child && !seen.containsKey(child)) {
          stack.add(new Frame(child)); // resume f at the same child once it is done
          continue;
        }
        f.next++;
        int link = seen.getOrDefault(u, -1);
        if (u instanceof Leaf l && !seen.containsKey(l)) {
          seen.put(l, -1); // a skipped norm bias: AccumulateGrad makes no node
        }
        if (link >= 0 && link != f.linkStart) {
          boolean bias = u instanceof Leaf l && l.name().contains("bias");
          edges.add(bias ? new int[] {f.linkStart, link} : new int[] {link, f.linkStart});
        }
      }
    }
  }

  /**
   * A directed graph on 0..n-1 with sorted adjacency (numpy's row-major order, as networkx reads
   * it).
   */
  private static final class Adjacency {
    final BitSet[] out;
    final BitSet[] in;

    Adjacency(int n) {
      out = new BitSet[n];
      in = new BitSet[n];
      for (int i = 0; i < n; i++) {
        out[i] = new BitSet();
        in[i] = new BitSet();
      }
    }

    void add(int from, int to) {
      out[from].set(to);
      in[to].set(from);
    }

    void remove(int from, int to) {
      out[from].clear(to);
      in[to].clear(from);
    }

    /** networkx's topological_sort: Kahn's algorithm, one generation after the other. */
    int[] generations() {
      int n = out.length;
      int[] indegree = new int[n];
      List<Integer> current = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        indegree[i] = in[i].cardinality();
        if (indegree[i] == 0) {
          current.add(i);
        }
      }
      int[] order = new int[n];
      int k = 0;
      while (!current.isEmpty()) {
        List<Integer> next = new ArrayList<>();
        for (int v : current) {
          order[k++] = v;
          for (int c = out[v].nextSetBit(0); c >= 0; c = out[v].nextSetBit(c + 1)) {
            if (--indegree[c] == 0) {
              next.add(c);
            }
          }
        }
        current = next;
      }
      if (k != n) {
        throw new IllegalStateException("the autograd graph has a cycle");
      }
      return order;
    }
  }
}
