package ghn4j.deepnets;

/**
 * One op name of a DeepNets-1M genotype (e.g. {@code sep_conv_5x5}, {@code conv_7x1_1x7}, {@code
 * msa}) parsed into its kind and kernel size, following ppuda's {@code parse_op_ks}: every {@code
 * AxB} part sets the kernel size to the largest number seen, and a second {@code AxB} part makes
 * the op "double" ({@code conv_7x1_1x7} is {@code conv2} with kernel 7: a 1×7 then a 7×1
 * convolution).
 *
 * @param kind what the op builds
 * @param ks its kernel size (0 for ops without one)
 * @param name the genotype's spelling, kept for messages
 */
public record CellOp(Kind kind, int ks, String name) {

  /** The op kinds of ppuda's {@code OPS} table, by their parsed names. */
  public enum Kind {
    NONE("none"),
    SKIP_CONNECT("skip_connect"),
    AVG_POOL("avg_pool"),
    MAX_POOL("max_pool"),
    CONV("conv"),
    SEP_CONV("sep_conv"),
    DIL_CONV("dil_conv"),
    CONV2("conv2"),
    CONV_STRIDE("conv_stride"),
    MSA("msa"),
    CSE("cse");

    private final String refName;

    Kind(String refName) {
      this.refName = refName;
    }

    /** ppuda's parsed op name, e.g. {@code conv2}. */
    public String refName() {
      return refName;
    }
  }

  /** Parses a genotype op name; an unknown name is an error that names it. */
  public static CellOp parse(String opName) {
    if (opName == null || opName.isEmpty()) {
      throw new IllegalArgumentException("empty op name in genotype");
    }
    int ks = 0;
    boolean isDouble = false;
    StringBuilder base = new StringBuilder();
    for (String part : opName.split("_", -1)) {
      String[] dims = part.split("x", -1);
      boolean validKs = false;
      if (dims.length == 2) {
        if (ks > 0) {
          isDouble = true;
        }
        for (String d : dims) {
          try {
            ks = Math.max(ks, Integer.parseInt(d));
            validKs = true;
          } catch (NumberFormatException e) {
            // not a number: ppuda ignores this half
          }
        }
      }
      if (!validKs) {
        if (base.length() > 0) {
          base.append('_');
        }
        base.append(part);
      }
    }
    if (isDouble) {
      base.append('2');
    }
    String parsed = base.toString();
    for (Kind k : Kind.values()) {
      if (k.refName.equals(parsed)) {
        if (needsKernel(k) && ks <= 0) {
          throw new IllegalArgumentException(
              "op '" + opName + "' needs a kernel size such as _3x3");
        }
        return new CellOp(k, ks, opName);
      }
    }
    throw new IllegalArgumentException(
        "unknown op '"
            + opName
            + "' in genotype (parsed as '"
            + parsed
            + "'); known: none, skip_connect, "
            + "avg_pool_KxK, max_pool_KxK, conv_KxK, sep_conv_KxK, dil_conv_KxK, conv_Kx1_1xK, conv_stride_KxK, msa, cse");
  }

  private static boolean needsKernel(Kind k) {
    return switch (k) {
      case AVG_POOL, MAX_POOL, CONV, SEP_CONV, DIL_CONV, CONV2, CONV_STRIDE -> true;
      default -> false;
    };
  }
}
