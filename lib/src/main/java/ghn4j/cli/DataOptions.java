package ghn4j.cli;

import ghn4j.data.Cifar10;
import ghn4j.data.Dataset;
import ghn4j.data.ImageNetFolder;
import ghn4j.data.ImageSet;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which images a command reads (a picocli mixin): the prepared CIFAR-10 cache in {@code
 * --data-dir}, or an ImageNet-style folder ({@code --image-folder}) of images of any size and any
 * number of classes, read at {@code --image-size} with ppuda's ImageNet transforms ({@link
 * ImageNetFolder}).
 */
final class DataOptions {

  @Option(names = "--data-dir", description = "data directory with cifar10/ (default <repo>/data)")
  Path dataDir;

  @Option(
      names = "--image-folder",
      paramLabel = "PATH",
      description =
          "use an ImageNet-style ImageFolder instead of "
              + "CIFAR-10: train/<class>/* and val/<class>/* (or test/), images of any size, any number of classes; a "
              + "directory or a .tar/.tar.gz. Decoded into memory (2 GiB per split: use --shots/--images subsets for ImageNet)")
  Path imageFolder;

  @Option(
      names = "--image-size",
      description =
          "with --image-folder: network input side (ppuda ImageNet: 224); test "
              + "images are resized to size*256/224 and centre-cropped. Other sizes suit nets with global pooling (torchvision "
              + "CNNs, most DeepNets-1M nets), not ViT-style nets or flatten heads, which are built for 224")
  int imageSize = 224;

  /**
   * Loads the data.
   *
   * @param trainPerClass training images per class drawn by {@code seed} (0 = all); negative: no
   *     training images
   * @param testImages a fixed stratified subset of about this many test images (0 = all); negative:
   *     no test images
   * @param augment whether training uses the dataset's random augmentation
   */
  Dataset load(int trainPerClass, long seed, int testImages, boolean augment) throws IOException {
    if (imageFolder == null) {
      Cifar10 cifar = Cifar10.load(dataDir != null ? dataDir : Cifar10.defaultDataDir());
      ImageSet train =
          trainPerClass < 0
              ? null
              : trainPerClass > 0 ? cifar.train().stratified(trainPerClass, seed) : cifar.train();
      ImageSet test =
          testImages < 0
              ? null
              : testImages > 0
                  ? cifar.test().stratified(perClass(testImages, cifar.classes().size()), 0)
                  : cifar.test();
      return Dataset.cifar10(train, test, augment);
    }
    ImageNetFolder folder = ImageNetFolder.open(imageFolder, imageSize);
    ImageSet train = trainPerClass < 0 ? null : folder.train(trainPerClass, seed, augment);
    ImageSet test =
        testImages < 0
            ? null
            : folder.test(testImages > 0 ? perClass(testImages, folder.classes().size()) : 0, 0);
    return folder.dataset(train, test, augment);
  }

  /** About {@code images} images spread over the classes: how many per class (at least 1). */
  int perClass(int images) throws IOException {
    int classes =
        imageFolder == null ? 10 : ImageNetFolder.open(imageFolder, imageSize).classes().size();
    return perClass(images, classes);
  }

  private static int perClass(int images, int classes) {
    return Math.max(1, images / classes);
  }
}
