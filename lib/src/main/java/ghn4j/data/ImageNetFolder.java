package ghn4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An ImageNet-style ImageFolder — {@code <root>/train/<class>/*} and {@code <root>/val/<class>/*}
 * (or {@code test/}), images of any size, any number of classes; a directory or a .tar/.tar.gz of
 * one — read with ppuda's ImageNet transforms at a chosen image size {@code s} (ppuda: 224). Test
 * images are resized to shorter side {@code s·256/224} and centre-cropped to {@code s} when decoded
 * ({@link ResizeCrop#imagenetTest}). Training images are stored as their central square at {@code
 * s·256/224} and get a random resized crop to {@code s} and a flip per batch ({@link
 * Augmentation#imagenetTrain}); without augmentation they are decoded as test images.
 *
 * <p>What fits: every split is decoded into memory, at most 2 GiB each — about 14,000 images at 224
 * (or 10,900 training images stored at 256²); the full ImageNet training set (1.28 M images, about
 * 250 GB at 256²) does not. Use per-class subsets (n-shot training, a few test images per class) or
 * a small image size; streaming from disk is not implemented.
 */
public final class ImageNetFolder {

  private static final long TEST_ORDER_SEED =
      1111; // ppuda's loader seed; our generator is Java's, not torch's

  private final Path root;
  private final int imageSize;

  private ImageNetFolder(Path root, int imageSize) {
    this.root = root;
    this.imageSize = imageSize;
  }

  /**
   * The folder at {@code root} (a directory or .tar/.tar.gz) read at {@code imageSize}; nothing is
   * read yet.
   *
   * @throws IOException when root does not exist or is neither a directory nor a tar archive
   */
  public static ImageNetFolder open(Path root, int imageSize) throws IOException {
    if (imageSize <= 0) {
      throw new IllegalArgumentException("image size must be > 0, got " + imageSize);
    }
    if (!Files.isDirectory(root) && !(Files.isRegularFile(root) && TarReader.isTarName(root))) {
      throw new IOException(
          "image folder " + root + " is neither a directory nor a .tar/.tar.gz archive");
    }
    return new ImageNetFolder(root, imageSize);
  }

  /** The side of the square images the networks see. */
  public int imageSize() {
    return imageSize;
  }

  /** The test split's name: "val" (ImageNet's) when the folder has one, else "test". */
  public String testSplit() throws IOException {
    if (Files.isDirectory(root)) {
      return Files.isDirectory(root.resolve("val")) ? "val" : "test";
    }
    return ImageFolder.scanArchiveSplits(root).contains("val") ? "val" : "test";
  }

  /** The class folders of the test split, sorted (for an archive this reads it). */
  public List<String> classes() throws IOException {
    return ImageFolder.classes(root, testSplit());
  }

  /**
   * The training images: {@code perClass} per class drawn by {@code seed} as {@link
   * ImageSet#stratified} (0 = all), stored for a random resized crop when {@code augment}, else
   * centre-cropped as test images.
   */
  public ImageSet train(int perClass, long seed, boolean augment) throws IOException {
    ResizeCrop t =
        augment ? ResizeCrop.imagenetTrainStorage(imageSize) : ResizeCrop.imagenetTest(imageSize);
    return read("train", t, perClass, seed);
  }

  /**
   * The test images ({@link #testSplit}), resized and centre-cropped; {@code perClass} as in {@link
   * #train}.
   */
  public ImageSet test(int perClass, long seed) throws IOException {
    return read(testSplit(), ResizeCrop.imagenetTest(imageSize), perClass, seed);
  }

  /**
   * The {@link Dataset} of images read from this folder (either may be null), with the ImageNet
   * transforms. The test images are put in a fixed shuffled order: a folder lists them class by
   * class, and evaluation with batch-statistics BatchNorm (predicted parameters) would otherwise
   * normalise single-class batches; ppuda shuffles ImageNet's validation loader with a seeded
   * generator for the same reason.
   */
  public Dataset dataset(ImageSet train, ImageSet test, boolean augment) {
    return new Dataset(
        "ImageFolder " + root,
        train,
        test == null ? null : test.shuffled(TEST_ORDER_SEED),
        augment ? Augmentation.imagenetTrain(imageSize) : Augmentation.imagenetTest(),
        Normalization.imagenet(),
        true);
  }

  private ImageSet read(String split, ResizeCrop t, int perClass, long seed) throws IOException {
    if (Files.isDirectory(root)) {
      return ImageFolder.read(root.resolve(split), t, perClass, seed);
    }
    return ImageFolder.readArchive(root, split, t, perClass, seed);
  }

  @Override
  public String toString() {
    return "ImageNetFolder[" + root + ", size " + imageSize + "]";
  }
}
