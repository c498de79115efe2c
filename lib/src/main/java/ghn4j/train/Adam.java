package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with PyTorch's {@code torch.optim.Adam} semantics (not AdamW): weight decay is L2 added to the gradient,
 * {@code g ← g + wd·θ}; {@code m ← β1·m + (1-β1)·g}; {@code v ← β2·v + (1-β2)·g²};
 * {@code θ ← θ - (lr / (1-β1^t)) · m / (√v / √(1-β2^t) + ε)}.
 *
 * <p>Why our own: its state (m, v per tensor and the step count t) is plain NDArrays we can write to and read from a
 * checkpoint bit-exactly, so a resumed meta-training run continues with the same losses. The state is allocated
 * eagerly in the manager given at construction (never inside a scope); temporaries of {@link #step} live in an
 * {@link NDScope} and are freed at its end. Updates are in place on the live parameter arrays.
 */
public final class Adam {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long t;

  /** Adam for {@code params} (only their names and shapes are read), state zero-initialised in {@code stateManager}. */
  public Adam(Map<String, NDArray> params, NDManager stateManager, double beta1, double beta2, double eps,
      double weightDecay) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      m.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
      v.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
    }
  }

  /** PyTorch's defaults (β = (0.9, 0.999), ε = 1e-8) with weight decay {@code wd}. */
  public static Adam pytorch(Map<String, NDArray> params, NDManager stateManager, double wd) {
    return new Adam(params, stateManager, 0.9, 0.999, 1e-8, wd);
  }

  /** Steps taken so far (PyTorch's {@code state['step']}). */
  public long steps() {
    return t;
  }

  /**
   * One update of every parameter in place with learning rate {@code lr}; {@code grads} by the same names (already
   * clipped). Must run outside any {@code GradientCollector}.
   */
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
    t++;
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    float stepSize = (float) (lr / bc1);
    boolean gradMode = Tensors.setGradMode(false); // in-place updates of leaves that require grad
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
          throw new IllegalArgumentException("Adam has no state for parameter " + name);
        }
        NDArray gd = weightDecay != 0 ? g.add(p.mul((float) weightDecay)) : g;
        mi.muli((float) beta1).addi(gd.mul((float) (1 - beta1)));
        vi.muli((float) beta2).addi(gd.mul(gd).muli((float) (1 - beta2)));
        NDArray denom = vi.sqrt().divi((float) bc2Sqrt).addi((float) eps);
        p.subi(mi.div(denom).muli(stepSize));
      }
    } finally {
      Tensors.setGradMode(gradMode);
    }
  }

  /** The state as named tensors ({@code adam.m.<name>}, {@code adam.v.<name>}; live arrays, do not close). */
  public Map<String, NDArray> state() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    m.forEach((k, a) -> out.put("adam.m." + k, a));
    v.forEach((k, a) -> out.put("adam.v." + k, a));
    return out;
  }

  /** Restores the state written by {@link #state()} plus the step count; the error names a missing tensor. */
  public void load(Map<String, NDArray> tensors, long steps) {
    for (Map<String, NDArray> part : java.util.List.of(m, v)) {
      String prefix = part == m ? "adam.m." : "adam.v.";
      for (Map.Entry<String, NDArray> e : part.entrySet()) {
        NDArray src = tensors.get(prefix + e.getKey());
        if (src == null) {
          throw new IllegalArgumentException("checkpoint lacks optimizer tensor " + prefix + e.getKey());
        }
        Tensors.copyInto(src, e.getValue(), prefix + e.getKey());
      }
    }
    this.t = steps;
  }
}
