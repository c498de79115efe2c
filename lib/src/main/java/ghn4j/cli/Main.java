package ghn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./ghn4j} command line: one subcommand per task (data, stats, parity, train, eval, ...). */
@Command(
    name = "ghn4j",
    mixinStandardHelpOptions = true,
    version = "ghn4j 0.1.0",
    description = "Graph HyperNetworks in Java: predict parameters of unseen architectures.",
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
      PretrainedCommand.class,
      // Each task registers its command class here, one line each.
    })
public final class Main implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
