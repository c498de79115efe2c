package ghn4j.deepnets;

/**
 * One 2-d convolution of a network under construction, named as its weight: channels, kernel,
 * stride, padding, dilation and groups, built DJL-style ({@code ConvSpec.builder(name, cIn,
 * cOut).setKernel(3).optStride(2).build()}) instead of twelve positional ints. Unset: stride 1,
 * padding 0, dilation 1, groups 1.
 */
record ConvSpec(
    String name,
    int cIn,
    int cOut,
    int kh,
    int kw,
    int sh,
    int sw,
    int ph,
    int pw,
    int dilation,
    int groups) {

  /** A builder for the convolution {@code name} from {@code cIn} to {@code cOut} channels. */
  static Builder builder(String name, int cIn, int cOut) {
    return new Builder(name, cIn, cOut);
  }

  /** Collects the convolution's settings; {@link #setKernel} is required. */
  static final class Builder {
    private final String name;
    private final int cIn;
    private final int cOut;
    private int kh = -1;
    private int kw = -1;
    private int sh = 1;
    private int sw = 1;
    private int ph;
    private int pw;
    private int dilation = 1;
    private int groups = 1;

    private Builder(String name, int cIn, int cOut) {
      this.name = name;
      this.cIn = cIn;
      this.cOut = cOut;
    }

    /** A square kernel. */
    Builder setKernel(int k) {
      return setKernel(k, k);
    }

    /** A kernel of {@code h} rows and {@code w} columns. */
    Builder setKernel(int h, int w) {
      kh = h;
      kw = w;
      return this;
    }

    Builder optStride(int s) {
      return optStride(s, s);
    }

    Builder optStride(int h, int w) {
      sh = h;
      sw = w;
      return this;
    }

    Builder optPadding(int p) {
      return optPadding(p, p);
    }

    Builder optPadding(int h, int w) {
      ph = h;
      pw = w;
      return this;
    }

    Builder optDilation(int d) {
      dilation = d;
      return this;
    }

    Builder optGroups(int g) {
      groups = g;
      return this;
    }

    ConvSpec build() {
      if (kh < 1 || kw < 1) {
        throw new IllegalStateException(name + ": convolution without a kernel size");
      }
      return new ConvSpec(name, cIn, cOut, kh, kw, sh, sw, ph, pw, dilation, groups);
    }
  }
}
