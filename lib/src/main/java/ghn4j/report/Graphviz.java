package ghn4j.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Draws DOT text (e.g. {@link ghn4j.graph.GraphDot#toDot}) with Graphviz's {@code dot} program,
 * when it is installed (Debian package {@code graphviz}; optional in {@code
 * environment/install-jupyter.sh}). ghn4j does not need Graphviz otherwise, so callers check {@link
 * #find()} and say so when it is absent.
 */
public final class Graphviz {

  private static final long TIMEOUT_SECONDS = 120;

  private final Path dot;

  private Graphviz(Path dot) {
    this.dot = dot;
  }

  /** Graphviz from the {@code dot} executable on the PATH, if any. */
  public static Optional<Graphviz> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, "dot");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(new Graphviz(p));
      }
    }
    return Optional.empty();
  }

  /** The {@code dot} executable used. */
  public Path executable() {
    return dot;
  }

  /** {@code dotText} laid out and drawn as an SVG document. */
  public String svg(String dotText) {
    return new String(run(dotText, "svg"), StandardCharsets.UTF_8);
  }

  /** {@code dotText} drawn as PNG bytes. */
  public byte[] png(String dotText) {
    return run(dotText, "png");
  }

  private byte[] run(String dotText, String format) {
    ProcessBuilder pb = new ProcessBuilder(dot.toString(), "-T" + format);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + dot + ": " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(dotText.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UncheckedIOException(
          dot + " -T" + format + ": cannot write the DOT input: " + e.getMessage(), e);
    }
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            dot + " -T" + format + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      byte[] result = out.get();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            dot
                + " -T"
                + format
                + " failed (exit "
                + p.exitValue()
                + "): "
                + new String(err.get(), StandardCharsets.UTF_8).trim());
      }
      return result;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while drawing with " + dot, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          dot + " -T" + format + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static byte[] readAll(InputStream s) {
    try (InputStream in = s;
        ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
      in.transferTo(buf);
      return buf.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
