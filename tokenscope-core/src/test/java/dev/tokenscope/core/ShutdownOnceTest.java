package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.testing.FreshJvm;
import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** TokenScope owns the SDK's lifecycle: it is shut down once, by close() or at JVM exit. */
class ShutdownOnceTest {

  @Test
  void closingTwiceShutsTheSdkDownOnceAndRemovesTheExitHook() {
    Logger sdkLogger = Logger.getLogger("io.opentelemetry.sdk.OpenTelemetrySdk");
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = sdkLogger.getLevel();
    sdkLogger.setLevel(Level.ALL);
    sdkLogger.addHandler(handler);
    try {
      InMemoryTokenScope scope = InMemoryTokenScope.create();
      Thread hook = scope.tokenScope().shutdownHook();
      assertThat(hook).isNotNull();

      scope.close();
      scope.tokenScope().close();

      assertThat(records).extracting(LogRecord::getMessage).isEmpty();
      assertThat(Runtime.getRuntime().removeShutdownHook(hook))
          .as("hook still registered")
          .isFalse();
    } finally {
      sdkLogger.removeHandler(handler);
      sdkLogger.setLevel(level);
      GlobalOpenTelemetry.resetForTest();
    }
  }

  @Test
  void aJvmExitingAfterCloseDoesNotShutTheSdkDownAgain() throws Exception {
    String output = runApplication("close");

    assertThat(output).contains("exported 1 span").doesNotContain("Multiple shutdown calls");
  }

  @Test
  void aJvmExitingWithoutCloseStillExportsWhatIsBuffered() throws Exception {
    String output = runApplication("exit");

    assertThat(output).contains("exported 1 span").doesNotContain("Multiple shutdown calls");
  }

  private static String runApplication(String mode) throws IOException, InterruptedException {
    return FreshJvm.run(
        Application.class,
        List.of("-Dtokenscope.repo.root=" + System.getProperty("tokenscope.repo.root", "..")),
        mode);
  }

  /** An application that uses TokenScope.init()'s SDK and exits with or without close(). */
  static final class Application {
    public static void main(String[] args) {
      TokenScope tokenScope =
          TokenScope.builder()
              .serviceName("shutdown-once")
              .pricing(TestPricing.snapshot())
              .property("otel.traces.exporter", "none")
              .property("otel.metrics.exporter", "none")
              .property("otel.logs.exporter", "none")
              .property("otel.bsp.schedule.delay", "60s")
              .addSpanExporter(new PrintingExporter())
              .build();
      tokenScope.openTelemetry().getTracer("app").spanBuilder("work").startSpan().end();
      if (args[0].equals("close")) {
        tokenScope.close();
      }
    }
  }

  /** Prints how many spans it was given, so the parent sees whether the batch was flushed. */
  static final class PrintingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      System.out.println("exported " + spans.size() + " span" + (spans.size() == 1 ? "" : "s"));
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
