package ghn4j.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;

/**
 * Diagnostic main (not a test): repeats a float32 3×3 convolution forward + backward many times on
 * fresh random inputs held in PyTorch-owned memory (no Java buffers that a GC could free), counts
 * gradients that are not finite, and compares every 10th gradient with the same computation in
 * float64 (relative max error above 1e-3 = "wrong"). Run it with and without {@code
 * DNNL_MAX_CPU_ISA=AVX2} to see whether oneDNN's AVX-512 kernels are at fault.
 *
 * <p>Usage: {@code java -cp ... ghn4j.nn.ConvBackwardNanRepro [tries] [batch] [channels] [size]}
 * (default 1500 16 32 32). Prints tries, non-finite and wrong counts and the median milliseconds of
 * a float32 forward+backward.
 */
public final class ConvBackwardNanRepro {

  private ConvBackwardNanRepro() {}

  public static void main(String[] args) {
    int tries = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int c = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int s = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    Engine.getInstance();
    SplittableRandom rnd = new SplittableRandom(1);
    int nonFinite = 0;
    int wrong = 0;
    double worst = 0;
    double[] ms = new double[tries];
    for (int t = 0; t < tries; t++) {
      double[] x = gaussian(rnd, (long) n * c * s * s, 1);
      double[] w = gaussian(rnd, (long) c * c * 9, Math.sqrt(2.0 / (c * 9)));
      long t0 = System.nanoTime();
      double[][] g32 = grads(x, w, n, c, s, DataType.FLOAT32);
      ms[t] = (System.nanoTime() - t0) / 1e6;
      // the float64 reference is slow (no oneDNN kernel): compare every 10th try
      double[][] g64 = t % 10 == 0 ? grads(x, w, n, c, s, DataType.FLOAT64) : null;
      boolean finite = true;
      double err = 0;
      for (int k = 0; k < 2; k++) {
        double scale = 0;
        if (g64 != null) {
          for (double v : g64[k]) {
            scale = Math.max(scale, Math.abs(v));
          }
        }
        for (int i = 0; i < g32[k].length; i++) {
          if (!Double.isFinite(g32[k][i])) {
            finite = false;
          } else if (g64 != null) {
            err = Math.max(err, Math.abs(g32[k][i] - g64[k][i]) / scale);
          }
        }
      }
      if (!finite) {
        nonFinite++;
      } else if (err > 1e-3) {
        wrong++;
      }
      worst = Math.max(worst, err);
    }
    java.util.Arrays.sort(ms);
    System.out.printf(
        "DNNL_MAX_CPU_ISA=%s tries %d shape (%d,%d,%d,%d): non-finite %d, wrong (>1e-3) %d, worst rel err "
            + "%.2e, median fwd+bwd %.2f ms%n",
        System.getenv("DNNL_MAX_CPU_ISA"),
        tries,
        n,
        c,
        s,
        s,
        nonFinite,
        wrong,
        worst,
        ms[tries / 2]);
  }

  /**
   * Gradients of sum(conv(x, w)²)/2 w.r.t. x and w, in {@code dtype}, computed in a fresh manager.
   */
  private static double[][] grads(double[] x, double[] w, int n, int c, int s, DataType dtype) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xa = Tensors.fromDoubles(m, x, new Shape(n, c, s, s), dtype);
      NDArray wa = Tensors.fromDoubles(m, w, new Shape(c, c, 3, 3), dtype);
      xa.setRequiresGradient(true);
      wa.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y =
            Conv2d.conv2d(xa, wa, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .head();
        gc.backward(y.square().sum());
      }
      return new double[][] {
        xa.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(),
        wa.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()
      };
    }
  }

  private static double[] gaussian(SplittableRandom r, long size, double std) {
    double[] v = new double[Math.toIntExact(size)];
    for (int i = 0; i < v.length; i++) {
      double u1 = 1 - r.nextDouble();
      double u2 = r.nextDouble();
      v[i] = std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    return v;
  }
}
