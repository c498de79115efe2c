package ghn4j.cli;

import ghn4j.io.Layout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Keeps the raw output of a benchmark command ({@code bench ...}, {@code bench-train}): everything
 * it prints to stdout is also written to {@code data/results/bench/<command>-<yyyyMMdd-HHmmss>.txt}
 * (the command line first), so that a number quoted in the README can be traced to a committed
 * file. {@code GHN4J_BENCH_DIR} chooses another folder.
 */
final class BenchRecord implements AutoCloseable {

  private final PrintStream original;
  private final OutputStream file;
  private final Path path;

  private BenchRecord(PrintStream original, OutputStream file, Path path) {
    this.original = original;
    this.file = file;
    this.path = path;
  }

  /**
   * The record's name ({@code bench-train}, {@code bench-<sub>}) when {@code args} run a benchmark,
   * else null: no record for help or version output, or for {@code bench} without a subcommand (it
   * only prints the usage).
   */
  static String recordName(String[] args) {
    java.util.List<String> words = new java.util.ArrayList<>();
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return null;
      }
      if (!a.startsWith("-")) {
        words.add(a);
      }
    }
    if (words.isEmpty()) {
      return null;
    }
    if (words.get(0).equals("bench-train")) {
      return "bench-train";
    }
    return words.get(0).equals("bench") && words.size() > 1 ? "bench-" + words.get(1) : null;
  }

  /**
   * Starts recording when {@code args} run a benchmark ({@code bench-train}, or {@code bench} with
   * a subcommand) to {@code GHN4J_BENCH_DIR} or {@code data/results/bench}; otherwise (help,
   * version, the bare {@code bench} group, any other command) returns null.
   */
  static BenchRecord startIfBenchmark(String[] args) throws IOException {
    String env = System.getenv("GHN4J_BENCH_DIR");
    return startIfBenchmark(
        args, env != null ? Path.of(env) : Layout.detect().results().resolve("bench"));
  }

  /** {@link #startIfBenchmark(String[])} recording into {@code dir}. */
  static BenchRecord startIfBenchmark(String[] args, Path dir) throws IOException {
    String name = recordName(args);
    if (name == null) {
      return null;
    }
    Files.createDirectories(dir);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path path = dir.resolve(name + "-" + stamp + ".txt");
    OutputStream file = Files.newOutputStream(path);
    file.write(("$ ./ghn4j " + String.join(" ", args) + "\n").getBytes(StandardCharsets.UTF_8));
    PrintStream original = System.out;
    System.setOut(
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                original.write(b);
                file.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                original.write(b, off, len);
                file.write(b, off, len);
              }

              @Override
              public void flush() throws IOException {
                original.flush();
                file.flush();
              }
            },
            true,
            StandardCharsets.UTF_8));
    return new BenchRecord(original, file, path);
  }

  @Override
  public void close() throws IOException {
    System.out.flush();
    System.setOut(original);
    file.close();
    System.err.println("raw output kept in " + path);
  }
}
