package ghn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code data}, {@code data deepnets1m}, {@code
 * pretrained}): {@code -h} and running it without a subcommand print its usage.
 */
abstract class CommandGroup implements Runnable {

  @Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  private boolean help;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
