package ghn4j.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ghn4j.graph.Graph;
import ghn4j.nn.BnState;
import ghn4j.nn.GraphExecutor;
import ghn4j.nn.Mode;
import java.util.Map;

/**
 * Compares the logits of a written ONNX model in ONNX Runtime with our {@link GraphExecutor}'s on
 * the same parameters and input: the check that an export means what the network computes. {@link
 * BnForm#RUNNING_STATS} is compared with {@link Mode#eval} on the same {@link BnState} (over {@link
 * BnState#trackingAll}: every layer on running statistics), {@link BnForm#BATCH_STATS} with {@link
 * Mode#batchStats()}.
 */
public final class RuntimeComparison {

  private RuntimeComparison() {}

  /**
   * The outcome on one batch.
   *
   * @param maxAbsDiff largest |ORT − executor| over all logits
   * @param maxAbsLogit largest |logit| of the executor (the scale of the logits)
   * @param argmaxAgreement fraction of rows whose arg-max agrees
   */
  public record Result(double maxAbsDiff, double maxAbsLogit, double argmaxAgreement) {
    /** Whether every logit agrees within {@code atol + rtol · maxAbsLogit}. */
    public boolean within(double atol, double rtol) {
      return maxAbsDiff <= atol + rtol * maxAbsLogit;
    }

    @Override
    public String toString() {
      return String.format(
          "max |Δlogit| %.3g (logits up to %.3g), arg-max agreement %.0f%%",
          maxAbsDiff, maxAbsLogit, 100 * argmaxAgreement);
    }
  }

  /**
   * Runs {@code runner} and the executor on {@code input} and compares (executor without autograd).
   */
  public static Result compare(
      OrtRunner runner,
      Graph graph,
      Map<String, NDArray> params,
      BnState stats,
      BnForm form,
      NDArray input) {
    float[][] ort = runner.run(input);
    Mode mode = form == BnForm.BATCH_STATS ? Mode.batchStats() : Mode.eval(stats);
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    float[] ours;
    long classes;
    try (NDManager m = input.getManager().newSubManager()) {
      NDArray x = input.duplicate();
      x.attach(m);
      Graph run = form == BnForm.BATCH_STATS ? graph : BnState.trackingAll(graph);
      NDArray y = new GraphExecutor(run).forward(x, params, mode);
      y.attach(m);
      classes = y.getShape().get(1);
      ours =
          y.getDataType() == DataType.FLOAT32
              ? y.toFloatArray()
              : y.toType(DataType.FLOAT32, false).toFloatArray();
    } finally {
      JniUtils.setGradMode(grad);
    }
    if (ort.length * classes != ours.length) {
      throw new IllegalStateException(
          "ONNX Runtime gave "
              + ort.length
              + "×"
              + (ort.length == 0 ? 0 : ort[0].length)
              + " logits, the executor "
              + ours.length / classes
              + "×"
              + classes);
    }
    double maxDiff = 0;
    double maxLogit = 0;
    int agree = 0;
    for (int r = 0; r < ort.length; r++) {
      int a = 0;
      int b = 0;
      for (int c = 0; c < classes; c++) {
        float o = ours[(int) (r * classes + c)];
        maxDiff = Math.max(maxDiff, Math.abs(o - ort[r][c]));
        if (!Float.isFinite(ort[r][c]) || !Float.isFinite(o)) {
          maxDiff = Double.POSITIVE_INFINITY;
        }
        maxLogit = Math.max(maxLogit, Math.abs(o));
        if (ort[r][c] > ort[r][a]) {
          a = c;
        }
        if (o > ours[(int) (r * classes + b)]) {
          b = c;
        }
      }
      agree += a == b ? 1 : 0;
    }
    return new Result(maxDiff, maxLogit, ort.length == 0 ? 1 : (double) agree / ort.length);
  }
}
