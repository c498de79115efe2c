package ghn4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ghn4j.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A run's metrics as JSON lines ({@code metrics.jsonl}, one object per line, flushed each line so a
 * notebook can plot the run live). Meta-training writes {@code
 * {"type":"step","step","epoch","loss","acc","lr","grad_norm","s_per_step","elapsed_s","cpu_s","rss_mb",
 * "attempts","nets"}} ({@code cpu_s}: process CPU seconds of training over all sessions, see {@link
 * CpuClock}) and {@code {"type":"skipped",...}} for meta-batches dropped for a non-finite loss; SGD
 * one line per epoch ({@link SgdTrainer.EpochResult#toJson}).
 */
public final class MetricsLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private BufferedWriter out;

  /** Appends to {@code file} (created at the first line). */
  public MetricsLog(Path file) {
    this.file = file;
  }

  /** A new JSON object to fill and {@link #append}. */
  static ObjectNode line() {
    return JSON.createObjectNode();
  }

  /** Appends {@code o} as one line and flushes. */
  public void append(ObjectNode o) {
    try {
      if (out == null) {
        out =
            Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      out.write(o.toString());
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write metrics", e);
    }
  }

  /**
   * Drops the lines whose {@code key} is ≥ {@code limit} (written after the checkpoint a run
   * resumes from; {@link #keepBelow(Path, String, long)}).
   */
  public void keepBelow(String key, long limit) throws IOException {
    close(); // reopened (appending) at the next line
    keepBelow(file, key, limit);
  }

  /**
   * Rewrites the JSON-lines file {@code file} (atomically) keeping the lines whose {@code key} is
   * below {@code limit}: what a run resumed from a checkpoint at {@code limit} keeps of the lines a
   * killed session wrote. A torn last line (a kill in the middle of a write) is dropped; an
   * unreadable line elsewhere is an error naming the file and line. A missing file is left so.
   * Shared by meta-training ({@code step}) and SGD ({@code epoch}).
   */
  public static void keepBelow(Path file, String key, long limit) throws IOException {
    if (!Files.isRegularFile(file)) {
      return;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int last = lines.size() - 1;
    while (last >= 0 && lines.get(last).isBlank()) {
      last--;
    }
    StringBuilder keep = new StringBuilder();
    for (int i = 0; i <= last; i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      com.fasterxml.jackson.databind.JsonNode o;
      try {
        o = JSON.readTree(line);
      } catch (IOException e) {
        if (i == last) {
          break; // the half-written last line of a killed run
        }
        throw new IOException(
            file
                + ": line "
                + (i + 1)
                + " is not JSON ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")",
            e);
      }
      if (o == null || !o.isObject()) {
        if (i == last) {
          break;
        }
        throw new IOException(file + ": line " + (i + 1) + " is not a JSON object");
      }
      if (o.path(key).asLong(Long.MAX_VALUE) < limit) {
        keep.append(line).append('\n');
      }
    }
    AtomicFiles.writeString(file, keep.toString());
  }

  /** Flushes the open file, if any. */
  public void flush() {
    try {
      if (out != null) {
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      // closing a log
    }
    out = null;
  }
}
