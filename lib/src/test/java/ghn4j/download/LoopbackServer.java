package ghn4j.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP server on 127.0.0.1 serving registered files under behaviours chosen by the first path
 * segment: {@code /good/<name>} (with Range support), {@code /norange/<name>} (ignores Range),
 * {@code /corrupt/<name>} (one byte flipped), {@code /truncated/<name>} (the first half, announced
 * as the whole), {@code /dropped/<name>} (announces the full length, sends half, closes), {@code
 * /slow/<name>} (a first chunk, then silence longer than a test's read timeout, unless it is a
 * range request: then the rest in small delayed chunks); anything else is 404. It also works as an
 * HTTP proxy: a request for an absolute URL is served by its path. Every request is recorded.
 */
final class LoopbackServer implements AutoCloseable {

  /**
   * One request: the path asked for, its Range header (or null) and whether it came as a proxy
   * request.
   */
  record Request(String path, String range, boolean proxied) {}

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile long stallMillis = 3_000;

  LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  void put(String name, byte[] content) {
    files.put(name, content);
  }

  /** Serves every regular file of {@code dir} under its name (a mirror directory). */
  void putAll(java.nio.file.Path dir) throws IOException {
    try (var s = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path p : s.filter(java.nio.file.Files::isRegularFile).toList()) {
        put(p.getFileName().toString(), java.nio.file.Files.readAllBytes(p));
      }
    }
  }

  /** {@code http://127.0.0.1:<port>/<mode>/<name>}. */
  URI url(String mode, String name) {
    return URI.create(base() + mode + "/" + name);
  }

  /** {@code http://127.0.0.1:<port>/}. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    URI uri = ex.getRequestURI();
    String range = ex.getRequestHeaders().getFirst("Range");
    requests.add(new Request(uri.getPath(), range, uri.isAbsolute()));
    String[] parts = uri.getPath().split("/");
    byte[] body = parts.length == 3 ? files.get(parts[2]) : null;
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    String mode = parts[1];
    try (OutputStream out = ex.getResponseBody()) {
      Matcher m = range == null ? null : RANGE.matcher(range);
      long from = m != null && m.matches() ? Long.parseLong(m.group(1)) : -1;
      switch (mode) {
        case "good", "slow" -> {
          if (from >= body.length) {
            ex.sendResponseHeaders(416, -1);
            return;
          }
          int start = 0;
          if (from >= 0) {
            start = (int) from;
            ex.getResponseHeaders()
                .set(
                    "Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - start);
          } else {
            ex.sendResponseHeaders(200, body.length);
          }
          if (mode.equals("slow")) {
            int chunk = Math.max(1, body.length / 8);
            for (int pos = start; pos < body.length; pos += chunk) {
              out.write(body, pos, Math.min(chunk, body.length - pos));
              out.flush();
              sleep(from >= 0 ? 20 : pos == start ? stallMillis : 20);
            }
          } else {
            out.write(body, start, body.length - start);
          }
        }
        case "norange" -> {
          ex.sendResponseHeaders(200, body.length);
          out.write(body);
        }
        case "corrupt" -> {
          byte[] bad = body.clone();
          bad[bad.length / 2] ^= 0x55;
          ex.sendResponseHeaders(200, bad.length);
          out.write(bad);
        }
        case "truncated" -> {
          ex.sendResponseHeaders(200, body.length / 2);
          out.write(body, 0, body.length / 2);
        }
        case "dropped" -> {
          ex.sendResponseHeaders(200, body.length);
          out.write(body, 0, body.length / 2);
          out.flush();
          // closing a fixed-length exchange early drops the connection
        }
        default -> ex.sendResponseHeaders(404, -1);
      }
    } catch (IOException e) {
      // the client went away (timeouts, dropped connections): expected in some tests
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
