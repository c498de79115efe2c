package ghn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Arrays built from Java numbers keep their values after the Java buffers they were made from are
 * freed and reused. With the old idiom ({@code create(v).toType(FLOAT64, true)}, then close) these
 * checks failed in about half of the tries (see {@link Tensors} and {@code ToTypeAliasRepro}).
 */
class TensorsTest {

  /**
   * Frees unreachable direct buffers and allocates new ones, which tend to land in the freed
   * memory.
   */
  private static void churn(NDManager m) {
    System.gc();
    for (int k = 0; k < 20; k++) {
      m.create(new double[256]).close();
    }
  }

  @Test
  void fromDoublesOwnsItsMemoryInEveryType() {
    double[] v = new double[256];
    Arrays.fill(v, 0.5);
    try (NDManager m = NDManager.newBaseManager()) {
      for (DataType t : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
        for (int i = 0; i < 30; i++) {
          try (NDArray a = Tensors.fromDoubles(m, v, new Shape(16, 16), t)) {
            churn(m);
            assertArrayEquals(
                v, a.toType(DataType.FLOAT64, false).toDoubleArray(), t + " try " + i);
          }
        }
      }
    }
  }

  @Test
  void float64ParametersKeepTheirValues() {
    var g = GraphExecutorTest.tiny();
    try (NDManager m = NDManager.newBaseManager()) {
      for (int i = 0; i < 10; i++) {
        Map<String, NDArray> p = ParamInit.torchvision(g, 5, m, DataType.FLOAT64);
        double[] before = p.get("c1.weight").toDoubleArray();
        churn(m);
        assertArrayEquals(
            before, p.get("c1.weight").toDoubleArray(), "c1.weight changed, try " + i);
        p.values().forEach(NDArray::close);
      }
    }
  }
}
