package ghn4j.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * environment/spark-cluster.sh for a test: a standalone master and two workers, separate JVMs on
 * 127.0.0.1, state in a temporary directory, and the executor classpath of this build.
 */
final class LoopbackCluster implements AutoCloseable {

  final Path state;
  final String master;
  private final int port;

  private LoopbackCluster(Path state, int port, String master) {
    this.state = state;
    this.port = port;
    this.master = master;
  }

  static Path root() {
    return Path.of(System.getProperty("ghn4j.root", "..")).toAbsolutePath().normalize();
  }

  /** Starts the cluster (waits until both workers registered). */
  static LoopbackCluster start(Path state) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = script(state, port, "start").strip();
    return new LoopbackCluster(state, port, url.lines().reduce((a, b) -> b).orElseThrow());
  }

  /** Starts what is not running (a killed worker). */
  void restart() throws IOException, InterruptedException {
    script(state, port, "start");
  }

  private static String script(Path state, int port, String command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash", root().resolve("environment/spark-cluster.sh").toString(), command)
            .redirectErrorStream(true);
    pb.environment().put("GHN4J_SPARK_STATE", state.toString());
    pb.environment().put("GHN4J_SPARK_PORT", String.valueOf(port));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("spark-cluster.sh " + command + " failed:\n" + out);
    }
    return out;
  }

  /** The pid of worker {@code i} (1 or 2). */
  long workerPid(int i) throws IOException {
    return Long.parseLong(Files.readString(state.resolve("worker-" + i + ".pid")).strip());
  }

  /**
   * The configuration a job on this cluster needs: this build's classes on the executors, small
   * executors.
   */
  Map<String, String> conf() throws IOException {
    Path target = root().resolve("lib-spark/target");
    List<String> cp =
        new ArrayList<>(
            List.of(
                target.resolve("classes").toString(), target.resolve("test-classes").toString()));
    cp.add(Files.readString(target.resolve("classpath.txt")).strip());
    return Map.of(
        "spark.executor.extraClassPath",
        String.join(":", cp),
        "spark.executor.memory",
        "768m",
        // task 0 keeps the exchanged gradients for the comparison with one process
        // (SparkMetaTrain's test seam)
        "spark.executor.extraJavaOptions",
        SparkSetup.executorJavaOptions()
            + " -D"
            + SparkMetaTrain.KEEP_GRADIENTS
            + "="
            + state.resolve("gradients"));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script(state, port, "stop");
  }
}
