package ghn4j.spark;

import ghn4j.data.Cifar10;
import ghn4j.data.Dataset;
import ghn4j.data.ImageNetFolder;
import ghn4j.data.ImageSet;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which test images a per-net job reads, as a value a Spark task can carry: the prepared CIFAR-10
 * cache of {@code dataDir} or an ImageNet-style {@code imageFolder} at {@code imageSize}, and a
 * stratified subset of about {@code images} images (0 = all). The same choice as the single-JVM
 * commands' {@code --data-dir}, {@code --image-folder}, {@code --image-size} and {@code --images},
 * so executors read exactly the images the single-JVM run reads.
 *
 * @param dataDir data directory holding {@code cifar10/}; null = {@link Cifar10#defaultDataDir()}
 * @param imageFolder ImageNet-style folder or archive; null = CIFAR-10
 */
public record TestImages(String dataDir, String imageFolder, int imageSize, int images)
    implements Serializable {

  /** Loads the test images (no training images) the way {@code ./ghn4j eval} does. */
  public Dataset load() throws IOException {
    if (imageFolder == null) {
      Cifar10 cifar = Cifar10.load(dataDir != null ? Path.of(dataDir) : Cifar10.defaultDataDir());
      ImageSet test =
          images > 0
              ? cifar.test().stratified(perClass(images, cifar.classes().size()), 0)
              : cifar.test();
      return Dataset.cifar10(null, test, false);
    }
    ImageNetFolder folder = ImageNetFolder.open(Path.of(imageFolder), imageSize);
    ImageSet test = folder.test(images > 0 ? perClass(images, folder.classes().size()) : 0, 0);
    return folder.dataset(null, test, false);
  }

  private static int perClass(int images, int classes) {
    return Math.max(1, images / classes);
  }
}
