package ghn4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ghn4j.onnx.BnForm;
import ghn4j.onnx.InputShape;
import ghn4j.onnx.NetworkExport;
import ghn4j.onnx.OrtRunner;
import ghn4j.onnx.RuntimeComparison;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The checks {@code predict} runs on the ONNX model it wrote: in ONNX Runtime against our executor,
 * or, for a model our executor cannot run, finite logits alone. Each prints one line and returns
 * the exit code (0 ok, 1 failed).
 */
final class OrtChecks {

  private OrtChecks() {}

  /** Runs the written model in ONNX Runtime on random images: its logits must be finite. */
  static int finiteLogits(Path out, long[] shape, long seed) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[(int) n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-2, 2);
    }
    try (OrtRunner ort = OrtRunner.open(out)) {
      float[][] logits = ort.run(x, shape);
      boolean finite = true;
      double max = 0;
      for (float[] row : logits) {
        for (float v : row) {
          finite &= Float.isFinite(v);
          max = Math.max(max, Math.abs(v));
        }
      }
      System.out.printf(
          "ONNX Runtime check (%d random images): logits [%d, %d], %s, max |logit| %.3g — %s (not "
              + "compared with ghn4j's executor)%n",
          shape[0],
          logits.length,
          logits[0].length,
          finite ? "all finite" : "NOT FINITE",
          max,
          finite ? "OK" : "FAILED");
      return finite ? 0 : 1;
    }
  }

  /** Runs the written model in ONNX Runtime on a random batch and compares with our executor. */
  static int matchesExecutor(
      Path out, NetworkExport export, InputShape input, long seed, NDManager m) {
    int n = 4;
    double[] v =
        new SplittableRandom(seed)
            .doubles((long) n * input.channels() * input.height() * input.width(), -2, 2)
            .toArray();
    NDArray x =
        ghn4j.nn.Tensors.fromDoubles(
            m,
            v,
            new ai.djl.ndarray.types.Shape(n, input.channels(), input.height(), input.width()),
            ai.djl.ndarray.types.DataType.FLOAT32);
    BnForm form = export.defaultForm();
    try (OrtRunner ort = OrtRunner.open(out)) {
      RuntimeComparison.Result r =
          RuntimeComparison.compare(ort, export.graph(), export.params(), export.stats(), form, x);
      boolean ok = r.within(CHECK_ATOL, CHECK_RTOL);
      System.out.printf(
          "ONNX Runtime check (%s BatchNorm, %d random images): %s — %s (tolerance %.0e + %.0e × max "
              + "|logit|)%n",
          !export.hasBatchNorm()
              ? "no"
              : form == BnForm.RUNNING_STATS ? "running-statistics" : "batch-statistics",
          n,
          r,
          ok ? "OK" : "MISMATCH",
          CHECK_ATOL,
          CHECK_RTOL);
      return ok ? 0 : 1;
    }
  }

  /** The tolerance of the ONNX Runtime check (the tests' tolerance). */
  static final double CHECK_ATOL = 1e-4;

  static final double CHECK_RTOL = 1e-3;
}
