package ghn4j.graph;

import java.util.Locale;

/**
 * The 15 node types a GHN distinguishes (ppuda's {@code PRIMITIVES_DEEPNETS1M}); the ordinal is the
 * id the GHN's op embedding uses, so the order must never change.
 */
public enum Primitive {
  MAX_POOL,
  AVG_POOL,
  SEP_CONV,
  DIL_CONV,
  CONV,
  MSA,
  CSE,
  SUM,
  CONCAT,
  INPUT,
  BIAS,
  BN,
  LN,
  POS_ENC,
  GLOB_AVG;

  /** The reference name, e.g. {@code "sep_conv"}. */
  public String refName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a reference name such as {@code "glob_avg"}; the error lists the known names. */
  public static Primitive of(String refName) {
    for (Primitive p : values()) {
      if (p.refName().equals(refName)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown primitive '"
            + refName
            + "'; expected one of "
            + java.util.Arrays.toString(refNames()));
  }

  private static String[] refNames() {
    Primitive[] v = values();
    String[] names = new String[v.length];
    for (int i = 0; i < v.length; i++) {
      names[i] = v[i].refName();
    }
    return names;
  }
}
