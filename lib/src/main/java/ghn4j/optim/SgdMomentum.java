package ghn4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum, PyTorch's {@code torch.optim.SGD} semantics (dampening 0, no Nesterov): {@code
 * g ← g + wd·θ}; {@code b ← μ·b + g} ({@code b = g} at the first step, which equals this with
 * {@code b} starting at 0); {@code θ ← θ - lr·b}.
 *
 * <p>Why our own: the momentum buffers are plain NDArrays allocated eagerly in the manager given at
 * construction (never inside a scope), so the state is explicit and the update's temporaries are
 * freed by an {@link NDScope}.
 */
public final class SgdMomentum implements ParamOptimizer {

  private final double momentum;
  private final double weightDecay;
  private final Map<String, NDArray> buf = new LinkedHashMap<>();

  /**
   * SGD for {@code params} (names and shapes only), buffers zero-initialised in {@code
   * stateManager}.
   */
  public SgdMomentum(
      Map<String, NDArray> params, NDManager stateManager, double momentum, double weightDecay) {
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      buf.put(e.getKey(), stateManager.zeros(e.getValue().getShape(), e.getValue().getDataType()));
    }
  }

  @Override
  public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
    boolean gradMode = ParamArrays.setGradMode(false);
    try (NDScope ignored = new NDScope()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray p = e.getValue();
        NDArray g = grads.get(e.getKey());
        NDArray b = buf.get(e.getKey());
        if (g == null || b == null) {
          throw new IllegalArgumentException(
              "no gradient or momentum buffer for parameter " + e.getKey());
        }
        NDArray d = weightDecay != 0 ? g.add(p.mul((float) weightDecay)) : g;
        if (momentum != 0) {
          b.muli((float) momentum).addi(d);
          d = b;
        }
        p.subi(d.mul((float) lr));
      }
    } finally {
      ParamArrays.setGradMode(gradMode);
    }
  }

  /** The momentum buffers by parameter name (live arrays, do not close). */
  public Map<String, NDArray> state() {
    return java.util.Collections.unmodifiableMap(buf);
  }

  @Override
  public Map<String, NDArray> checkpointState() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    buf.forEach((k, a) -> out.put("momentum." + k, a));
    return out;
  }

  @Override
  public long steps() {
    return 0;
  }

  @Override
  public void load(Map<String, NDArray> tensors, long steps) {
    for (Map.Entry<String, NDArray> e : buf.entrySet()) {
      NDArray src = tensors.get("momentum." + e.getKey());
      if (src == null) {
        throw new IllegalArgumentException(
            "checkpoint lacks optimizer tensor momentum." + e.getKey());
      }
      ParamArrays.copyInto(src, e.getValue(), "momentum." + e.getKey());
    }
  }
}
