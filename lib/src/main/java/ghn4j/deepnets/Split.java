package ghn4j.deepnets;

import java.util.List;
import java.util.Locale;

/**
 * The DeepNets-1M splits and their generator settings, exactly as ppuda's {@code
 * experiments/net_generator.py} sets them, plus ghn4j's own seeds and default sizes.
 *
 * <table>
 *   <caption>Settings per split (ppuda's values; {@code deepLayers}: a net with more cells than this threshold is "deep"
 *   and gets at most {@code mediumSteps} steps and always global pooling)</caption>
 *   <tr><th>split</th><th>N</th><th>cells</th><th>deepLayers</th><th>steps</th><th>max params</th><th>norm</th></tr>
 *   <tr><td>train</td><td>1,000,000</td><td>4–18</td><td>7–10</td><td>1–4 (1–2 if deep)</td><td>10M</td>
 *       <td>BN, or none (½) for ≤ 5 cells and ≤ 2 steps</td></tr>
 *   <tr><td>val, test</td><td>500</td><td colspan="5">as train</td></tr>
 *   <tr><td>wide</td><td>100</td><td colspan="4">as train</td><td>as train; C ×4 at evaluation</td></tr>
 *   <tr><td>bnfree</td><td>100</td><td colspan="4">as train</td><td>none, always</td></tr>
 *   <tr><td>deep</td><td>100</td><td>10–36</td><td>18</td><td>1–4 (1–2 if deep)</td><td>100M</td><td>as train</td></tr>
 *   <tr><td>dense</td><td>100</td><td>4–18</td><td>7–10</td><td>2–10 (2–6 if deep)</td><td>100M</td><td>as train</td></tr>
 *   <tr><td>search</td><td>100,000</td><td>6–20</td><td>10</td><td>1–6 (1–3 if deep)</td><td>10M</td>
 *       <td>BN, always; own 1×1-preprocessing rule</td></tr>
 * </table>
 *
 * <p>Deliberate difference from ppuda: ppuda seeds val with 0 and every other split with 1, so its
 * first test (and wide, bnfree) nets are its first train nets. Each ghn4j split has its own seed
 * ({@link #seed()}), and the train generator skips every net whose {@link NetKey} occurs in an
 * evaluation split ({@link SplitGenerator}).
 */
public enum Split {
  TRAIN(Settings.standard(1_000_000, 0x7261696EL).build()),
  VAL(Settings.standard(500, 0x76616CL).build()),
  TEST(Settings.standard(500, 0x74657374L).build()),
  WIDE(Settings.standard(100, 0x77696465L).withWidthFactor(4).build()),
  DEEP(
      Settings.standard(100, 0x64656570L)
          .withLayers(10, List.of(18), 36)
          .withMaxParams(100_000_000L)
          .build()),
  DENSE(
      Settings.standard(100, 0x64656E7365L)
          .withSteps(2, 6, 10)
          .withMaxParams(100_000_000L)
          .build()),
  BNFREE(Settings.standard(100, 0x626E66726565L).withNorm(NormRule.NONE).build()),
  SEARCH(
      Settings.standard(100_000, 0x736561726368L)
          .withSteps(1, 3, 6)
          .withLayers(6, List.of(10), 20)
          .withNorm(NormRule.ALWAYS_BN)
          .withSearchPreproc()
          .build());

  /** How a split chooses the normalisation of a net. */
  public enum NormRule {
    /**
     * BN, except nets with ≤ minLayers+1 cells and ≤ mediumSteps steps get BN or none with
     * probability ½ each.
     */
    BN_OR_NONE_FOR_SHALLOW,
    /** Never any normalisation (the BN-free split). */
    NONE,
    /** Always BN (the search split). */
    ALWAYS_BN
  }

