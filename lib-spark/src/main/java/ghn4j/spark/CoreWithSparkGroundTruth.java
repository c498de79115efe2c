package ghn4j.spark;

import ghn4j.cli.PropertiesCommand;
import ghn4j.cli.SearchCommand;
import ghn4j.properties.Budget;
import ghn4j.properties.PropertyCache;
import ghn4j.search.ArchitectureSearch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./ghn4j properties|search --spark}: the core command's own options and code, with its SGD
 * ground truth trained first as Spark tasks ({@link SparkGroundTruth}) into the command's cache;
 * the core command then runs in-process, finds those nets in the cache and goes on to the
 * regression (properties) or the search. Search: the val, test and randomly chosen candidates are
 * trained on Spark; the top-k picks, known only after the regression, are trained by the core
 * command in this JVM.
 */
final class CoreWithSparkGroundTruth {

  private CoreWithSparkGroundTruth() {}

  /** Runs {@code command} ("properties" or "search") with {@code args} (Spark options included). */
  static int run(String command, List<String> args, PrintWriter err) {
    SparkOptions spark = new SparkOptions();
    List<String> core = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--spark")) {
        continue;
      }
      if ((a.equals("--master") || a.equals("--conf")) && i + 1 < args.size()) {
        String v = args.get(++i);
        if (a.equals("--master")) {
          spark.master = v;
        } else {
          int eq = v.indexOf('=');
          if (eq <= 0) {
            err.println("ghn4j: " + command + " --spark: --conf needs KEY=VALUE, got '" + v + "'");
            return 2;
          }
          spark.conf.put(v.substring(0, eq), v.substring(eq + 1));
        }
        continue;
      }
      core.add(a);
    }
    Object cmd = command.equals("properties") ? new PropertiesCommand() : new SearchCommand();
    CommandLine parsed = new CommandLine(cmd);
    parsed.setErr(err);
    try {
      parsed.parseArgs(core.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      err.println(
          "ghn4j: "
              + command
              + " --spark: "
              + e.getMessage()
              + " (see ./ghn4j "
              + command
              + " --help)");
      return 2;
    }
    if (parsed.isUsageHelpRequested()) {
      parsed.usage(System.out);
      return 0;
    }
    CommandSpec spec = parsed.getCommandSpec();
    boolean reference =
        command.equals("properties") && spec.findOption("--reference").getValue() != null;
    if (!reference) {
      try {
        Budget budget =
            new Budget(
                value(spec, "--width"),
                value(spec, "--epochs"),
                value(spec, "--train-per-class"),
                value(spec, "--test-per-class"),
                value(spec, "--batch-size"),
                value(spec, "--noise-std"),
                value(spec, "--converge-fraction"),
                value(spec, "--seed"));
        Path cacheFile =
            spec.findOption("--cache").getValue() != null
                ? spec.findOption("--cache").getValue()
                : ghn4j.io.Layout.detect()
                    .properties()
                    .resolve("groundtruth-" + budget.tag() + ".jsonl");
        PropertyCache cache = PropertyCache.open(cacheFile, budget.tag());
        List<SparkGroundTruth.Net> nets = new ArrayList<>();
        nets.addAll(SparkGroundTruth.first("val", value(spec, "--val")));
        nets.addAll(SparkGroundTruth.first("test", value(spec, "--test")));
        if (command.equals("search")) {
          int candidates = value(spec, "--candidates");
          int k = value(spec, "--k");
          int seeds = value(spec, "--random-seeds");
          Map<Integer, Boolean> picked = new LinkedHashMap<>();
          for (int s = 0; s < seeds; s++) {
            for (int i : ArchitectureSearch.randomK(candidates, k, s)) {
              picked.put(i, true);
            }
          }
          picked.keySet().stream()
              .sorted()
              .forEach(i -> nets.add(new SparkGroundTruth.Net("search", i, candidates)));
        }
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = SparkSetup.open(spark.master, "ghn4j " + command, spark.conf)) {
          int n =
              SparkGroundTruth.run(
                  sc, budget, spec.findOption("--data-dir").getValue(), nets, cache, System.out);
          System.out.printf(
              "ground truth: %d nets trained on Spark (%s) in %.1f s%n",
              n, spark.master, (System.nanoTime() - t0) / 1e9);
        }
        if (command.equals("properties")
            && Boolean.TRUE.equals(spec.findOption("--ground-truth-only").getValue())) {
          return 0;
        }
      } catch (Exception e) {
        err.println(
            "ghn4j: "
                + command
                + " --spark: "
                + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return 3;
      }
    }
    // the core command: the nets above are in its cache now. The engine first: the core's
    // WorkerOptions asks PyTorch
    // for its thread count, which fails with UnsatisfiedLinkError in a JVM where nothing has loaded
    // the engine yet
    ai.djl.engine.Engine.getInstance();
    CommandLine rest =
        new CommandLine(
            command.equals("properties") ? new PropertiesCommand() : new SearchCommand());
    rest.setErr(err);
    rest.setExecutionExceptionHandler(
        (e, c, p) -> {
          err.println("ghn4j: " + command + ": " + e.getMessage());
          return 3;
        });
    return rest.execute(core.toArray(String[]::new));
  }

  @SuppressWarnings("unchecked")
  private static <T> T value(CommandSpec spec, String option) {
    return (T) spec.findOption(option).getValue();
  }
}
