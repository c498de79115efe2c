package ghn4j.deepnets;

/**
 * The arguments of a DeepNets-1M network (ppuda's {@code Network(...)} keyword arguments), with
 * ppuda's field meanings.
 *
 * @param C width of the first cell
 * @param numClasses classifier outputs
 * @param genotype the cell genotype
 * @param nCells number of cells; reduction cells sit at {@code nCells/3} and {@code 2·nCells/3}
 * @param ks kernel size of the stem's first convolution
 * @param imagenetInput ImageNet stem (224×224 input) rather than the CIFAR-10 stem (32×32)
 * @param stemPool max-pool after the simple stem
 * @param stemType 0: simple stem, 1: ImageNet-style two-part stem
 * @param isVit null: a ViT exactly when the genotype has an {@code msa} op
 * @param norm {@code "bn"}/{@code "bnorm"}/{@code "bn-track"} for BatchNorm, null for none (the
 *     BN-free split)
 * @param preproc 1×1 ReLU-conv-BN preprocessing of the two cell inputs
 * @param cMult channel multiplier at reduction cells
 * @param fcLayers number of linear layers in the classifier
 * @param fcDim hidden width of the classifier
 * @param globAvg global average pooling before the classifier (else a VGG-style flatten)
 */
public record NetArgs(
    int C,
    int numClasses,
    Genotype genotype,
    int nCells,
    int ks,
    boolean imagenetInput,
    boolean stemPool,
    int stemType,
    Boolean isVit,
    String norm,
    boolean preproc,
    int cMult,
    int fcLayers,
    int fcDim,
    boolean globAvg) {

  /** These arguments with another width C. */
  public NetArgs withC(int c) {
    return copy(c, numClasses, imagenetInput, fcDim);
  }

  /** These arguments with another number of classes. */
  public NetArgs withNumClasses(int classes) {
    return copy(C, classes, imagenetInput, fcDim);
  }

  /** These arguments with the ImageNet (224×224) or the CIFAR-10 (32×32) stem. */
  public NetArgs withImagenetInput(boolean imagenet) {
    return copy(C, numClasses, imagenet, fcDim);
  }

  /** These arguments with another classifier hidden width. */
  public NetArgs withFcDim(int dim) {
    return copy(C, numClasses, imagenetInput, dim);
  }

  private NetArgs copy(int c, int classes, boolean imagenet, int dim) {
    return new NetArgs(
        c, classes, genotype, nCells, ks, imagenet, stemPool, stemType, isVit, norm, preproc, cMult,
        fcLayers, dim, globAvg);
  }
}
