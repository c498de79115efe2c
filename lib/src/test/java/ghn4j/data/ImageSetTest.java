package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageSetTest {

  private static final List<String> CLASSES = List.of("a", "b", "c");

  /** 30 images of 3×4×5; image i has label i % 3 and pixel p = (i * 7 + p) mod 256. */
  private static ImageSet sample() {
    int n = 30;
    int per = 3 * 4 * 5;
    byte[] px = new byte[n * per];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (int p = 0; p < per; p++) {
        px[i * per + p] = (byte) (i * 7 + p);
      }
    }
    return ImageSet.of(px, labels, CLASSES, 3, 4, 5);
  }

  @Test
  void basicAccessors() {
    ImageSet s = sample();
    assertEquals(30, s.size());
    assertEquals(2, s.label(5));
    assertEquals(CLASSES, s.classes());
    assertEquals((byte) (11 * 7 + 59), s.pixels(11)[59]);
    assertThrows(IndexOutOfBoundsException.class, () -> s.label(30));
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageSet.of(new byte[10], new int[] {0}, CLASSES, 3, 4, 5));
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageSet.of(new byte[60], new int[] {3}, CLASSES, 3, 4, 5));
  }

  @Test
  void ofCopiesItsInput() {
    byte[] px = new byte[60];
    int[] labels = {1};
    ImageSet s = ImageSet.of(px, labels, CLASSES, 3, 4, 5);
    px[0] = 9;
    labels[0] = 2;
    assertEquals(0, s.pixels(0)[0]);
    assertEquals(1, s.label(0));
    s.pixels(0)[0] = 5;
    assertEquals(0, s.pixels(0)[0]);
  }

  @Test
  void imageIsRgbOfTheChwPlanes() {
    ImageSet s = sample();
    BufferedImage img = s.image(2);
    assertEquals(5, img.getWidth());
    assertEquals(4, img.getHeight());
    int x = 3;
    int y = 2;
    int p = y * 5 + x;
    int rgb = img.getRGB(x, y) & 0xFFFFFF;
    assertEquals(
        ((2 * 7 + p) & 0xFF) << 16 | ((2 * 7 + 20 + p) & 0xFF) << 8 | ((2 * 7 + 40 + p) & 0xFF),
        rgb);
  }

  @Test
  void subsetsAreViews() {
    ImageSet s = sample();
    ImageSet sub = s.subset(new int[] {4, 4, 29});
    assertEquals(3, sub.size());
    assertArrayEquals(s.pixels(29), sub.pixels(2));
    ImageSet subsub = sub.subset(new int[] {2});
    assertEquals(s.label(29), subsub.label(0));
    assertArrayEquals(s.pixels(29), subsub.pixels(0));
    assertThrows(IndexOutOfBoundsException.class, () -> s.subset(new int[] {30}));
  }

  @Test
  void stratifiedIsBalancedSeededAndNested() {
    ImageSet s = sample();
    ImageSet five = s.stratified(5, 42);
    assertEquals(15, five.size());
    int[] counts = new int[3];
    for (int l : five.labels()) {
      counts[l]++;
    }
    assertArrayEquals(new int[] {5, 5, 5}, counts);
    assertArrayEquals(ids(five), ids(s.stratified(5, 42)));
    assertNotEquals(Arrays.toString(ids(five)), Arrays.toString(ids(s.stratified(5, 43))));
    Set<Integer> ten = new HashSet<>();
    for (int id : ids(s.stratified(8, 42))) {
      ten.add(id);
    }
    for (int id : ids(five)) {
      assertTrue(ten.contains(id), "5-shot image " + id + " not in the 8-shot subset");
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.stratified(11, 1));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
  }

  @Test
  void firstPerClassTakesTheFirstImagesInOrder() {
    ImageSet first = sample().firstPerClass(2);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, ids(first));
  }

  /** Original image ids of a subset of sample(), recovered from the first pixel. */
  private static int[] ids(ImageSet sub) {
    int[] out = new int[sub.size()];
    for (int i = 0; i < sub.size(); i++) {
      out[i] = Math.floorMod(sub.pixels(i)[0], 256) / 7;
    }
    return out;
  }

  @Test
  void toNDArrayScalesAndNormalises() {
    ImageSet s = sample();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray raw = s.toNDArray(m, new int[] {3, 1}, false);
      assertArrayEquals(new long[] {2, 3, 4, 5}, raw.getShape().getShape());
      assertEquals(DataType.FLOAT32, raw.getDataType());
      float[] r = raw.toFloatArray();
      assertEquals(((3 * 7 + 21) & 0xFF) / 255f, r[21], 0f);
      assertEquals(((1 * 7 + 0) & 0xFF) / 255f, r[60], 0f);

      float[] n = s.toNDArray(m, new int[] {3}, true).toFloatArray();
      float[] mean = {0.4914f, 0.4822f, 0.4465f};
      float[] std = {0.2470f, 0.2435f, 0.2616f};
      for (int p = 0; p < 60; p++) {
        int c = p / 20;
        assertEquals((((3 * 7 + p) & 0xFF) / 255f - mean[c]) / std[c], n[p], 0f, "value " + p);
      }
      assertEquals(30, s.toNDArray(m, true).getShape().get(0));

      NDArray labels = s.labels(m, new int[] {4, 5});
      assertEquals(DataType.INT64, labels.getDataType());
      assertArrayEquals(new long[] {1, 2}, labels.toLongArray());
      assertEquals(30, s.labels(m, null).size());
    }
  }

  @Test
  void gridHasRowsTimesColsLabelledCells() {
    ImageSet s = sample();
    BufferedImage g = s.grid(2, 3, 7);
    assertEquals(3 * (5 * 3 + 4) + 4, g.getWidth());
    assertEquals(2 * (4 * 3 + 14 + 4) + 4, g.getHeight());
    // the same seed draws the same images
    BufferedImage h = s.grid(2, 3, 7);
    assertArrayEquals(
        g.getRGB(0, 0, g.getWidth(), g.getHeight(), null, 0, g.getWidth()),
        h.getRGB(0, 0, h.getWidth(), h.getHeight(), null, 0, h.getWidth()));
    assertThrows(IllegalArgumentException.class, () -> s.grid(0, 1, 1));
  }
}
