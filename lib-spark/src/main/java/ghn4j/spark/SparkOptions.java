package ghn4j.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --spark}, {@code --master}, {@code --conf}: where a command's Spark job runs (a picocli
 * mixin).
 */
final class SparkOptions {

  @Option(
      names = "--spark",
      description = "run as a Spark job (./ghn4j starts this entry point when it sees --spark)")
  boolean spark;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master: local[*] (default: this machine, "
              + "nothing installed), local[N], spark://host:port (a standalone cluster, e.g. environment/spark-cluster.sh), "
              + "yarn, k8s://...")
  String master = SparkSetup.LOCAL;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "a Spark setting (repeatable), e.g. "
              + "spark.executor.memory=4g or spark.jars=... for a cluster whose machines do not share this file system")
  Map<String, String> conf = new LinkedHashMap<>();
}
