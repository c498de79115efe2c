package ghn4j.kernel;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A minimal Jupyter client for tests: starts the kernel ({@link Main}) as a subprocess with a
 * generated connection file and speaks the wire protocol (ZeroMQ, messages signed with HMAC-SHA256)
 * on the shell, control and IOPub channels.
 */
final class KernelClient implements AutoCloseable {
  private static final Gson GSON = new Gson();

  /** A message: type, content and the parent's message id. */
  record Msg(String type, JsonObject content, String parentId, JsonObject header) {
    String text(String... path) {
      JsonObject o = content;
      for (int i = 0; i < path.length - 1; i++) {
        o = o.getAsJsonObject(path[i]);
      }
      return o.has(path[path.length - 1]) ? o.get(path[path.length - 1]).getAsString() : null;
    }
  }

  /** The reply to a request and the IOPub messages it caused, in order (between busy and idle). */
  record Exchange(Msg reply, List<Msg> iopub) {
    List<Msg> of(String type) {
      return iopub.stream().filter(m -> m.type.equals(type)).toList();
    }

    String stdout() {
      StringBuilder out = new StringBuilder();
      for (Msg m : of("stream")) {
        if ("stdout".equals(m.text("name"))) {
          out.append(m.text("text"));
        }
      }
      return out.toString();
    }

    Msg result() {
      List<Msg> results = of("execute_result");
      return results.isEmpty() ? null : results.get(0);
    }

    Msg error() {
      List<Msg> errors = of("error");
      return errors.isEmpty() ? null : errors.get(0);
    }

    String status() {
      return reply.text("status");
    }
  }

  private final Process process;
  private final ZContext context = new ZContext();
  private final ZMQ.Socket shell;
  private final ZMQ.Socket control;
  private final ZMQ.Socket iopub;
  private final Mac mac;
  private final String session = UUID.randomUUID().toString();
  private final Duration startup;

