package ghn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CMYK and YCCK JPEGs decode to the pixels PIL's {@code convert("RGB")} gives (torchvision's
 * loader, what ppuda sees): the fixtures and their PIL conversions are written by {@code
 * torchvision_transforms.py} next to them.
 */
class ImageDecoderTest {

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/ghn4j/data/" + name)) {
      return in.readAllBytes();
    }
  }

  private static void decodesAsPil(String jpeg, String chw) throws IOException {
    byte[] expected = resource(chw);
    List<ImageDecoder.Encoded> one = List.of(new ImageDecoder.Encoded(jpeg, resource(jpeg)));
    byte[] fixedSize = ImageDecoder.decodeAll(one, 16, 16, n -> {});
    assertArrayEquals(expected, fixedSize, jpeg);
    // the any-size path (ImageNet folders): a resize to the same size keeps the pixels
    byte[] anySize = ImageDecoder.decodeAll(one, new ResizeCrop(16, 16), n -> {});
    assertArrayEquals(expected, anySize, jpeg);
  }

  @Test
  void cmykJpegDecodesAsPilConvertsIt() throws IOException {
    decodesAsPil("cmyk_blocks.jpg", "cmyk_blocks.chw");
  }

  @Test
  void ycckJpegDecodesAsPilConvertsIt() throws IOException {
    decodesAsPil("ycck_blocks.jpg", "ycck_blocks.chw");
  }

  @Test
  void conversionRoundsAsPillow() {
    // Pillow's cmyk2rgb: nk - MULDIV255(c, nk), nk = 255 - k; worked by hand: c=10, k=40 -> 215 - 8
    // = 207
    var cmyk =
        new java.awt.image.BufferedImage(
            new java.awt.image.ComponentColorModel(
                new CmykSpace(),
                false,
                false,
                java.awt.Transparency.OPAQUE,
                java.awt.image.DataBuffer.TYPE_BYTE),
            java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 1, 1, 4, null),
            false,
            null);
    cmyk.getRaster().setPixel(0, 0, new int[] {10, 20, 30, 40});
    assertEquals(0xCFC6BE, ImageDecoder.cmykToRgb(cmyk).getRGB(0, 0) & 0xFFFFFF); // (207, 198, 190)
  }

  /** A stand-in CMYK colour space: only its type matters to the conversion. */
  private static final class CmykSpace extends java.awt.color.ColorSpace {
    CmykSpace() {
      super(TYPE_CMYK, 4);
    }

    @Override
    public float[] toRGB(float[] v) {
      return new float[3];
    }

    @Override
    public float[] fromRGB(float[] v) {
      return new float[4];
    }

    @Override
    public float[] toCIEXYZ(float[] v) {
      return new float[3];
    }

    @Override
    public float[] fromCIEXYZ(float[] v) {
      return new float[4];
    }
  }
}
