package ghn4j.spark;

import ghn4j.io.Layout;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Opens the Spark context of a ghn4j job. {@code master} is Spark's own URL: {@code local[*]} (the
 * default: this JVM, nothing installed), {@code spark://host:port} (a standalone cluster such as
 * environment/spark-cluster.sh starts), {@code yarn}, {@code k8s://...}.
 *
 * <p>Executors of a cluster get this JVM's classpath (or the system property {@code
 * ghn4j.spark.classpath}) as {@code spark.executor.extraClassPath}: right for the loopback cluster
 * and for clusters whose machines see the repository at the same path (a shared file system).
 * Elsewhere pass {@code --conf spark.jars=...} (or {@code spark.executor.extraClassPath=...})
 * yourself; a {@code --conf} wins.
 */
public final class SparkSetup {

  /** The default master: every core of this machine, in this JVM. */
  public static final String LOCAL = "local[*]";

  private SparkSetup() {}

  /**
   * The configuration for {@code master}, with {@code extra} ({@code --conf key=value}) applied
   * last.
   */
  public static SparkConf conf(String master, String appName, Map<String, String> extra) {
    SparkConf conf = new SparkConf().setMaster(master).setAppName(appName);
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.ui.enabled", "false");
    // a failed task (e.g. its executor's worker was killed) is retried elsewhere up to 4 times,
    // Spark's default
    c.put("spark.task.maxFailures", "4");
    if (!master.startsWith("local")) {
      c.put(
          "spark.executor.extraClassPath",
          System.getProperty("ghn4j.spark.classpath", System.getProperty("java.class.path")));
      c.put("spark.executor.extraJavaOptions", executorJavaOptions());
      c.put("spark.executor.memory", "1g");
      if (isLoopback(master)) {
        c.put("spark.driver.host", "127.0.0.1");
        c.put("spark.driver.bindAddress", "127.0.0.1");
      }
      String preload = System.getenv("LD_PRELOAD");
      if (preload != null && !preload.isBlank()) {
        c.put("spark.executorEnv.LD_PRELOAD", preload);
        String mallocConf = System.getenv("MALLOC_CONF");
        if (mallocConf != null) {
          c.put("spark.executorEnv.MALLOC_CONF", mallocConf);
        }
      }
    }
    c.putAll(extra);
    c.forEach(conf::set);
    return conf;
  }

  /**
   * The executors' JVM options: Spark's Java 17 module flags (system property {@code
   * ghn4j.spark.flags}, set by the launcher and the tests), DJL offline, one PyTorch thread per
   * task slot, and this JVM's root property ({@link Layout#ROOT_PROPERTY}) so that executors find
   * data/ like the driver. It forwards the property as it was given rather than asking {@link
   * Layout}: an executor started elsewhere must detect its own checkout when the driver named none.
   */
  public static String executorJavaOptions() {
    String flags = System.getProperty("ghn4j.spark.flags", "");
    String root = System.getProperty(Layout.ROOT_PROPERTY);
    return (flags
            + " -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
            + (root != null ? " -D" + Layout.ROOT_PROPERTY + "=" + root : ""))
        .trim();
  }

  /** A context for {@code master} (see {@link #conf}). */
  public static JavaSparkContext open(String master, String appName, Map<String, String> extra) {
    return new JavaSparkContext(conf(master, appName, extra));
  }

  private static boolean isLoopback(String master) {
    if (!master.startsWith("spark://")) {
      return false;
    }
    String host = URI.create(master.split(",")[0]).getHost();
    return "127.0.0.1".equals(host) || "localhost".equals(host);
  }
}
