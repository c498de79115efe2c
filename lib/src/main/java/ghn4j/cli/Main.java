package ghn4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code ./ghn4j} command line: one subcommand per task (data, stats, parity,
 * train, eval, ...).
 *
 * <p>Errors are one line on stderr, {@code ghn4j: <command>: <why>}; the stack trace only with
 * {@code --debug} (anywhere on the command line) or {@code GHN4J_DEBUG=1}. Exit codes: {@link #OK},
 * {@link #CHECK_FAILED}, {@link #USAGE}, {@link #ERROR}.
 */
@Command(
    name = "ghn4j",
    mixinStandardHelpOptions = true,
    version = "ghn4j 0.1.0",
    description = "Graph HyperNetworks in Java: predict parameters of unseen architectures.",
    footer = {
      "",
      "Exit codes: 0 done; 1 a check failed (parity, a comparison); 2 usage error (unknown command or option, missing"
          + " argument, no command); 3 the command failed (bad input file, I/O error, ...): the one-line message on"
          + " stderr names the cause.",
      "--debug (anywhere on the line) or GHN4J_DEBUG=1 also prints the stack trace of an error."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      DataCommand.class,
      GenerateCommand.class,
      StatsCommand.class,
      ParityCommand.class,
      BenchCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      SgdCommand.class,
      FinetuneCommand.class,
      BenchTrainCommand.class,
      PropertiesCommand.class,
      SearchCommand.class,
      PredictCommand.class,
      PretrainedCommand.class,
      // Each task registers its command class here, one line each.
    })
public final class Main implements Callable<Integer> {

  /** The command did what was asked. */
  public static final int OK = 0;

  /** The command ran, and the check it makes failed (e.g. a parity row). */
  public static final int CHECK_FAILED = 1;

  /**
   * The command line was wrong: unknown command or option, missing or malformed argument, no
   * command.
   */
  public static final int USAGE = 2;

  /** The command failed: bad input, I/O error, ...; the one-line message says what. */
  public static final int ERROR = 3;

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return USAGE;
  }

  public static void main(String[] args) throws java.io.IOException {
    int code;
    try (BenchRecord ignored = BenchRecord.startIfBenchmark(args)) {
      code = run(args, new PrintWriter(System.err, true));
    }
    System.exit(code);
  }

  /** Runs the command line {@code args}, reporting errors to {@code err}; returns the exit code. */
  static int run(String[] args, PrintWriter err) {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean debug = rest.remove("--debug") | "1".equals(System.getenv("GHN4J_DEBUG"));
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : ERROR);
    cl.setParameterExceptionHandler(
        (e, a) -> {
          String where = qualifiedName(e.getCommandLine());
          err.println(
              "ghn4j: "
                  + (where.isEmpty() ? "" : where + ": ")
                  + e.getMessage()
                  + " (see ./ghn4j "
                  + (where.isEmpty() ? "" : where + " ")
                  + "--help)");
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (debug) {
            e.printStackTrace(err);
          }
          String where = qualifiedName(cmd);
          err.println("ghn4j: " + (where.isEmpty() ? "" : where + ": ") + oneLine(e));
          return ERROR;
        });
    return cl.execute(rest.toArray(String[]::new));
  }

  /** The error's message and those of its causes that add something, on one line. */
  static String oneLine(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m =
          t.getMessage() == null || t.getMessage().isBlank()
              ? ""
              : t.getMessage().replace('\n', ' ');
      // our own errors say what and why in the message; others (NoSuchFileException: /x) need their
      // type
      boolean plain =
          t instanceof IllegalArgumentException
              || t instanceof IllegalStateException
              || t instanceof java.io.UncheckedIOException
              || t.getClass() == RuntimeException.class;
      String part =
          m.isEmpty()
              ? t.getClass().getSimpleName()
              : plain ? m : t.getClass().getSimpleName() + ": " + m;
      if (sb.indexOf(m.isEmpty() ? part : m) < 0) {
        sb.append(sb.length() == 0 ? "" : ": ").append(part);
      }
    }
    return sb.toString();
  }

  /** {@code "data prepare"} for a subcommand of a subcommand; empty for the top level. */
  private static String qualifiedName(CommandLine cmd) {
    if (cmd.getParent() == null) {
      return "";
    }
    String name = cmd.getCommandName();
    for (CommandLine p = cmd.getParent(); p.getParent() != null; p = p.getParent()) {
      name = p.getCommandName() + " " + name;
    }
    return name;
  }
}
