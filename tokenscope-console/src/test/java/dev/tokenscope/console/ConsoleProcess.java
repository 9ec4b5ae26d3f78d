package dev.tokenscope.console;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A console in its own JVM, for the durability test: {@code ConsoleProcess <data dir>} prints
 * {@code OTLP <endpoint>} once listening and runs until killed.
 */
public final class ConsoleProcess {

  private ConsoleProcess() {}

  public static void main(String[] args) throws Exception {
    Console console =
        Console.builder()
            .dataDirectory(Path.of(args[0]))
            .otlpPort(0)
            .uiPort(0)
            .pricing(KnownTelemetry.PRICING)
            .retention(Duration.ofDays(36500))
            .start();
    System.out.println("OTLP " + console.otlpEndpoint());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
