package ghn4j.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./ghn4j <command> --spark}: the launcher starts this class (lib-spark's jar
 * and classpath) instead of {@code ghn4j.cli.Main}, so that the core jar never links Spark. Errors
 * and exit codes as the core CLI: one line {@code ghn4j: <command> --spark: <why>}; 2 usage, 3
 * failure.
 */
@Command(
    name = "ghn4j",
    mixinStandardHelpOptions = true,
    version = "ghn4j-spark 0.1.0",
    description =
        "ghn4j commands as Spark jobs (--spark; --master chooses the cluster, default local[*]).",
    subcommands = {SparkEvalCommand.class, SparkTrainCommand.class, SparkGenerateCommand.class})
public final class SparkMain implements Callable<Integer> {

  /**
   * Commands of the core CLI that have no Spark form (yet): a clear error instead of "unknown
   * command".
   */
  static final List<String> NOT_DISTRIBUTED =
      List.of(
          "sgd",
          "finetune",
          "predict",
          "parity",
          "bench",
          "bench-train",
          "data",
          "stats",
          "pretrained");

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return 2;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.err, true)));
  }

  /** Runs {@code args}; returns the exit code. */
  static int run(String[] args, PrintWriter err) {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean debug = rest.remove("--debug") | "1".equals(System.getenv("GHN4J_DEBUG"));
    if (!rest.isEmpty() && NOT_DISTRIBUTED.contains(rest.get(0))) {
      err.println(
          "ghn4j: "
              + rest.get(0)
              + " --spark: not available as a Spark job in this version (eval, train, "
              + "properties, search and generate are); run it without --spark");
      return 2;
    }
    if (!rest.isEmpty() && (rest.get(0).equals("properties") || rest.get(0).equals("search"))) {
      return CoreWithSparkGroundTruth.run(rest.get(0), rest.subList(1, rest.size()), err);
    }
    CommandLine cl = new CommandLine(new SparkMain());
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (e, a) -> {
          err.println(
              "ghn4j: "
                  + where(e.getCommandLine())
                  + e.getMessage()
                  + " (see ./ghn4j "
                  + e.getCommandLine().getCommandName()
                  + " --spark --help)");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (debug) {
            e.printStackTrace(err);
          }
          StringBuilder sb = new StringBuilder();
          for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            // a failed Spark job's message carries the task's stack trace: keep the line before it
            int trace = m.indexOf("\n\tat ");
            m = (trace >= 0 ? m.substring(0, trace) : m).replace('\n', ' ');
            if (sb.indexOf(m) < 0) {
              sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
          }
          err.println("ghn4j: " + where(cmd) + sb);
          return 3;
        });
    return cl.execute(rest.toArray(String[]::new));
  }

  private static String where(CommandLine cmd) {
    return cmd.getParent() == null ? "" : cmd.getCommandName() + " --spark: ";
  }
}
