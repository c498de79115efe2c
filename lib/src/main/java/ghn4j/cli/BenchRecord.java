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

  /** Starts recording when {@code args} run a benchmark command; otherwise returns null. */
  static BenchRecord startIfBenchmark(String[] args) throws IOException {
    String command = null;
    for (String a : args) {
      if (!a.startsWith("-")) {
        command = a;
        break;
      }
    }
    if (command == null
        || !command.startsWith("bench")
        || java.util.Arrays.asList(args).contains("--help")) {
      return null;
    }
    String env = System.getenv("GHN4J_BENCH_DIR");
    Path dir = env != null ? Path.of(env) : Layout.detect().results().resolve("bench");
    Files.createDirectories(dir);
    String sub =
        args.length > 1 && command.equals("bench") && !args[1].startsWith("-") ? "-" + args[1] : "";
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path path = dir.resolve(command + sub + "-" + stamp + ".txt");
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
