package ghn4j.graph;

import java.util.Arrays;

/**
 * One trainable tensor of a network: its PyTorch {@code state_dict} name, its shape, and whether it
 * is a weight (as opposed to a bias), which decides how a GHN decodes and normalises it.
 */
public record ParamSpec(String name, int[] shape, boolean isWeight) {

  public ParamSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("parameter name is empty");
    }
    shape = shape.clone();
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "parameter " + name + " has a non-positive dimension: " + Arrays.toString(shape));
      }
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Number of elements. */
  public long numel() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Dimension {@code i}. */
  public int dim(int i) {
    return shape[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamSpec p
        && p.name.equals(name)
        && Arrays.equals(p.shape, shape)
        && p.isWeight == isWeight;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
