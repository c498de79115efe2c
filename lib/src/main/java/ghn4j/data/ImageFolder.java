package ghn4j.data;

import ghn4j.data.ImageDecoder.Encoded;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Reads image datasets in torchvision's ImageFolder layout — {@code <root>/<split>/<class>/<image>}
 * — from a directory or a .tar/.tar.gz archive, with classes sorted by name and images sorted by
 * path as torchvision does. Images are decoded with javax.imageio on all cores into an in-memory
 * {@link ImageSet}. Without a {@link ResizeCrop} every image must have the size of the first
 * (CIFAR-style folders); with one, images of any size are resized and centre-cropped while decoding
 * (ImageNet-style folders). A corrupt, non-RGB or (without a transform) differently sized image is
 * an error naming the file.
 *
 * <p>Memory: the decoded set lives in one array of at most 2 GiB (e.g. 14,000 images at 3×224×224);
 * archives are read whole into memory before decoding. For ImageNet-sized data read a per-class
 * subset ({@code perClass}) of a directory: only the chosen files are read.
 */
public final class ImageFolder {

  private ImageFolder() {}

  /**
   * Reads {@code <root>/<split>} (e.g. split "train"); the image size is that of the first image.
   */
  public static ImageSet read(Path root, String split) throws IOException {
    return read(root.resolve(split));
  }

  /**
   * Reads {@code dir}, whose sub-directories are the classes; the image size is that of the first
   * image.
   */
  public static ImageSet read(Path dir) throws IOException {
    return decode(dir.toString(), scanDirectory(dir), -1, -1, n -> {});
  }

  /**
   * Reads {@code dir} (sub-directories are the classes), images of any size, through {@code
   * transform}.
   *
   * @param perClass read only this many images per class, the ones {@link
   *     ImageSet#stratified}{@code (perClass, seed)} would keep (0 = all); the other files are not
   *     read
   */
  public static ImageSet read(Path dir, ResizeCrop transform, int perClass, long seed)
      throws IOException {
    return decode(dir.toString(), scanDirectory(dir, perClass, seed), transform, n -> {});
  }

  /**
   * Reads split {@code split} (e.g. "train") of an ImageFolder tree stored in a .tar or .tar.gz
   * archive.
   */
  public static ImageSet readArchive(Path archive, String split) throws IOException {
    return decode(archive + "!" + split, archiveSplit(archive, split), -1, -1, n -> {});
  }

  /**
   * As {@link #read(Path, ResizeCrop, int, long)} for split {@code split} of a .tar/.tar.gz
   * archive.
   */
  public static ImageSet readArchive(
      Path archive, String split, ResizeCrop transform, int perClass, long seed)
      throws IOException {
    String where = archive + "!" + split;
    return decode(
        where, select(where, archiveSplit(archive, split), perClass, seed), transform, n -> {});
  }

  /**
   * The class folders of split {@code split} in a directory tree or archive, sorted, without
   * decoding anything.
   */
  public static java.util.List<String> classes(Path root, String split) throws IOException {
    if (Files.isDirectory(root)) {
      return new ArrayList<>(classFiles(root.resolve(split)).keySet());
    }
    return new ArrayList<>(archiveSplit(root, split).keySet());
  }

  /** The split names (train/test/val) an archive holds (reads it). */
  static java.util.Set<String> scanArchiveSplits(Path archive) throws IOException {
    return scanArchive(archive).keySet();
  }

  private static TreeMap<String, List<Encoded>> archiveSplit(Path archive, String split)
      throws IOException {
    Map<String, TreeMap<String, List<Encoded>>> splits = scanArchive(archive);
    TreeMap<String, List<Encoded>> byClass = splits.get(split);
    if (byClass == null) {
      throw new IOException(
          archive
              + ": no '"
              + split
              + "/<class>/<image>' entries (splits found: "
              + splits.keySet()
              + ")");
    }
    return byClass;
  }

