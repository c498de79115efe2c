package ghn4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Minimal reproduction (diagnostic main, not a test) of the DJL 0.36 PyTorch pitfall behind the
 * flaky {@code GraphExecutorTest}: {@code toType(sameType, true)} does not copy, and an array made
 * by {@code manager.create(double[])} is a view of a Java direct buffer that is freed once that
 * array is closed and garbage collected. The "copy" then reads freed memory that later allocations
 * overwrite.
 */
public final class ToTypeAliasRepro {

  private ToTypeAliasRepro() {}

  public static void main(String[] args) {
    int tries = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    try (NDManager m = NDManager.newBaseManager()) {
      // 1. aliasing: writing into the source shows through the "copy"
      NDArray src = m.create(new double[] {1, 2, 3});
      NDArray copy = src.toType(DataType.FLOAT64, true);
      src.addi(10);
      System.out.println(
          "alias: after src += 10, toType(FLOAT64, copy=true) holds "
              + Arrays.toString(copy.toDoubleArray())
              + " (a real copy would hold [1, 2, 3])");
      NDArray dup = m.create(new double[] {1, 2, 3});
      NDArray realCopy = dup.duplicate();
      dup.addi(10);
      System.out.println(
          "duplicate() after src += 10 holds " + Arrays.toString(realCopy.toDoubleArray()));
      // 2. use after free: close the source, collect garbage, allocate; count corrupted "copies"
      int corrupted = 0;
      for (int t = 0; t < tries; t++) {
        double[] v = new double[256];
        Arrays.fill(v, 0.5);
        NDArray kept;
        try (NDArray d = m.create(v, new Shape(256))) {
          kept = d.toType(DataType.FLOAT64, true);
        }
        System.gc();
        for (int k = 0; k < 20; k++) {
          m.create(new double[256]).close(); // new direct buffers, likely to reuse the freed memory
        }
        double[] now = kept.toDoubleArray();
        if (Arrays.stream(now).anyMatch(x -> x != 0.5)) {
          corrupted++;
        }
        kept.close();
      }
      System.out.println(
          "use-after-free: "
              + corrupted
              + "/"
              + tries
              + " arrays made by toType(FLOAT64, true) from a"
              + " closed create(double[]) array changed after GC");
    }
  }
}
