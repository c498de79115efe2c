package ghn4j.deepnets;

import java.util.Locale;

/**
 * The normalisation layer of a DeepNets-1M net, from ppuda's {@code norm} argument: none (the
 * BN-free split), BatchNorm with batch statistics ({@code "bn"}, {@code "bnorm"}: ppuda tests
 * {@code norm.startswith('bn')}), or BatchNorm that tracks running statistics ({@code "bn-track"}).
 */
public enum Norm {
  NONE,
  BATCH_NORM,
  BATCH_NORM_TRACKED;

  /**
   * The layer named by ppuda's {@code norm} value: null, empty or {@code "none"}: none; a name
   * starting with "bn": BatchNorm, tracking running statistics when the name contains "track".
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Norm of(String ppudaName) {
    if (ppudaName == null || ppudaName.isEmpty() || ppudaName.equals("none")) {
      return NONE;
    }
    if (ppudaName.startsWith("bn")) {
      return ppudaName.contains("track") ? BATCH_NORM_TRACKED : BATCH_NORM;
    }
    throw new IllegalArgumentException(
        "norm '" + ppudaName + "' is not supported (expected bn, bnorm, bn-track or " + "none)");
  }

  /** Whether the net has BatchNorm layers. */
  public boolean batchNorm() {
    return this != NONE;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