  /** Class folder name → images (sorted by path) of one split directory. */
  static TreeMap<String, List<Encoded>> scanDirectory(Path dir) throws IOException {
    return scanDirectory(dir, 0, 0);
  }

  /**
   * As {@link #scanDirectory(Path)}, reading only the files of a per-class subset (perClass 0 =
   * all).
   */
  static TreeMap<String, List<Encoded>> scanDirectory(Path dir, int perClass, long seed)
      throws IOException {
    TreeMap<String, List<Path>> files = select(dir.toString(), classFiles(dir), perClass, seed);
    List<Path> all = files.values().stream().flatMap(List::stream).toList();
    List<byte[]> bytes;
    try {
      bytes =
          all.parallelStream()
              .map(
                  p -> {
                    try {
                      return Files.readAllBytes(p);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    TreeMap<String, List<Encoded>> out = new TreeMap<>();
    int k = 0;
    for (Map.Entry<String, List<Path>> e : files.entrySet()) {
      List<Encoded> list = new ArrayList<>();
      for (Path p : e.getValue()) {
        list.add(new Encoded(p.toString(), bytes.get(k++)));
      }
      out.put(e.getKey(), list);
    }
    return out;
  }

  /**
   * Class folder name → image files of {@code dir}, sorted by path within the class as torchvision
   * does.
   */
  private static TreeMap<String, List<Path>> classFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("image folder " + dir + " does not exist or is not a directory");
    }
    TreeMap<String, List<Path>> files = new TreeMap<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path c : children.filter(Files::isDirectory).toList()) {
        try (Stream<Path> walk = Files.walk(c)) {
          files.put(
              c.getFileName().toString(),
              walk.filter(
                      p ->
                          Files.isRegularFile(p)
                              && ImageDecoder.isImageName(p.getFileName().toString()))
                  .sorted(Comparator.comparing((Path p) -> c.relativize(p).toString()))
                  .toList());
        }
      }
    }
    if (files.isEmpty()) {
      throw new IOException("image folder " + dir + " has no class sub-folders");
    }
    return files;
  }

  /**
   * The per-class subset {@link ImageSet#stratified} would keep, in folder order (perClass 0 =
   * everything).
   */
  private static <T> TreeMap<String, List<T>> select(
      String where, TreeMap<String, List<T>> byClass, int perClass, long seed) throws IOException {
    if (perClass < 0) {
      throw new IllegalArgumentException("perClass must be >= 0, got " + perClass);
    }
    if (perClass == 0) {
      return byClass;
    }
    TreeMap<String, List<T>> out = new TreeMap<>();
    int c = 0;
    for (Map.Entry<String, List<T>> e : byClass.entrySet()) {
      List<T> members = e.getValue();
      if (members.size() < perClass) {
        throw new IOException(
            where
                + ": class folder '"
                + e.getKey()
                + "' has "
                + members.size()
                + " images, fewer than the "
                + perClass
                + " per class asked for");
      }
      List<T> chosen = new ArrayList<>(perClass);
      for (int k : ImageSet.stratifiedPositions(members.size(), perClass, seed, c++)) {
        chosen.add(members.get(k));
      }
      out.put(e.getKey(), chosen);
    }
    return out;
  }

  /**
   * Split name → class → images of an archive, recognising {@code [prefix/]<split>/<class>/<path>}
   * where split is the first path segment named "train", "test" or "val"; directory entries
   * register (possibly empty) classes.
   */
  static Map<String, TreeMap<String, List<Encoded>>> scanArchive(Path archive) throws IOException {
    return scanArchive(archive, entry -> {});
  }

