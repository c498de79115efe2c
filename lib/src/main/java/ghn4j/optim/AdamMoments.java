package ghn4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bias-corrected moment update {@link Adam} and {@link AdamW} share, with its checkpointable
 * state (m and v per tensor, step count t): {@code m ← β1·m + (1-β1)·g}; {@code v ← β2·v +
 * (1-β2)·g²}; {@code θ ← θ - (lr / (1-β1^t)) · m / (√v / √(1-β2^t) + ε)}. The two optimizers differ
 * only in how weight decay enters ({@link Decay}). State is allocated eagerly in the manager given
 * at construction (never inside a scope); temporaries of {@link #step} live in an {@link NDScope};
 * updates are in place on the live parameter arrays.
 */
final class AdamMoments {

  /** How weight decay enters an update. */
  enum Decay {
    /** {@code torch.optim.Adam}: L2 added to the gradient, {@code g ← g + wd·θ} */
    L2,
    /** {@code torch.optim.AdamW}: decoupled, {@code θ ← θ·(1 - lr·wd)} before the moment update */
    DECOUPLED
  }

  private final String owner;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long t;

  /**
   * Zero moments for {@code params} (names and shapes only) in {@code stateManager}; {@code owner}
   * names errors.
   */
  AdamMoments(
      String owner,
      Map<String, NDArray> params,
      NDManager stateManager,
      double beta1,
      double beta2,
      double eps) {
    this.owner = owner;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      m.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
      v.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
    }
  }

  long steps() {
    return t;
  }

  /**
   * One in-place update of every parameter; {@code grads} by the same names. Outside any
   * GradientCollector.
   */
  void step(
      Map<String, NDArray> params,
      Map<String, NDArray> grads,
      double lr,
      Decay decay,
      double weightDecay) {
    t++;
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    float stepSize = (float) (lr / bc1);
    boolean gradMode =
        ParamArrays.setGradMode(false); // in-place updates of leaves that require grad
    try (NDScope ignored = new NDScope()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        String name = e.getKey();
        NDArray p = e.getValue();
        NDArray g = grads.get(name);
        if (g == null) {
          throw new IllegalArgumentException("no gradient for parameter " + name);
        }
        NDArray mi = m.get(name);
        NDArray vi = v.get(name);
        if (mi == null) {
          throw new IllegalArgumentException(owner + " has no state for parameter " + name);
        }
        if (weightDecay != 0 && decay == Decay.L2) {
          g = g.add(p.mul((float) weightDecay));
        } else if (weightDecay != 0) {
          p.muli((float) (1 - lr * weightDecay));
        }
        mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        vi.muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
        NDArray denom = vi.sqrt().divi((float) bc2Sqrt).addi((float) eps);
        p.subi(mi.div(denom).muli(stepSize));
      }
    } finally {
      ParamArrays.setGradMode(gradMode);
    }
  }

  /**
   * The moments as named tensors {@code <prefix>m.<name>}, {@code <prefix>v.<name>} (live arrays,
   * do not close).
   */
  Map<String, NDArray> state(String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    m.forEach((k, a) -> out.put(prefix + "m." + k, a));
    v.forEach((k, a) -> out.put(prefix + "v." + k, a));
    return out;
  }

  /** Restores what {@link #state} wrote, plus the step count; the error names a missing tensor. */
  void load(Map<String, NDArray> tensors, String prefix, long steps) {
    for (Map<String, NDArray> part : List.of(m, v)) {
      String p = prefix + (part == m ? "m." : "v.");
      for (Map.Entry<String, NDArray> e : part.entrySet()) {
        NDArray src = tensors.get(p + e.getKey());
        if (src == null) {
          throw new IllegalArgumentException("checkpoint lacks optimizer tensor " + p + e.getKey());
        }
        ParamArrays.copyInto(src, e.getValue(), p + e.getKey());
      }
    }
    this.t = steps;
  }
}
