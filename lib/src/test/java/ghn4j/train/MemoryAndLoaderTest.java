package ghn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.data.Augmentation;
import ghn4j.data.Batch;
import ghn4j.data.BatchLoader;
import ghn4j.data.ImageFolder;
import ghn4j.data.ImageSet;
import ghn4j.data.Normalization;
import ghn4j.testing.TinyData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryAndLoaderTest {

  @TempDir Path tmp;

  @Test
  void thirtyStepsLeaveNoGrowingNumberOfArraysInTheTrainersManager() throws Exception {
    ImageSet images = TinyData.images(8, 8, 3);
    try (MetaTrainer t =
        MetaTrainer.start(
            TinyData.tinyConfig(30, 0),
            TinyData.cifar(images),
            TinyData.tinyNets(),
            tmp.resolve("m"))) {
      for (int i = 0; i < 5; i++) {
        t.trainStep();
      }
      int after5 = t.manager().getManagedArrays().size();
      for (int i = 5; i < 30; i++) {
        t.trainStep();
      }
      assertEquals(
          after5, t.manager().getManagedArrays().size(), "arrays left in the base manager");
    }
  }

  @Test
  void batchesAreAPureFunctionOfSeedEpochAndStepAndPrefetchAgrees() {
    ImageSet images = TinyData.images(10, 8, 1);
    BatchLoader a = new BatchLoader(images, 4, Augmentation.cifarTrain(), true, false, 42);
    BatchLoader b = new BatchLoader(images, 4, Augmentation.cifarTrain(), true, false, 42);
    assertEquals(3, a.stepsPerEpoch());
    Batch last = a.batch(1, 2);
    assertEquals(2, last.size(), "last partial batch kept");
    assertArrayEquals(a.batch(4).images(), b.batch(1, 1).images());
    try (BatchLoader.Prefetch p = b.prefetch(3, 6, 2)) {
      for (long s = 3; s < 6; s++) {
        Batch x = p.next();
        assertEquals(s, x.globalStep());
        assertArrayEquals(a.batch(s).images(), x.images());
        assertArrayEquals(a.batch(s).labels(), x.labels());
      }
      assertTrue(!p.hasNext());
    }
    // every epoch is a permutation of all images
    long[] labels = new long[10];
    int k = 0;
    for (int s = 0; s < 3; s++) {
      for (long l : a.batch(0, s).labels()) {
        labels[k++] = l;
      }
    }
    long[] sorted = labels.clone();
    Arrays.sort(sorted);
    assertArrayEquals(new long[] {0, 0, 0, 1, 1, 1, 2, 2, 3, 3}, sorted);
    assertNotEquals(
        Arrays.toString(a.batch(0, 0).images()), Arrays.toString(a.batch(1, 0).images()));
  }

  @Test
  void testTransformIsNormalisationAndCropPadsWithZeroPixels() {
    ImageSet images = TinyData.images(1, 8, 1);
    Normalization n = Normalization.cifar10();
    Batch t = BatchLoader.forTesting(images, 1, n).batch(0, 0);
    byte[] px = images.pixels(0);
    for (int i = 0; i < px.length; i++) {
      int c = i / 64;
      assertEquals(((px[i] & 0xFF) / 255f - n.mean()[c]) / n.std()[c], t.images()[i], 1e-6f);
    }
    // padding 4 on an 8x8 image: some crops show padded zeros, normalised to -mean/std
    float zero0 = (0 - n.mean()[0]) / n.std()[0];
    boolean sawPad = false;
    BatchLoader l = new BatchLoader(images, 1, new Augmentation(4, false, n), true, false, 3);
    for (int s = 0; s < 20 && !sawPad; s++) {
      float[] x = l.batch(s, 0).images();
      sawPad = x[0] == zero0 || x[63] == zero0;
    }
    assertTrue(sawPad);
  }

  @Test
  void imageFolderGoesThroughTheSameLoader() throws Exception {
    for (String cls : new String[] {"cat", "dog"}) {
      Path d = Files.createDirectories(tmp.resolve("train").resolve(cls));
      for (int i = 0; i < 3; i++) {
        BufferedImage img = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
        img.setRGB(i, i, cls.equals("cat") ? 0xFF0000 : 0x00FF00);
        ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
      }
    }
    ImageSet set = ImageFolder.read(tmp, "train");
    BatchLoader l =
        new BatchLoader(
            set, 4, new Augmentation(1, true, Normalization.imagenet()), true, false, 1);
    assertEquals(2, l.stepsPerEpoch());
    assertArrayEquals(new long[] {4, 3, 6, 6}, l.batch(0, 0).shape());
    assertArrayEquals(new long[] {2, 3, 6, 6}, l.batch(0, 1).shape());
  }
}
