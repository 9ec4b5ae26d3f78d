package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The JDK's {@code HttpServer} sends responses with Nagle's algorithm on unless {@code
 * sun.net.httpserver.nodelay} was true when the JVM's first server was created; with the client's
 * delayed ACK every keep-alive response then waited ~40 ms (4 senders waiting on acks were capped
 * near 50,000 spans/s, and every dashboard request paid it). The setting is read once, into {@code
 * sun.net.httpserver.ServerConfig}, so this asserts what the running servers actually use (the
 * module's surefire opens that package to the tests), not a timing.
 */
class NoDelayTest {

  @Test
  void serversSendResponsesWithTcpNoDelay() throws Exception {
    try (Console console =
        Console.builder()
            .inMemory()
            .otlpPort(0)
            .uiPort(0)
            .pricing(KnownTelemetry.PRICING)
            .start()) {
      assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
      Method noDelay =
          Class.forName("sun.net.httpserver.ServerConfig").getDeclaredMethod("noDelay");
      noDelay.setAccessible(true);
      assertThat((boolean) noDelay.invoke(null))
          .as("TCP_NODELAY on the console's accepted connections")
          .isTrue();
      assertThat(Otlp.postTraces(console, KnownTelemetry.requests().get(0)).statusCode())
          .isEqualTo(200);
    }
  }
}
