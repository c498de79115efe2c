package ghn4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with PyTorch's {@code torch.optim.AdamW} semantics: decoupled decay {@code θ ← θ·(1 - lr·wd)}, then Adam
 * ({@code m ← β1·m + (1-β1)·g}; {@code v ← β2·v + (1-β2)·g²};
 * {@code θ ← θ - (lr / (1-β1^t)) · m / (√v / √(1-β2^t) + ε)}). State eagerly in the manager given at construction.
 */
public final class AdamW implements ParamOptimizer {

  private final double beta1 = 0.9;
  private final double beta2 = 0.999;
  private final double eps = 1e-8;
  private final double weightDecay;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long t;

  /** AdamW with PyTorch's β and ε and decoupled weight decay {@code weightDecay}. */
  public AdamW(Map<String, NDArray> params, NDManager stateManager, double weightDecay) {
    this.weightDecay = weightDecay;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      m.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
      v.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
    }
  }

  @Override
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
    t++;
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    float stepSize = (float) (lr / bc1);
    boolean gradMode = Tensors.setGradMode(false);
    try (NDScope ignored = new NDScope()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray p = e.getValue();
        NDArray g = grads.get(e.getKey());
        NDArray mi = m.get(e.getKey());
        NDArray vi = v.get(e.getKey());
        if (g == null || mi == null) {
          throw new IllegalArgumentException("no gradient or AdamW state for parameter " + e.getKey());
        }
        if (weightDecay != 0) {
          p.muli((float) (1 - lr * weightDecay));
        }
        mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        vi.muli((float) beta2).addi(g.mul(g).muli((float) (1 - beta2)));
        NDArray denom = vi.sqrt().divi((float) bc2Sqrt).addi((float) eps);
        p.subi(mi.div(denom).muli(stepSize));
      }
    } finally {
      Tensors.setGradMode(gradMode);
    }
  }

  @Override
  public Map<String, NDArray> checkpointState() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    m.forEach((k, a) -> out.put("m." + k, a));
    v.forEach((k, a) -> out.put("v." + k, a));
    return out;
  }

  @Override
  public long steps() {
    return t;
  }

  @Override
  public void load(Map<String, NDArray> tensors, long steps) {
    for (Map<String, NDArray> part : java.util.List.of(m, v)) {
      String prefix = part == m ? "m." : "v.";
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
