package ghn4j.deepnets;

import java.util.List;

/**
 * Named architectures of ppuda's DeepNets-1M code (ppuda/deepnets1m/genotypes.py, loader.py,
 * examples/): the DARTS, PDARTS and ViT genotypes, the networks ppuda builds from them, and the
 * {@code predefined} split.
 */
public final class Presets {

  private Presets() {}

  /** DARTS (V2) cell of Liu et al., as in ppuda's {@code genotypes.DARTS}. */
  public static final Genotype DARTS =
      new Genotype(
          List.of(
              e("sep_conv_3x3", 0),
              e("sep_conv_3x3", 1),
              e("sep_conv_3x3", 0),
              e("sep_conv_3x3", 1),
              e("sep_conv_3x3", 1),
              e("skip_connect", 0),
              e("skip_connect", 0),
              e("dil_conv_3x3", 2)),
          List.of(2, 3, 4, 5),
          List.of(
              e("max_pool_3x3", 0),
              e("max_pool_3x3", 1),
              e("skip_connect", 2),
              e("max_pool_3x3", 1),
              e("max_pool_3x3", 0),
              e("skip_connect", 2),
              e("skip_connect", 2),
              e("max_pool_3x3", 1)),
          List.of(2, 3, 4, 5));

  /** PDARTS cell, as in ppuda's {@code genotypes.PDARTS}. */
  public static final Genotype PDARTS =
      new Genotype(
          List.of(
              e("skip_connect", 0),
              e("dil_conv_3x3", 1),
              e("skip_connect", 0),
              e("sep_conv_3x3", 1),
              e("sep_conv_3x3", 1),
              e("sep_conv_3x3", 3),
              e("sep_conv_3x3", 0),
              e("dil_conv_5x5", 4)),
          List.of(2, 3, 4, 5),
          List.of(
              e("avg_pool_3x3", 0),
              e("sep_conv_5x5", 1),
              e("sep_conv_3x3", 0),
              e("dil_conv_5x5", 2),
              e("max_pool_3x3", 0),
              e("dil_conv_3x3", 1),
              e("dil_conv_3x3", 1),
              e("dil_conv_5x5", 3)),
          List.of(2, 3, 4, 5));

  /**
   * ppuda's ViT as a cell genotype: a normal cell is one transformer block on the previous cell's
   * output (the {@code none} op drops the other input), a "reduction" cell an average pooling
   * (stride 1 in a ViT).
   */
  public static final Genotype VIT =
      new Genotype(
          List.of(e("none", 0), e("msa", 1)), List.of(2),
          List.of(e("none", 0), e("avg_pool_3x3", 1)), List.of(2));

  /**
   * ppuda's {@code predefined} split (DeepNets1M._get_predefined): torchvision's ResNet-50 and the
   * ViT.
   */
  public static final List<String> PREDEFINED = List.of("resnet50", "ViT");

  /**
   * A network with ppuda's {@code Network} defaults for every other argument: ks 3, no stem pool,
   * simple stem, {@code is_vit} from the genotype, norm {@code bn-track}, preprocessing, C_mult 2,
   * one classifier layer, global average pooling.
   */
  public static NetArgs network(
      int c, int numClasses, Genotype genotype, int nCells, boolean imagenetInput) {
    return new NetArgs(
        c,
        numClasses,
        genotype,
        nCells,
        3,
        imagenetInput,
        false,
        0,
        null,
        "bn-track",
        true,
        2,
        0,
        0,
        true);
  }

  /**
   * The ViT of ppuda's predefined split and examples/vit.py: C 128, 12 cells, no preprocessing,
   * C_mult 1 (1,012,234 parameters for 10 classes on 32×32 inputs).
   */
  public static NetArgs vit(int numClasses, boolean imagenetInput) {
    return new NetArgs(
        128,
        numClasses,
        VIT,
        12,
        3,
        imagenetInput,
        false,
        0,
        null,
        "bn-track",
        false,
        1,
        0,
        0,
        true);
  }

  /**
   * DARTS as ppuda's examples/darts.py builds it: C 36 and 20 cells with the simple stem for
   * CIFAR-10, C 48 and 14 cells with the ImageNet-style stem for ImageNet; norm {@code bn-track}.
   */
  public static NetArgs darts(int numClasses, boolean imagenetInput) {
    return cellNet(DARTS, numClasses, imagenetInput);
  }

  /** PDARTS with the same configuration as {@link #darts}. */
  public static NetArgs pdarts(int numClasses, boolean imagenetInput) {
    return cellNet(PDARTS, numClasses, imagenetInput);
  }

  private static NetArgs cellNet(Genotype g, int numClasses, boolean imagenet) {
    return new NetArgs(
        imagenet ? 48 : 36,
        numClasses,
        g,
        imagenet ? 14 : 20,
        3,
        imagenet,
        false,
        imagenet ? 1 : 0,
        null,
        "bn-track",
        true,
        2,
        0,
        0,
        true);
  }

  private static Genotype.Edge e(String op, int input) {
    return new Genotype.Edge(op, input);
  }
}
