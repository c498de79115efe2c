package ghn4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes encoded images (JPEG, PNG, BMP, GIF via javax.imageio) into uint8 CHW RGB pixels, in
 * parallel on all cores; CMYK/YCCK JPEGs are converted to RGB as PIL does. One decoder instance
 * holds its own ImageIO readers and is used by one thread at a time.
 */
final class ImageDecoder implements AutoCloseable {

  /** An encoded image and the name to report when it is bad (a file path or archive entry). */
  record Encoded(String name, byte[] bytes) {}

  /** Decoded image size. */
  record Size(int height, int width) {}

  private ImageReader jpeg;
  private ImageReader png;

  /** True for file names with an extension we decode (case-insensitive). */
  static boolean isImageName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg")
        || n.endsWith(".jpeg")
        || n.endsWith(".png")
        || n.endsWith(".bmp")
        || n.endsWith(".gif");
  }

  /** The size of an encoded image (decodes it). */
  static Size sizeOf(Encoded e) throws IOException {
    try (ImageDecoder d = new ImageDecoder()) {
      BufferedImage img = d.decodeImage(e);
      return new Size(img.getHeight(), img.getWidth());
    }
  }

  /**
   * Decodes all {@code images} into one array of {@code images.size() * 3 * height * width} bytes
   * (CHW per image), on all cores. Every image must be RGB (or palette/RGBA, converted as PIL's
   * convert("RGB") does) of exactly height×width.
   *
   * @throws IOException naming the first bad image (not decodable, wrong size, not colour)
   */
  static byte[] decodeAll(List<Encoded> images, int height, int width, IntConsumer progress)
      throws IOException {
    return decodeAll(
        images,
        3 * height * width,
        (d, e, dst, offset) -> d.decodeInto(e, height, width, dst, offset),
        progress);
  }

  /**
   * Decodes all {@code images}, of any size, through {@code transform} into one array of {@code
   * images.size() * 3 * crop * crop} bytes (CHW per image), on all cores. Grayscale images are
   * replicated to RGB as PIL's convert("RGB") does (ImageNet has some); palette/RGBA images are
   * converted as in {@link #decodeAll(List, int, int, IntConsumer)}.
   *
   * @throws IOException naming the first bad image (not decodable, neither colour nor 8-bit grey)
   */
  static byte[] decodeAll(List<Encoded> images, ResizeCrop transform, IntConsumer progress)
      throws IOException {
    return decodeAll(
        images,
        3 * transform.crop() * transform.crop(),
        (d, e, dst, offset) -> d.decodeInto(e, transform, dst, offset),
        progress);
  }

  /** Decodes one image into {@code dst} at {@code offset}. */
  @FunctionalInterface
  private interface Into {
    void decode(ImageDecoder decoder, Encoded image, byte[] dst, int offset) throws IOException;
  }

  private static byte[] decodeAll(List<Encoded> images, int per, Into into, IntConsumer progress)
      throws IOException {
    byte[] out = new byte[Math.multiplyExact(images.size(), per)];
    int chunk = 512;
    int chunks = (images.size() + chunk - 1) / chunk;
    AtomicInteger done = new AtomicInteger();
    try {
      IntStream.range(0, chunks)
          .parallel()
          .forEach(
              c -> {
                try (ImageDecoder d = new ImageDecoder()) {
                  int end = Math.min(images.size(), (c + 1) * chunk);
                  for (int i = c * chunk; i < end; i++) {
                    into.decode(d, images.get(i), out, i * per);
                  }
                  progress.accept(done.addAndGet(end - c * chunk));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  /** Decodes one image into {@code dst} at {@code offset} as CHW RGB. */
  void decodeInto(Encoded e, int height, int width, byte[] dst, int offset) throws IOException {
    BufferedImage img = decodeImage(e);
    if (img.getHeight() != height || img.getWidth() != width) {
      throw new IOException(
          e.name()
              + ": image is "
              + img.getWidth()
              + "x"
              + img.getHeight()
              + ", expected "
              + width
              + "x"
              + height
              + " (all images of a set must have the same size; give a ResizeCrop to resize)");
    }
    if (img.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_RGB) {
      throw new IOException(
          e.name()
              + ": image is not RGB (colour space type "
              + img.getColorModel().getColorSpace().getType()
              + ", e.g. grayscale); convert it to RGB");
    }
    toChw(img, dst, offset);
  }

  /**
   * Decodes one image of any size, resizes and centre-crops it by {@code t} into {@code dst} at
   * {@code offset}.
   */
  void decodeInto(Encoded e, ResizeCrop t, byte[] dst, int offset) throws IOException {
    BufferedImage img = decodeImage(e);
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] chw = new byte[3 * h * w];
    int space = img.getColorModel().getColorSpace().getType();
    if (space == ColorSpace.TYPE_GRAY
        && img.getColorModel().getNumComponents() == 1
        && img.getSampleModel().getSampleSize(0) == 8) {
      // grey replicated to R = G = B, as PIL's convert("RGB"); getRGB would apply a gamma
      // conversion instead
      int plane = h * w;
      int[] v = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
      for (int p = 0; p < plane; p++) {
        byte b = (byte) v[p];
        chw[p] = b;
        chw[plane + p] = b;
        chw[2 * plane + p] = b;
      }
    } else if (space == ColorSpace.TYPE_RGB) {
      toChw(img, chw, 0);
    } else {
      throw new IOException(
          e.name()
              + ": image is neither RGB, CMYK nor 8-bit grey (colour space type "
              + space
              + "); convert it to RGB");
    }
    byte[] out = t.apply(chw, 3, h, w);
    System.arraycopy(out, 0, dst, offset, out.length);
  }

  /** The RGB image's pixels as CHW bytes into {@code dst} at {@code offset}. */
  private static void toChw(BufferedImage img, byte[] dst, int offset) {
    int height = img.getHeight();
    int width = img.getWidth();
    int plane = height * width;
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR
        && img.getRaster().getDataBuffer() instanceof DataBufferByte buf
        && buf.getNumBanks() == 1
        && buf.getData().length == plane * 3) {
      byte[] bgr = buf.getData();
      for (int p = 0; p < plane; p++) {
        dst[offset + p] = bgr[3 * p + 2];
        dst[offset + plane + p] = bgr[3 * p + 1];
        dst[offset + 2 * plane + p] = bgr[3 * p];
      }
      return;
    }
    // Other layouts (PNG RGB/RGBA/palette, BMP, ...): via ARGB; alpha is dropped as in PIL's
    // convert("RGB").
    int[] argb = img.getRGB(0, 0, width, height, null, 0, width);
    for (int p = 0; p < plane; p++) {
      int v = argb[p];
      dst[offset + p] = (byte) (v >> 16);
      dst[offset + plane + p] = (byte) (v >> 8);
      dst[offset + 2 * plane + p] = (byte) v;
    }
  }

  BufferedImage decodeImage(Encoded e) throws IOException {
    byte[] b = e.bytes();
    ImageReader reader = null;
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
      if (jpeg == null) {
        jpeg = reader("jpeg");
      }
      reader = jpeg;
    } else if (b.length >= 8
        && (b[0] & 0xFF) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G') {
      if (png == null) {
        png = reader("png");
      }
      reader = png;
    }
    try {
      if (reader == null) { // other formats: let ImageIO find a reader
        BufferedImage img =
            ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(b)));
        if (img == null) {
          throw new IOException("not a JPEG/PNG/BMP/GIF image (" + b.length + " bytes)");
        }
        return img;
      }
      List<String> warnings = new java.util.ArrayList<>();
      javax.imageio.event.IIOReadWarningListener listener =
          (source, warning) -> warnings.add(warning);
      reader.addIIOReadWarningListener(listener);
      try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(b))) {
        reader.setInput(in, true, true);
        BufferedImage img = reader.read(0);
        if (!warnings.isEmpty()) {
          // e.g. "Premature end of JPEG file": the decoder fills in grey and carries on; we reject
          // the file.
          throw new IOException(e.name() + ": corrupt image: " + String.join("; ", warnings));
        }
        return isCmyk(img) ? cmykToRgb(img) : img;
      } finally {
        reader.removeIIOReadWarningListener(listener);
        reader.setInput(null);
      }
    } catch (IOException | RuntimeException ex) {
      String msg = ex.getMessage();
      if (msg != null && msg.startsWith(e.name())) {
        throw ex;
      }
      throw new IOException(
          e.name() + ": cannot decode image: " + (msg == null ? ex.toString() : msg), ex);
    }
  }

  /**
   * JDK 17's JPEG reader gives CMYK and YCCK JPEGs as 8-bit CMYK samples (YCCK converted, Adobe
   * inversion undone).
   */
  private static boolean isCmyk(BufferedImage img) {
    return img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK
        && img.getRaster().getNumBands() == 4
        && img.getSampleModel().getSampleSize(0) == 8;
  }

  /**
   * CMYK samples to RGB as PIL's {@code convert("RGB")} does (what torchvision's loader gives
   * ppuda): {@code R = nk - c·nk/255} with {@code nk = 255 - k}, rounded as Pillow's MULDIV255. An
   * embedded ICC profile is ignored, as PIL does.
   */
  static BufferedImage cmykToRgb(BufferedImage cmyk) {
    int w = cmyk.getWidth();
    int h = cmyk.getHeight();
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    int[] px = cmyk.getRaster().getPixels(0, 0, w, h, (int[]) null);
    byte[] bgr = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < w * h; p++) {
      int nk = 255 - px[4 * p + 3];
      for (int c = 0; c < 3; c++) {
        int tmp = px[4 * p + c] * nk + 128;
        bgr[3 * p + 2 - c] =
            (byte) (nk - (((tmp >> 8) + tmp) >> 8)); // in 0..255: no clipping needed
      }
    }
    return rgb;
  }

  private static ImageReader reader(String format) throws IOException {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
    if (!it.hasNext()) {
      throw new IOException("no javax.imageio reader for " + format);
    }
    return it.next();
  }

  @Override
  public void close() {
    if (jpeg != null) {
      jpeg.dispose();
    }
    if (png != null) {
      png.dispose();
    }
  }
}
