package dev.tokenscope.cli;

/** Entry point of the {@code tokenscope} jar. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code, without exiting; tests call this. */
  static int run(String... args) {
    return TokenScopeCommand.commandLine().execute(args);
  }
}
