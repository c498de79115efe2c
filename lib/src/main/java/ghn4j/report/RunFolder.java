package ghn4j.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folders a notebook's runs write to: a run that must start fresh deletes what an earlier run
 * left there first, and a temporary work folder is removed at the end. A folder that is kept is
 * simply not deleted (a resumable run, e.g. notebook 03 in full mode, reuses it).
 */
public final class RunFolder {

  private RunFolder() {}

  /**
   * Deletes {@code dir} and everything in it, if it exists, so that a run in it starts fresh.
   *
   * @return {@code dir}
   * @throws UncheckedIOException naming the file that could not be listed or deleted
   */
  public static Path fresh(Path dir) {
    delete(dir);
    return dir;
  }

  /**
   * Deletes {@code dir} and everything in it (files before their folders).
   *
   * @return whether it existed
   * @throws UncheckedIOException naming the file that could not be listed or deleted
   */
  public static boolean delete(Path dir) {
    if (!Files.exists(dir)) {
      return false;
    }
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list it to delete it: " + e.getMessage(), e);
    }
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new UncheckedIOException(p + ": cannot delete it: " + e.getMessage(), e);
      }
    }
    return true;
  }
}