  KernelClient(Path workDir, Path log) throws Exception {
    int[] ports = freePorts(5);
    byte[] keyBytes = new byte[16];
    new SecureRandom().nextBytes(keyBytes);
    String key = HexFormat.of().formatHex(keyBytes);
    Map<String, Object> connection =
        Map.of(
            "transport",
            "tcp",
            "ip",
            "127.0.0.1",
            "signature_scheme",
            "hmac-sha256",
            "key",
            key,
            "shell_port",
            ports[0],
            "iopub_port",
            ports[1],
            "stdin_port",
            ports[2],
            "control_port",
            ports[3],
            "hb_port",
            ports[4]);
    Path connectionFile = workDir.resolve("connection.json");
    Files.writeString(connectionFile, GSON.toJson(connection));
    mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));

    String java = ProcessHandle.current().info().command().orElse("java");
    Instant start = Instant.now();
    process =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                connectionFile.toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    shell = context.createSocket(SocketType.DEALER);
    shell.connect("tcp://127.0.0.1:" + ports[0]);
    control = context.createSocket(SocketType.DEALER);
    control.connect("tcp://127.0.0.1:" + ports[3]);
    iopub = context.createSocket(SocketType.SUB);
    iopub.subscribe(new byte[0]);
    iopub.connect("tcp://127.0.0.1:" + ports[1]);
    // The IOPub subscription takes a moment to reach the kernel: ask for kernel_info until its
    // status arrives.
    Msg reply = null;
    Duration measured = null;
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      String id = send(shell, "kernel_info_request", new JsonObject());
      Msg r = receive(shell, 2000);
      if (r != null && reply == null) {
        reply = r;
        measured = Duration.between(start, Instant.now());
        drainUntilIdle(id, 2000);
        break;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("kernel exited: " + Files.readString(log));
      }
    }
    if (reply == null) {
      throw new IllegalStateException(
          "no kernel_info_reply in 60 s; log: " + Files.readString(log));
    }
    this.startup = measured;
    // wait until IOPub works
    for (int i = 0; i < 50; i++) {
      String id = send(shell, "kernel_info_request", new JsonObject());
      receive(shell, 5000);
      if (!drainUntilIdle(id, 200).isEmpty()) {
        break;
      }
    }
  }

  Duration startup() {
    return startup;
  }

  Exchange execute(String code) {
    return request(shell, "execute_request", executeContent(code), 60_000);
  }

  private static JsonObject executeContent(String code) {
    JsonObject content = new JsonObject();
    content.addProperty("code", code);
    content.addProperty("silent", false);
    content.addProperty("store_history", true);
    content.add("user_expressions", new JsonObject());
    content.addProperty("allow_stdin", false);
    content.addProperty("stop_on_error", true);
    return content;
  }

  Exchange complete(String code, int cursor) {
    JsonObject content = new JsonObject();
    content.addProperty("code", code);
    content.addProperty("cursor_pos", cursor);
    return request(shell, "complete_request", content, 30_000);
  }

  /**
   * Sends execute_request, then an interrupt_request on the control channel after {@code delayMs}.
   */
  Exchange executeAndInterrupt(String code, long delayMs) throws InterruptedException {
    String id = send(shell, "execute_request", executeContent(code));
    Thread.sleep(delayMs);
    send(control, "interrupt_request", new JsonObject());
    Msg interruptReply = receive(control, 10_000);
    if (interruptReply == null) {
      throw new AssertionError("no interrupt_reply");
    }
    Msg reply = receiveReplyTo(shell, id, 30_000);
    return new Exchange(reply, drainUntilIdle(id, 10_000));
  }

  private Exchange request(ZMQ.Socket socket, String type, JsonObject content, int timeoutMs) {
    String id = send(socket, type, content);
    Msg reply = receiveReplyTo(socket, id, timeoutMs);
    if (reply == null) {
      throw new AssertionError("no reply to " + type + " within " + timeoutMs + " ms");
    }
    return new Exchange(reply, drainUntilIdle(id, 10_000));
  }

  /**
   * The reply whose parent is {@code id}; replies to earlier requests (e.g. of a cell that a
   * previous test gave up waiting for on a loaded machine) are skipped, so one slow test cannot
   * shift every later test's replies.
   */
  private Msg receiveReplyTo(ZMQ.Socket socket, String id, int timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      Msg m = receive(socket, (int) Math.max(1, deadline - System.currentTimeMillis()));
      if (m == null || id.equals(m.parentId)) {
        return m;
      }
    }
    return null;
  }

  private List<Msg> drainUntilIdle(String parentId, int timeoutMs) {
    List<Msg> messages = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      Msg m = receive(iopub, (int) Math.max(1, deadline - System.currentTimeMillis()));
      if (m == null) {
        break;
      }
      if (!parentId.equals(m.parentId)) {
        continue;
      }
      if (m.type.equals("status") && "idle".equals(m.text("execution_state"))) {
        messages.add(m);
        return messages;
      }
      messages.add(m);
    }
    return messages;
  }

  private synchronized String send(ZMQ.Socket socket, String type, JsonObject content) {
    String id = UUID.randomUUID().toString();
    JsonObject header = new JsonObject();
    header.addProperty("msg_id", id);
    header.addProperty("session", session);
    header.addProperty("username", "test");
    header.addProperty("date", Instant.now().toString());
    header.addProperty("msg_type", type);
    header.addProperty("version", "5.3");
    String[] parts = {header.toString(), "{}", "{}", content.toString()};
    socket.sendMore("<IDS|MSG>");
    socket.sendMore(sign(parts));
    for (int i = 0; i < parts.length; i++) {
      if (i < parts.length - 1) {
        socket.sendMore(parts[i]);
      } else {
        socket.send(parts[i]);
      }
    }
    return id;
  }

  private String sign(String... parts) {
    synchronized (mac) {
      for (String part : parts) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(mac.doFinal());
    }
  }

  private Msg receive(ZMQ.Socket socket, int timeoutMs) {
    socket.setReceiveTimeOut(timeoutMs);
    List<byte[]> frames = new ArrayList<>();
    byte[] frame = socket.recv();
    if (frame == null) {
      return null;
    }
    frames.add(frame);
    while (socket.hasReceiveMore()) {
      frames.add(socket.recv());
    }
    int delimiter = -1;
    for (int i = 0; i < frames.size(); i++) {
      if ("<IDS|MSG>".equals(new String(frames.get(i), StandardCharsets.UTF_8))) {
        delimiter = i;
        break;
      }
    }
    if (delimiter < 0 || frames.size() < delimiter + 6) {
      throw new AssertionError("malformed message with " + frames.size() + " frames");
    }
    String signature = new String(frames.get(delimiter + 1), StandardCharsets.UTF_8);
    String[] parts = new String[4];
    for (int i = 0; i < 4; i++) {
      parts[i] = new String(frames.get(delimiter + 2 + i), StandardCharsets.UTF_8);
    }
    if (!sign(parts).equals(signature)) {
      throw new AssertionError("bad HMAC signature on a kernel message: " + parts[0]);
    }
    JsonObject header = new JsonParser().parse(parts[0]).getAsJsonObject();
    JsonObject parent = new JsonParser().parse(parts[1]).getAsJsonObject();
    JsonObject content = new JsonParser().parse(parts[3]).getAsJsonObject();
    String parentId = parent.has("msg_id") ? parent.get("msg_id").getAsString() : null;
    return new Msg(header.get("msg_type").getAsString(), content, parentId, header);
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
    return ports;
  }

  @Override
  public void close() throws Exception {
    try {
      JsonObject content = new JsonObject();
      content.addProperty("restart", false);
      send(control, "shutdown_request", content);
      receive(control, 5000);
    } finally {
      context.close();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
