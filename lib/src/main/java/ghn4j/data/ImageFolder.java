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
 * Reads image datasets in torchvision's ImageFolder layout — {@code <root>/<split>/<class>/<image>} — from a directory
 * or a .tar/.tar.gz archive, with classes sorted by name and images sorted by path as torchvision does. Images are
 * decoded with javax.imageio on all cores. For now every image of a set must have the same size (no resize/crop
 * transforms yet); a differently sized, corrupt or non-RGB image is an error naming the file.
 */
public final class ImageFolder {

  private ImageFolder() {}

  /** Reads {@code <root>/<split>} (e.g. split "train"); the image size is that of the first image. */
  public static ImageSet read(Path root, String split) throws IOException {
    return read(root.resolve(split));
  }

  /** Reads {@code dir}, whose sub-directories are the classes; the image size is that of the first image. */
  public static ImageSet read(Path dir) throws IOException {
    return decode(dir.toString(), scanDirectory(dir), -1, -1, n -> {});
  }

  /** Reads split {@code split} (e.g. "train") of an ImageFolder tree stored in a .tar or .tar.gz archive. */
  public static ImageSet readArchive(Path archive, String split) throws IOException {
    Map<String, TreeMap<String, List<Encoded>>> splits = scanArchive(archive);
    TreeMap<String, List<Encoded>> byClass = splits.get(split);
    if (byClass == null) {
      throw new IOException(archive + ": no '" + split + "/<class>/<image>' entries (splits found: "
          + splits.keySet() + ")");
    }
    return decode(archive + "!" + split, byClass, -1, -1, n -> {});
  }

  /** Class folder name → images (sorted by path) of one split directory. */
  static TreeMap<String, List<Encoded>> scanDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("image folder " + dir + " does not exist or is not a directory");
    }
    TreeMap<String, List<Path>> files = new TreeMap<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path c : children.filter(Files::isDirectory).toList()) {
        try (Stream<Path> walk = Files.walk(c)) {
          files.put(c.getFileName().toString(), walk
              .filter(p -> Files.isRegularFile(p) && ImageDecoder.isImageName(p.getFileName().toString()))
              .sorted(Comparator.comparing((Path p) -> c.relativize(p).toString()))
              .toList());
        }
      }
    }
    if (files.isEmpty()) {
      throw new IOException("image folder " + dir + " has no class sub-folders");
    }
    List<Path> all = files.values().stream().flatMap(List::stream).toList();
    List<byte[]> bytes;
    try {
      bytes = all.parallelStream().map(p -> {
        try {
          return Files.readAllBytes(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
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
   * Split name → class → images of an archive, recognising {@code [prefix/]<split>/<class>/<path>} where split is the
   * first path segment named "train", "test" or "val"; directory entries register (possibly empty) classes.
   */
  static Map<String, TreeMap<String, List<Encoded>>> scanArchive(Path archive) throws IOException {
    return scanArchive(archive, entry -> {});
  }

  /** As {@link #scanArchive(Path)}, passing every entry outside the ImageFolder layout to {@code others}. */
  static Map<String, TreeMap<String, List<Encoded>>> scanArchive(Path archive, TarReader.Visitor others)
      throws IOException {
    Map<String, TreeMap<String, List<Encoded>>> splits = new LinkedHashMap<>();
    TarReader.read(archive, entry -> {
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
      TreeMap<String, List<Encoded>> byClass = splits.computeIfAbsent(seg[s], x -> new TreeMap<>());
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
   * Decodes the images of one split into an {@link ImageSet}; labels follow the sorted class names. When height/width
   * are -1 the first image fixes them.
   */
  static ImageSet decode(String where, TreeMap<String, List<Encoded>> byClass, int height, int width,
      IntConsumer progress) throws IOException {
    List<String> classes = new ArrayList<>(byClass.keySet());
    List<Encoded> all = new ArrayList<>();
    int[] labels = new int[byClass.values().stream().mapToInt(List::size).sum()];
    int k = 0;
    for (int c = 0; c < classes.size(); c++) {
      List<Encoded> images = byClass.get(classes.get(c));
      if (images.isEmpty()) {
        throw new IOException(where + ": class folder '" + classes.get(c) + "' has no images (.jpg/.jpeg/.png/.bmp/.gif)");
      }
      for (Encoded e : images) {
        all.add(e);
        labels[k++] = c;
      }
    }
    if (height < 0 || width < 0) {
      ImageDecoder.Size size = ImageDecoder.sizeOf(all.get(0));
      height = size.height();
      width = size.width();
    }
    byte[] pixels = ImageDecoder.decodeAll(all, height, width, progress);
    return new ImageSet(pixels, labels, classes, 3, height, width);
  }
}
