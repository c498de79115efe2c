package ghn4j.properties;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An append-only JSON-lines file of {@link NetProperties}, one line per trained net, that survives
 * being killed: each record is written as one complete line and forced to disk before the next net
 * starts; on opening, a last line cut off by a kill (no final newline) is removed, and a net
 * recorded twice keeps its first record. So a ground-truth run resumes where it stopped with no
 * duplicate and no half line.
 */
public final class PropertyCache {

  private final Path file;
  private final String budget;
  private final Map<String, NetProperties> records = new LinkedHashMap<>();
  private int repairedBytes;

  private PropertyCache(Path file, String budget) {
    this.file = file;
    this.budget = budget;
  }

  /**
   * Opens (creating the directory) the cache at {@code file} for runs with budget tag {@code
   * budget}; a record of another budget is an error naming the line, as mixing budgets would mix
   * incomparable measurements.
   */
  public static PropertyCache open(Path file, String budget) throws IOException {
    PropertyCache c = new PropertyCache(file, budget);
    c.load();
    return c;
  }

  private void load() throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    if (!Files.exists(file)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    if (end < bytes.length) {
      // a line cut off by a kill: drop it so the next append starts on a fresh line
      repairedBytes = bytes.length - end;
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(end);
        ch.force(true);
      }
    }
    String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      NetProperties p = NetProperties.fromJsonLine(line, file + ":" + lineNo);
      if (!p.budget().equals(budget)) {
        throw new IllegalArgumentException(
            file
                + ":"
                + lineNo
                + ": budget '"
                + p.budget()
                + "' differs from this "
                + "run's '"
                + budget
                + "'; use another cache file for another budget");
      }
      records.putIfAbsent(p.key(), p);
    }
  }

  public Path file() {
    return file;
  }

  /** Bytes of a cut-off last line removed when opening (0 when the file was whole). */
  public int repairedBytes() {
    return repairedBytes;
  }

  public boolean contains(String split, int index) {
    return records.containsKey(NetProperties.key(split, index));
  }

  public NetProperties get(String split, int index) {
    return records.get(NetProperties.key(split, index));
  }

  /** Every record, in file order (unmodifiable). */
  public Map<String, NetProperties> records() {
    return Collections.unmodifiableMap(records);
  }

  /** Appends {@code p} as one line, forced to disk; a net already present is not written again. */
  public void append(NetProperties p) throws IOException {
    if (!p.budget().equals(budget)) {
      throw new IllegalArgumentException(
          "record of " + p.key() + " has budget " + p.budget() + ", cache " + budget);
    }
    if (records.containsKey(p.key())) {
      return;
    }
    byte[] line = (p.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(line);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    records.put(p.key(), p);
  }
}
