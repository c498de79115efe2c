package ghn4j.deepnets;

import static ghn4j.deepnets.AutogradNodes.CLONE;
import static ghn4j.deepnets.AutogradNodes.HARDSWISH;
import static ghn4j.deepnets.AutogradNodes.MUL;
import static ghn4j.deepnets.AutogradNodes.NO_GRAD;
import static ghn4j.deepnets.AutogradNodes.SOFTMAX;

import ghn4j.deepnets.AutogradNodes.Fn;
import ghn4j.deepnets.AutogradNodes.Leaf;
import ghn4j.deepnets.AutogradNodes.Module;
import ghn4j.deepnets.AutogradNodes.PendingLinear;
import ghn4j.graph.Op;
import ghn4j.graph.Ops;
import ghn4j.graph.ParamSpec;
import ghn4j.graph.Primitive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the walk of {@link NetworkBuilder} as the autograd nodes PyTorch 1.13 makes for each
 * module's forward (see {@link AutogradTrace}). Values are {@link Fn}, {@link Leaf}, {@link
 * PendingLinear} or {@link AutogradNodes#NO_GRAD}.
 */
final class AutogradRecorder implements NetEmitter {
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
      if (NetModules.CSE_SQUEEZE.equals(name)) {
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
        "UnsafeViewBackward0", fn("MmBackward0", fn("ReshapeAliasBackward0", grad(p.input())), wt));
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

  /** The autograd node of the walk's output {@code output}. */
  Fn root(int output) {
    Object root = values.get(output);
    if (root instanceof PendingLinear p) {
      root = grad(p);
    }
    if (!(root instanceof Fn)) {
      throw new IllegalStateException("the network output is not an autograd node");
    }
    return (Fn) root;
  }
}
