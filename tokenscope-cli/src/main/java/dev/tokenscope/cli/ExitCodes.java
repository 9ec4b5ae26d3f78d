package dev.tokenscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Exit codes every subcommand shares: 0 success, 1 failure, 2 bad arguments or input, 3 a model
 * that could not be priced. Scripts depend on these.
 */
final class ExitCodes {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int UNPRICED = 3;

  private ExitCodes() {}

  static int forException(Throwable t) {
    // Picocli consults this mapper for its own parse errors (unknown flags, bad numbers) too.
    return t instanceof UsageException || t instanceof CommandLine.ParameterException
        ? USAGE
        : FAILURE;
  }

  /**
   * Prints a one-line message instead of a stack trace; stack traces only with -Dtokenscope.debug.
   */
  static int handleExecutionException(Exception e, CommandLine cli, ParseResult parseResult) {
    cli.getErr().println("tokenscope: " + messageOf(e));
    if (Boolean.getBoolean("tokenscope.debug")) {
      e.printStackTrace(cli.getErr());
    }
    return forException(e);
  }

  private static String messageOf(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** Thrown by subcommands for bad arguments or unreadable input; maps to exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }

    UsageException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
