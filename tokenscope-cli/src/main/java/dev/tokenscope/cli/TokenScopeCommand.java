package dev.tokenscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tokenscope} command. Each subcommand lives in its own class and is registered in
 * {@link #commandLine()}.
 */
@Command(
    name = "tokenscope",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "LLM observability for the JVM: cost, tokens, latency and workflows.",
    subcommands = {CommandLine.HelpCommand.class})
final class TokenScopeCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line: exit codes, error handling, and every subcommand. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TokenScopeCommand());
    // Subcommands are added here, one line each.
    cli.addSubcommand(new PricingCommand());
    cli.addSubcommand(new SimulatorCommand());
    cli.addSubcommand(new ConsoleCommand());
    cli.addSubcommand(new DemoCommand());
    cli.addSubcommand(new LoadCommand());
    cli.setExitCodeExceptionMapper(ExitCodes::forException);
    cli.setExecutionExceptionHandler(ExitCodes::handleExecutionException);
    return cli;
  }
}
