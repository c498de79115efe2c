package ghn4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class FilterGridTest {

  @Test
  void rgbFiltersStretchedPerFilter() {
    // two 3x1x1 filters: the first (r, g, b) = (-1, 0, 1), the second constant
    float[] w = {-1f, 0f, 1f, 5f, 5f, 5f};
    BufferedImage img = FilterGrid.of(w, 2, 3, 1, 1, 1, 2, 2);
    assertEquals(2 * 3 + 1, img.getWidth());
    assertEquals(1 * 2 + 1 + 1, img.getHeight());
    int rgb = img.getRGB(1, 1) & 0xFFFFFF;
    assertEquals(0x0080FF, rgb, Integer.toHexString(rgb));
    assertEquals(
        0x000000, img.getRGB(4, 1) & 0xFFFFFF, "a constant filter is drawn at its minimum");
    assertEquals(0xFFFFFF, img.getRGB(0, 0) & 0xFFFFFF, "border");
  }

  @Test
  void fromNdArrayAndShapeChecks() {
    try (NDManager m = NDManager.newBaseManager()) {
      BufferedImage img = FilterGrid.of(m.randomNormal(new Shape(16, 3, 3, 3)), 2, 4, 4);
      assertEquals(4 * (3 * 4 + 1) + 1, img.getWidth());
      assertEquals(2 * (3 * 4 + 1) + 1, img.getHeight());
      assertThrows(
          IllegalArgumentException.class, () -> FilterGrid.of(m.ones(new Shape(3, 3)), 1, 1, 1));
    }
    assertThrows(
        IllegalArgumentException.class, () -> FilterGrid.of(new float[5], 1, 1, 2, 2, 1, 1, 1));
  }
}
