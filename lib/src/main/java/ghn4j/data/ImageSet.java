package ghn4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An immutable, indexable set of same-sized images stored as uint8 CHW pixels with int labels and
 * class names: what the CIFAR-10 cache and {@link ImageFolder} give, and what training/evaluation
 * turn into {@link NDArray} batches. Subsets ({@link #subset}, {@link #stratified}) are cheap views
 * that share the pixels.
 *
 * <p>One unit (~420 lines): the value type with its views ({@link #subset}, {@link #stratified},
 * shuffles) and its conversions to batches.
 */
public final class ImageSet {

  // CIFAR-10 statistics (torchvision/ppuda): per-channel mean and std of the training set, RGB
  // order.
  private static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
  private static final float[] STD = {0.2470f, 0.2435f, 0.2616f};
  private static final int SCALE = 3;

  // Base storage: CHW uint8 per image, image k at k * imageBytes; a heap array or the memory-mapped
  // cache file. Only
  // absolute get() is used, so views and threads can share it.
  private final ByteBuffer pixels;
  private final int[] labels; // base labels
  private final int[] index; // view -> base image; null means identity over [0, size)
  private final int size;
  private final int channels;
  private final int height;
  private final int width;
  private final List<String> classes;

  /** Takes ownership of the arrays (callers inside the package pass fresh arrays). */
  ImageSet(byte[] pixels, int[] labels, List<String> classes, int channels, int height, int width) {
    this(ByteBuffer.wrap(pixels), labels, classes, channels, height, width);
  }

  /**
   * Takes ownership of the labels; {@code pixels} (positions 0..capacity) must not change
   * afterwards.
   */
  ImageSet(
      ByteBuffer pixels, int[] labels, List<String> classes, int channels, int height, int width) {
    this(
        pixels.asReadOnlyBuffer(),
        labels,
        null,
        labels.length,
        List.copyOf(classes),
        channels,
        height,
        width);
    long expected = (long) labels.length * channels * height * width;
    if (pixels.capacity() != expected) {
      throw new IllegalArgumentException(
          "pixels hold "
              + pixels.capacity()
              + " bytes, expected "
              + expected
              + " for "
              + labels.length
              + " images of "
              + channels
              + "x"
              + height
              + "x"
              + width);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes.size()) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of image " + i + " is outside [0, " + classes.size() + ")");
      }
    }
  }

  private ImageSet(
      ByteBuffer pixels,
      int[] labels,
      int[] index,
      int size,
      List<String> classes,
      int channels,
      int height,
      int width) {
    this.pixels = pixels;
    this.labels = labels;
    this.index = index;
    this.size = size;
    this.classes = classes;
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  /**
   * An image set from uint8 CHW pixels ({@code labels.length * channels * height * width} bytes,
   * image after image) and labels indexing {@code classes}. The arrays are copied.
   */
  public static ImageSet of(
      byte[] pixels, int[] labels, List<String> classes, int channels, int height, int width) {
    return new ImageSet(
        ByteBuffer.wrap(pixels.clone()), labels.clone(), classes, channels, height, width);
  }

  /** Number of images. */
  public int size() {
    return size;
  }

  /** Channels per image (3 for RGB). */
  public int channels() {
    return channels;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Class names; a label is an index into this list. */
  public List<String> classes() {
    return classes;
  }

  /** The label (class index) of image {@code i}. */
  public int label(int i) {
    return labels[base(i)];
  }

  /** All labels, in order (a copy). */
  public int[] labels() {
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = labels[base(i)];
    }
    return out;
  }

  /** The uint8 CHW pixels of image {@code i} (a copy; values 0..255 as unsigned bytes). */
  public byte[] pixels(int i) {
    byte[] out = new byte[imageBytes()];
    pixels.get(base(i) * imageBytes(), out);
    return out;
  }

  /** Image {@code i} as an RGB {@link BufferedImage} (grayscale when the set has one channel). */
  public BufferedImage image(int i) {
    int plane = height * width;
    byte[] px = pixels(i);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[plane];
    for (int p = 0; p < plane; p++) {
      int r = px[p] & 0xFF;
      int g = channels >= 3 ? px[plane + p] & 0xFF : r;
      int b = channels >= 3 ? px[2 * plane + p] & 0xFF : r;
      rgb[p] = (r << 16) | (g << 8) | b;
    }
    img.setRGB(0, 0, width, height, rgb, 0, width);
    return img;
  }

  /**
   * A {@code rows × cols} contact sheet of images drawn at random (by {@code seed}, without
   * repetition when the set is large enough), each scaled ×3 with its class name underneath: for
   * looking at the data in a notebook.
   */
  public BufferedImage grid(int rows, int cols, long seed) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("grid needs rows, cols > 0, got " + rows + "x" + cols);
    }
    if (size == 0) {
      throw new IllegalStateException("grid of an empty image set");
    }
    int n = rows * cols;
    int[] order = permutation(size, new Random(seed));
    int cellW = width * SCALE;
    int cellH = height * SCALE;
    int label = 14;
    int gap = 4;
    BufferedImage out =
        new BufferedImage(
            cols * (cellW + gap) + gap,
            rows * (cellH + label + gap) + gap,
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      FontMetrics fm = g.getFontMetrics();
      for (int k = 0; k < n; k++) {
        int i = order[k % size];
        int x = gap + (k % cols) * (cellW + gap);
        int y = gap + (k / cols) * (cellH + label + gap);
        g.drawImage(image(i), x, y, cellW, cellH, null);
        String name = classes.get(label(i));
        g.setColor(Color.BLACK);
        g.drawString(
            name, x + Math.max(0, (cellW - fm.stringWidth(name)) / 2), y + cellH + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * The images at {@code indices} (positions in this set, repeats allowed), as a view sharing the
   * pixels.
   */
  public ImageSet subset(int[] indices) {
    int[] map = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      map[k] = base(indices[k]);
    }
    return new ImageSet(pixels, labels, map, map.length, classes, channels, height, width);
  }

  /** All images in a fixed random order drawn by {@code seed}, as a view sharing the pixels. */
  public ImageSet shuffled(long seed) {
    return subset(permutation(size, new Random(seed)));
  }

  /**
   * An n-shot subset: {@code perClass} images of every class, drawn at random by {@code seed}, in
   * this set's order. For a fixed seed the draws are nested: the 5-per-class subset is contained in
   * the 10-per-class one.
   *
   * @throws IllegalArgumentException when a class has fewer than {@code perClass} images
   */
  public ImageSet stratified(int perClass, long seed) {
    List<int[]> byClass = indicesByClass();
    List<Integer> chosen = new ArrayList<>();
    for (int c = 0; c < byClass.size(); c++) {
      int[] members = byClass.get(c);
      requireEnough(c, members.length, perClass);
      for (int k : stratifiedPositions(members.length, perClass, seed, c)) {
        chosen.add(members[k]);
      }
    }
    return subset(chosen.stream().mapToInt(Integer::intValue).sorted().toArray());
  }

  /**
   * Which {@code perClass} of the {@code members} images of class {@code c} {@link #stratified}
   * keeps (positions within the class, ascending); {@link ImageFolder} uses it to pick the same
   * images before decoding them.
   */
  static int[] stratifiedPositions(int members, int perClass, long seed, int c) {
    // One generator per class, derived from the seed, so the draw of a class does not depend on
    // perClass.
    int[] order = permutation(members, new Random(seed * 1_000_003L + c));
    int[] out = java.util.Arrays.copyOf(order, perClass);
    java.util.Arrays.sort(out);
    return out;
  }

  /**
   * The first {@code perClass} images of every class, in this set's order (deterministic, no seed).
   */
  public ImageSet firstPerClass(int perClass) {
    List<int[]> byClass = indicesByClass();
    List<Integer> chosen = new ArrayList<>();
    for (int c = 0; c < byClass.size(); c++) {
      int[] members = byClass.get(c);
      requireEnough(c, members.length, perClass);
      for (int k = 0; k < perClass; k++) {
        chosen.add(members[k]);
      }
    }
    return subset(chosen.stream().mapToInt(Integer::intValue).sorted().toArray());
  }

  /** All images as float32 [n, C, H, W] (see {@link #toNDArray(NDManager, int[], boolean)}). */
  public NDArray toNDArray(NDManager manager, boolean normalize) {
    return toNDArray(manager, null, normalize);
  }

  /**
   * The images at {@code indices} (all when null) as float32 [n, C, H, W] in {@code manager}:
   * pixels scaled to [0, 1] and, when {@code normalize}, standardised per channel with the CIFAR-10
   * mean (0.4914, 0.4822, 0.4465) and std (0.2470, 0.2435, 0.2616) — computed in float32 in the
   * same order as torchvision's ToTensor + Normalize.
   */
  public NDArray toNDArray(NDManager manager, int[] indices, boolean normalize) {
    int n = indices == null ? size : indices.length;
    int plane = height * width;
    int per = imageBytes();
    float[] data = new float[Math.multiplyExact(n, per)];
    byte[] px = new byte[per];
    float[] lut = new float[channels * 256];
    for (int c = 0; c < channels; c++) {
      for (int v = 0; v < 256; v++) {
        float x = (float) v / 255f;
        lut[c * 256 + v] = normalize && c < MEAN.length ? (x - MEAN[c]) / STD[c] : x;
      }
    }
    for (int k = 0; k < n; k++) {
      pixels.get(base(indices == null ? k : indices[k]) * per, px);
      int dst = k * per;
      for (int c = 0; c < channels; c++) {
        int o = c * 256;
        int s = c * plane;
        int d = dst + c * plane;
        for (int p = 0; p < plane; p++) {
          data[d + p] = lut[o + (px[s + p] & 0xFF)];
        }
      }
    }
    return manager.create(data, new Shape(n, channels, height, width));
  }

  /** The labels at {@code indices} (all when null) as int64 [n] in {@code manager}. */
  public NDArray labels(NDManager manager, int[] indices) {
    int n = indices == null ? size : indices.length;
    long[] out = new long[n];
    for (int k = 0; k < n; k++) {
      out[k] = labels[base(indices == null ? k : indices[k])];
    }
    return manager.create(out, new Shape(n));
  }

  @Override
  public String toString() {
    return "ImageSet["
        + size
        + " images "
        + channels
        + "x"
        + height
        + "x"
        + width
        + ", "
        + classes.size()
        + " classes]";
  }

  int imageBytes() {
    return channels * height * width;
  }

  /**
   * Copies the CHW bytes of image {@code i} into {@code dst} at {@code offset} (for the cache
   * writer).
   */
  void copyPixels(int i, byte[] dst, int offset) {
    pixels.get(base(i) * imageBytes(), dst, offset, imageBytes());
  }

  private int base(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("image index " + i + " outside [0, " + size + ")");
    }
    return index == null ? i : index[i];
  }

  private List<int[]> indicesByClass() {
    int[] counts = new int[classes.size()];
    for (int i = 0; i < size; i++) {
      counts[label(i)]++;
    }
    List<int[]> out = new ArrayList<>();
    int[] fill = new int[classes.size()];
    for (int c = 0; c < classes.size(); c++) {
      out.add(new int[counts[c]]);
    }
    for (int i = 0; i < size; i++) {
      int c = label(i);
      out.get(c)[fill[c]++] = i;
    }
    return out;
  }

  private void requireEnough(int c, int have, int perClass) {
    if (perClass < 0) {
      throw new IllegalArgumentException("perClass must be >= 0, got " + perClass);
    }
    if (have < perClass) {
      throw new IllegalArgumentException(
          "class '"
              + classes.get(c)
              + "' has "
              + have
              + " images, fewer than the "
              + perClass
              + " asked for");
    }
  }

  private static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