  /**
   * As {@link #scanArchive(Path)}, passing every entry outside the ImageFolder layout to {@code
   * others}.
   */
  static Map<String, TreeMap<String, List<Encoded>>> scanArchive(
      Path archive, TarReader.Visitor others) throws IOException {
    Map<String, TreeMap<String, List<Encoded>>> splits = new LinkedHashMap<>();
    TarReader.read(
        archive,
        entry -> {
          String[] seg = entry.name().split("/");
          int s = -1;
          for (int i = 0; i < seg.length; i++) {
            if (seg[i].equals("train") || seg[i].equals("test") || seg[i].equals("val")) {
              s = i;
              break;
            }
          }
          boolean classDir = s >= 0 && entry.directory() && s + 1 < seg.length;
          boolean inClass = s >= 0 && s + 2 < seg.length;
          if (!classDir && !inClass) {
            others.visit(entry);
            return;
          }
          TreeMap<String, List<Encoded>> byClass =
              splits.computeIfAbsent(seg[s], x -> new TreeMap<>());
          List<Encoded> images = byClass.computeIfAbsent(seg[s + 1], x -> new ArrayList<>());
          if (!entry.directory() && ImageDecoder.isImageName(entry.name())) {
            images.add(new Encoded(archive + "!" + entry.name(), entry.content()));
          }
        });
    for (TreeMap<String, List<Encoded>> byClass : splits.values()) {
      for (List<Encoded> images : byClass.values()) {
        images.sort(Comparator.comparing(Encoded::name));
      }
    }
    return splits;
  }

  /**
   * Decodes the images of one split into an {@link ImageSet}; labels follow the sorted class names.
   * When height/width are -1 the first image fixes them.
   */
  static ImageSet decode(
      String where,
      TreeMap<String, List<Encoded>> byClass,
      int height,
      int width,
      IntConsumer progress)
      throws IOException {
    Labelled l = labelled(where, byClass);
    if (height < 0 || width < 0) {
      ImageDecoder.Size size = ImageDecoder.sizeOf(l.images().get(0));
      height = size.height();
      width = size.width();
    }
    requireFits(where, l.images().size(), height, width);
    byte[] pixels = ImageDecoder.decodeAll(l.images(), height, width, progress);
    return new ImageSet(pixels, l.labels(), l.classes(), 3, height, width);
  }

  /** Decodes the images of one split, of any size, through {@code transform}. */
  static ImageSet decode(
      String where,
      TreeMap<String, List<Encoded>> byClass,
      ResizeCrop transform,
      IntConsumer progress)
      throws IOException {
    Labelled l = labelled(where, byClass);
    requireFits(where, l.images().size(), transform.crop(), transform.crop());
    byte[] pixels = ImageDecoder.decodeAll(l.images(), transform, progress);
    return new ImageSet(pixels, l.labels(), l.classes(), 3, transform.crop(), transform.crop());
  }

  /** The images of a split in class order with their labels. */
  private record Labelled(List<String> classes, List<Encoded> images, int[] labels) {}

  private static Labelled labelled(String where, TreeMap<String, List<Encoded>> byClass)
      throws IOException {
    List<String> classes = new ArrayList<>(byClass.keySet());
    List<Encoded> all = new ArrayList<>();
    int[] labels = new int[byClass.values().stream().mapToInt(List::size).sum()];
    int k = 0;
    for (int c = 0; c < classes.size(); c++) {
      List<Encoded> images = byClass.get(classes.get(c));
      if (images.isEmpty()) {
        throw new IOException(
            where
                + ": class folder '"
                + classes.get(c)
                + "' has no images (.jpg/.jpeg/.png/.bmp/.gif)");
      }
      for (Encoded e : images) {
        all.add(e);
        labels[k++] = c;
      }
    }
    return new Labelled(classes, all, labels);
  }

  private static void requireFits(String where, int n, int height, int width) throws IOException {
    long bytes = (long) n * 3 * height * width;
    if (bytes > Integer.MAX_VALUE) {
      throw new IOException(
          where
              + ": "
              + n
              + " images of 3x"
              + height
              + "x"
              + width
              + " need "
              + bytes
              + " bytes, more than the 2 GiB an in-memory ImageSet holds; read a per-class subset or a smaller image size");
    }
  }
}
