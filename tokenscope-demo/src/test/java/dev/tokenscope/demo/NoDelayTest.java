package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.testing.FreshJvm;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JDK's {@code HttpServer} sends responses with Nagle's algorithm on unless {@code
 * sun.net.httpserver.nodelay} was true when the JVM's first server was created (read once, into
 * {@code sun.net.httpserver.ServerConfig}); with the client's delayed ACK a keep-alive response can
 * then wait ~40 ms. The service sets it itself, so it does not depend on the simulator or the
 * console having been loaded first: each case runs in a fresh JVM whose only server is the
 * service's, with both providers real (no simulator), and reads what the JDK server actually uses.
 */
class NoDelayTest {

  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  @Test
  void theServiceAloneInAJvmTurnsTcpNoDelayOn() throws Exception {
    assertThat(runApplication()).contains("before=null property=true noDelay=true simulator=null");
  }

  @Test
  void aChoiceTheUserMadeIsKept() throws Exception {
    assertThat(runApplication("-D" + NO_DELAY + "=false"))
        .contains("before=false property=false noDelay=false simulator=null");
  }

  private static String runApplication(String... jvmOptions)
      throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(List.of(jvmOptions));
    options.add("--add-opens");
    options.add("jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
    return FreshJvm.run(Application.class, options);
  }

  /** Starts the service against two (unused) real provider URLs and prints the setting in force. */
  static final class Application {
    public static void main(String[] args) throws Exception {
      String before = System.getProperty(NO_DELAY);
      try (MenuDesignerApp app =
          MenuDesignerApp.builder()
              .openTelemetry(OpenTelemetry.noop())
              .environment(Map.of())
              .openAi("http://127.0.0.1:9/v1", "test-key")
              .anthropic("http://127.0.0.1:9", "test-key")
              .port(0)
              .start()) {
        Method noDelay =
            Class.forName("sun.net.httpserver.ServerConfig").getDeclaredMethod("noDelay");
        noDelay.setAccessible(true);
        System.out.println(
            "before="
                + before
                + " property="
                + System.getProperty(NO_DELAY)
                + " noDelay="
                + noDelay.invoke(null)
                + " simulator="
                + app.simulator());
      }
    }
  }
}
