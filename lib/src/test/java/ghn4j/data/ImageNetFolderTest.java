package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ghn4j.data.Resampler.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ImageNet-style folder of arbitrary-size images decoded with the ImageNet transforms at image
 * size 64.
 */
class ImageNetFolderTest {

  private static final int SIZE = 64;
  private static final int STORED = 73; // 64 * 256 / 224

  @TempDir Path tmp;
  private Path root;

  @BeforeEach
  void tree() throws IOException {
    root = tmp.resolve("imagenet");
    ImageNetTree.write(root);
  }

  @Test
  void anySizeDecodesToTheCropSizeWithTheFolderClasses() throws IOException {
    ImageNetFolder f = ImageNetFolder.open(root, SIZE);
    assertEquals("val", f.testSplit());
    assertEquals(ImageNetTree.CLASSES, f.classes());
    ImageSet test = f.test(0, 0);
    assertEquals(6, test.size());
    assertEquals(3, test.classes().size());
    assertEquals(SIZE, test.height());
    assertEquals(SIZE, test.width());
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, test.labels());
    ImageSet stored = f.train(0, 0, true);
    assertEquals(12, stored.size());
    assertEquals(STORED, stored.height());
    assertEquals(STORED, stored.width());
    ImageSet plain = f.train(0, 0, false);
    assertEquals(SIZE, plain.height());
    Dataset d = f.dataset(stored, test, true);
    assertEquals(3, d.numClasses());
    // test images in a fixed mixed order (batch-statistics BatchNorm must not see single-class
    // batches)
    int[] order = d.test().labels();
    assertFalse(Arrays.equals(test.labels(), order), Arrays.toString(order));
    assertArrayEquals(test.labels(), Arrays.stream(order).sorted().toArray());
    assertArrayEquals(order, f.dataset(null, test, true).test().labels());
    assertTrue(d.largeInput());
    assertEquals(SIZE, d.trainAugmentation().resizedCrop().size());
  }

  @Test
  void centreCropKeepsTheMiddleOfTheImage() throws IOException {
    // the PNG validation image is 146x73: shorter side 73 already, so the resize is the identity
    // and the 64x64 crop
    // starts at row round(4.5) = 4 (half to even) and column 41
    ImageSet test = ImageNetFolder.open(root, SIZE).test(0, 0);
    for (int c = 0; c < 3; c++) {
      byte[] src = ImageNetTree.valPng(c);
      byte[] got = test.pixels(2 * c);
      for (int ch = 0; ch < 3; ch++) {
        for (int y = 0; y < SIZE; y++) {
          for (int x = 0; x < SIZE; x++) {
            assertEquals(
                src[(ch * 73 + y + 4) * 146 + x + 41],
                got[(ch * SIZE + y) * SIZE + x],
                "class " + c + " channel " + ch + " y " + y + " x " + x);
          }
        }
      }
    }
  }

  @Test
  void perClassSubsetReadsWhatStratifiedWouldKeep() throws IOException {
    ImageNetFolder f = ImageNetFolder.open(root, SIZE);
    ImageSet all = f.train(0, 0, true).stratified(2, 7);
    ImageSet some = f.train(2, 7, true);
    assertEquals(6, some.size());
    assertArrayEquals(all.labels(), some.labels());
    for (int i = 0; i < some.size(); i++) {
      assertArrayEquals(all.pixels(i), some.pixels(i), "image " + i);
    }
    IOException e = assertThrows(IOException.class, () -> f.train(5, 0, true));
    assertTrue(
        e.getMessage().contains(ImageNetTree.CLASSES.get(0)) && e.getMessage().contains("5"),
        e.getMessage());
  }

  @Test
  void greyImagesBecomeRgbWithEqualChannels() throws IOException {
    ImageSet train = ImageNetFolder.open(root, SIZE).train(0, 0, false);
    byte[] px = train.pixels(4 + 2); // class 1, image 2
    int plane = SIZE * SIZE;
    assertArrayEquals(Arrays.copyOfRange(px, 0, plane), Arrays.copyOfRange(px, plane, 2 * plane));
    assertArrayEquals(
        Arrays.copyOfRange(px, 0, plane), Arrays.copyOfRange(px, 2 * plane, 3 * plane));
    byte[] colour = train.pixels(0);
    assertFalse(
        Arrays.equals(
            Arrays.copyOfRange(colour, 0, plane), Arrays.copyOfRange(colour, plane, 2 * plane)));
  }

  @Test
  void truncatedImageIsAnErrorNamingTheFile() throws IOException {
    Path victim = root.resolve("val").resolve(ImageNetTree.CLASSES.get(2)).resolve("val_1.JPEG");
    byte[] jpeg = Files.readAllBytes(victim);
    Files.write(victim, Arrays.copyOf(jpeg, jpeg.length / 2));
    IOException e =
        assertThrows(IOException.class, () -> ImageNetFolder.open(root, SIZE).test(0, 0));
    assertTrue(
        e.getMessage().contains(victim.toString()) && e.getMessage().contains("corrupt"),
        e.getMessage());
  }

  @Test
  void cmykImageIsDecodedAsPilConvertsIt() throws IOException {
    Path cmyk = root.resolve("val").resolve(ImageNetTree.CLASSES.get(0)).resolve("val_9.JPEG");
    try (var in = ImageNetFolderTest.class.getResourceAsStream("/ghn4j/data/cmyk.jpg")) {
      Files.write(cmyk, in.readAllBytes());
    }
    ImageSet test = ImageNetFolder.open(root, SIZE).test(0, 0);
    assertEquals(7, test.size());
    // cmyk.jpg is one colour, CMYK (10, 20, 30, 40); PIL's convert("RGB") of it is (207, 198, 190)
    // everywhere
    int plane = SIZE * SIZE;
    byte[] expected = new byte[3 * plane];
    for (int c = 0; c < 3; c++) {
      Arrays.fill(expected, c * plane, (c + 1) * plane, (byte) new int[] {207, 198, 190}[c]);
    }
    long matches =
        java.util.stream.IntStream.range(0, test.size())
            .filter(i -> Arrays.equals(expected, test.pixels(i)))
            .count();
    assertEquals(1, matches);
  }

  @Test
  void archiveGivesTheSameImages() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    Path tgz = tmp.resolve("imagenet.tar.gz");
    TestData.writeTarGz(tgz, files);
    ImageSet fromDir = ImageNetFolder.open(root, SIZE).test(0, 0);
    ImageNetFolder archive = ImageNetFolder.open(tgz, SIZE);
    assertEquals(ImageNetTree.CLASSES, archive.classes());
    ImageSet fromTar = archive.test(0, 0);
    for (int i = 0; i < fromDir.size(); i++) {
      assertArrayEquals(fromDir.pixels(i), fromTar.pixels(i), "image " + i);
    }
  }

  @Test
  void randomResizedCropBatchesAreDeterministicPerSeed() throws IOException {
    ImageSet train = ImageNetFolder.open(root, SIZE).train(0, 0, true);
    Augmentation aug = Augmentation.imagenetTrain(SIZE);
    Batch a = new BatchLoader(train, 4, aug, true, false, 3).batch(1, 2);
    Batch b = new BatchLoader(train, 4, aug, true, false, 3).batch(1, 2);
    Batch other = new BatchLoader(train, 4, aug, true, false, 4).batch(1, 2);
    assertArrayEquals(new long[] {4, 3, SIZE, SIZE}, a.shape());
    assertArrayEquals(a.images(), b.images());
    assertArrayEquals(a.labels(), b.labels());
    assertFalse(Arrays.equals(a.images(), other.images()));
    // ImageNet normalisation: a pixel value v maps to (v/255 - 0.485)/0.229 in channel 0, so values
    // stay in range
    for (float v : a.images()) {
      assertTrue(
          v >= (0 - 0.485f) / 0.229f - 1e-5 && v <= (1 - 0.406f) / 0.225f + 1e-5, "value " + v);
    }
  }

  @Test
  void randomResizedCropBoxesFollowTorchvisionsRanges() {
    RandomResizedCrop rrc = RandomResizedCrop.imagenet(SIZE);
    SplittableRandom rng = new SplittableRandom(11);
    double minArea = 1;
    double maxArea = 0;
    for (int i = 0; i < 2000; i++) {
      Box b = rrc.draw(STORED, STORED, rng);
      assertTrue(b.within(STORED, STORED), b.toString());
      double area = (double) b.height() * b.width() / (STORED * STORED);
      double ratio = (double) b.width() / b.height();
      // rounding the sides to whole pixels moves area and ratio a little past the drawn values
      assertTrue(area >= 0.08 * 0.9 && area <= 1, "area " + area);
      assertTrue(ratio >= 0.75 * 0.9 && ratio <= 4.0 / 3 * 1.1, "ratio " + ratio);
      minArea = Math.min(minArea, area);
      maxArea = Math.max(maxArea, area);
    }
    assertTrue(minArea < 0.1 && maxArea > 0.9, minArea + " .. " + maxArea);
    // a 10x1000 strip never fits a box of ratio <= 4/3 with area >= 8 %: the fallback is the
    // centred 10x13 box
    assertEquals(new Box(0, 493, 10, 13), rrc.draw(10, 1000, new SplittableRandom(1)));
  }
}
