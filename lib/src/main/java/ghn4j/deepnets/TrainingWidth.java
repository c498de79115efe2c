package ghn4j.deepnets;

import java.util.random.RandomGenerator;

/**
 * The width C and classifier width fc_dim of a training net, re-drawn every time the net is used in
 * meta-training, as ppuda's {@code DeepNets1M.__getitem__} does for the train split (defaults
 * {@code num_ch=(32, 128)}, {@code fc_dim=(64, 512)}: C ∈ {32, 48, ..., 128}, fc_dim ∈ {64, 128,
 * ..., 512}).
 *
 * <p>First fc_dim is drawn from the 4 smallest values; then C: the smallest C when the net (at C =
 * 32) has more than 0.8 M parameters, has a VGG-style head, any {@code conv_5x5}/{@code conv_7x7},
 * or more than 12 cells; else one of the 2 smallest when > 0.4 M or > 10 cells; else one of the 3
 * smallest when > 0.2 M or > 8 cells; else any C, and when that C is at most 64, fc_dim is re-drawn
 * from all values.
 */
public final class TrainingWidth {

  /** The drawn widths. */
  public record Width(int C, int fcDim) {}

  private final int[] channels;
  private final int[] fcDims;

  /** ppuda's defaults: C in 32..128 step 16, fc_dim in 64..512 step 64. */
  public TrainingWidth() {
    this(32, 128, 64, 512);
  }

  /**
   * C in {@code [minC, maxC]} step 16 and fc_dim in {@code [minFc, maxFc]} step 64, as ppuda's
   * ranges.
   */
  public TrainingWidth(int minC, int maxC, int minFc, int maxFc) {
    this.channels = range(minC, maxC, 16);
    this.fcDims = range(minFc, maxFc, 64);
  }

  /**
   * Draws the widths of a training net.
   *
   * @param args the net as stored (only genotype, cells and the head type matter)
   * @param numParams its parameter count at C = 32 (CIFAR-10, or ImageNet when training on large
   *     images), as stored
   */
  public Width sample(RandomGenerator rng, NetArgs args, long numParams) {
    double millions = numParams / 1e6;
    Genotype g = args.genotype();
    boolean convDense =
        NetSampler.countOps(g.normal(), "conv_5x5")
                + NetSampler.countOps(g.normal(), "conv_7x7")
                + NetSampler.countOps(g.reduce(), "conv_5x5")
                + NetSampler.countOps(g.reduce(), "conv_7x7")
            > 0;
    int fc = pick(rng, fcDims, 4);
    int c;
    if (millions > 0.8 || !args.globAvg() || convDense || args.nCells() > 12) {
      c = channels[0];
    } else if (millions > 0.4 || args.nCells() > 10) {
      c = pick(rng, channels, 2);
    } else if (millions > 0.2 || args.nCells() > 8) {
      c = pick(rng, channels, 3);
    } else {
      c = pick(rng, channels, channels.length);
      if (c <= 64) {
        fc = pick(rng, fcDims, fcDims.length);
      }
    }
    return new Width(c, fc);
  }

  /** {@code args} with the drawn widths applied. */
  public NetArgs apply(RandomGenerator rng, NetArgs args, long numParams) {
    Width w = sample(rng, args, numParams);
    return args.withC(w.C()).withFcDim(w.fcDim());
  }

  private static int pick(RandomGenerator rng, int[] values, int firstN) {
    return values[rng.nextInt(Math.min(firstN, values.length))];
  }

  private static int[] range(int from, int toInclusive, int step) {
    if (from <= 0 || toInclusive < from) {
      throw new IllegalArgumentException("empty width range [" + from + ", " + toInclusive + "]");
    }
    int[] r = new int[(toInclusive - from) / step + 1];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i * step;
    }
    return r;
  }
}