  /**
   * The generator settings of a split (ppuda's local variables in {@code net_generator.py}).
   *
   * @param defaultCount number of nets in the published split (train: 10⁶; search: ours, ppuda
   *     takes it from the CLI)
   * @param seed ghn4j's default seed of the split
   * @param minSteps fewest steps (sum nodes) per cell
   * @param mediumSteps most steps of a net deeper than its {@code deepLayers} threshold
   * @param maxSteps most steps otherwise
   * @param minLayers fewest cells
   * @param deepLayers thresholds, one drawn per net, above which a net counts as deep
   * @param maxLayers most cells
   * @param maxParams a net with more parameters (C=32, CIFAR-10 or ImageNet stem) is rejected
   * @param norm the normalisation rule
   * @param searchPreproc use the search split's 1×1-preprocessing rule
   * @param widthFactor evaluation C multiplier (4 for wide)
   */
  public record Settings(
      int defaultCount,
      long seed,
      int minSteps,
      int mediumSteps,
      int maxSteps,
      int minLayers,
      List<Integer> deepLayers,
      int maxLayers,
      long maxParams,
      NormRule norm,
      boolean searchPreproc,
      int widthFactor) {

    public Settings {
      deepLayers = List.copyOf(deepLayers);
    }

    /** ppuda's train settings with {@code count} nets and {@code seed}, to adjust per split. */
    static Builder standard(int count, long seed) {
      return new Builder(count, seed);
    }

    /** Builds a split's settings from the train split's (the enum constants above). */
    static final class Builder {
      private final int defaultCount;
      private final long seed;
      private int minSteps = 1;
      private int mediumSteps = 2;
      private int maxSteps = 4;
      private int minLayers = 4;
      private List<Integer> deepLayers = List.of(7, 8, 9, 10);
      private int maxLayers = 18;
      private long maxParams = 10_000_000L;
      private NormRule norm = NormRule.BN_OR_NONE_FOR_SHALLOW;
      private boolean searchPreproc;
      private int widthFactor = 1;

      private Builder(int defaultCount, long seed) {
        this.defaultCount = defaultCount;
        this.seed = seed;
      }

      Builder withSteps(int min, int medium, int max) {
        minSteps = min;
        mediumSteps = medium;
        maxSteps = max;
        return this;
      }

      Builder withLayers(int min, List<Integer> deep, int max) {
        minLayers = min;
        deepLayers = deep;
        maxLayers = max;
        return this;
      }

      Builder withMaxParams(long max) {
        maxParams = max;
        return this;
      }

      Builder withNorm(NormRule rule) {
        norm = rule;
        return this;
      }

      Builder withSearchPreproc() {
        searchPreproc = true;
        return this;
      }

      Builder withWidthFactor(int factor) {
        widthFactor = factor;
        return this;
      }

      Settings build() {
        return new Settings(
            defaultCount,
            seed,
            minSteps,
            mediumSteps,
            maxSteps,
            minLayers,
            deepLayers,
            maxLayers,
            maxParams,
            norm,
            searchPreproc,
            widthFactor);
      }
    }

    /** The same settings with another seed. */
    public Settings withSeed(long newSeed) {
      return new Settings(
          defaultCount,
          newSeed,
          minSteps,
          mediumSteps,
          maxSteps,
          minLayers,
          deepLayers,
          maxLayers,
          maxParams,
          norm,
          searchPreproc,
          widthFactor);
    }
  }

  private final Settings settings;

  Split(Settings settings) {
    this.settings = settings;
  }

  /** This split's generator settings. */
  public Settings settings() {
    return settings;
  }

  /** ghn4j's default seed of this split (distinct per split). */
  public long seed() {
    return settings.seed();
  }

  /** The split's name as ppuda and the files use it ({@code train}, {@code bnfree}, ...). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * True for the evaluation splits (val, test, wide, deep, dense, bnfree): never seen in training.
   */
  public boolean isEvaluation() {
    return this != TRAIN && this != SEARCH;
  }

  /** The evaluation splits, in ppuda's order. */
  public static List<Split> evaluationSplits() {
    return List.of(VAL, TEST, WIDE, DEEP, DENSE, BNFREE);
  }

  /** The split named {@code id} (case-insensitive); the error lists the valid names. */
  public static Split of(String id) {
    for (Split s : values()) {
      if (s.id().equalsIgnoreCase(id.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown split '"
            + id
            + "': expected one of train, val, test, wide, deep, dense, bnfree, search");
  }
}
