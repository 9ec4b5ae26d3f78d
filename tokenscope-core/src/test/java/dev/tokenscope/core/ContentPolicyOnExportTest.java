package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one content policy applied to spans of every source, and secrets never exported. */
class ContentPolicyOnExportTest {

  private static final String MESSAGES =
      "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Menu for jane@example.com,"
          + " call +1 (555) 123-4567\"}]}]";

  private static void foreignSpanWithContent(InMemoryTokenScope scope) {
    Span span =
        scope
            .foreignTracer()
            .spanBuilder("chat gpt-4o")
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.request.model", "gpt-4o")
            .setAttribute("gen_ai.input.messages", MESSAGES)
            .setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[]}]")
            .setAttribute("gen_ai.system_instructions", "You are a chef.")
            .setAttribute("gen_ai.prompt.0.content", "old-style OpenLLMetry prompt")
            .setAttribute(
                "http.request.header.authorization", "Bearer sk-proj-abcdefghijklmnopqrstu")
            .setAttribute(
                AttributeKey.stringArrayKey("http.request.header.x-api-key"),
                List.of("sk-ant-api03-abcdefghijkl"))
            .setAttribute(
                "url.full",
                "https://api.example.com/v1?key=AIzaSyA-1234567890abcdefghijklmnopqrstu")
            .startSpan();
    span.addEvent(
        "gen_ai.content.prompt",
        Attributes.of(AttributeKey.stringKey("gen_ai.prompt"), "secret recipe"));
    span.recordException(
        new IllegalStateException("401 from provider: invalid key sk-proj-abcdefghijklmnopqrstu"));
    span.setStatus(StatusCode.ERROR, "auth failed for Bearer abcdefghijklmnop");
    span.end();
  }

  private static String allText(SpanData span) {
    String attributes =
        span.getAttributes().asMap().values().stream()
            .map(String::valueOf)
            .collect(Collectors.joining(" "));
    String events =
        span.getEvents().stream()
            .map(e -> e.getName() + " " + e.getAttributes().asMap().values())
            .collect(Collectors.joining(" "));
    return attributes + " " + events + " " + span.getStatus().getDescription();
  }

  @Test
  void contentOfOtherSourcesIsRemovedWhenContentIsOff() {
    try (InMemoryTokenScope scope = InMemoryTokenScope.create()) {
      assertThat(scope.tokenScope().contentPolicy().captureContent()).isFalse();
      foreignSpanWithContent(scope);

      SpanData span = scope.span("chat gpt-4o");

      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
          .isNull();
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")))
          .isNull();
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")))
          .isNull();
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.prompt.0.content")))
          .isNull();
      assertThat(span.getEvents()).extracting(EventData::getName).containsExactly("exception");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
          .isEqualTo("gpt-4o");
    }
  }

  @Test
  void contentIsRedactedWhenOn() {
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.traceContent(true))) {
      assertThat(scope.tokenScope().contentPolicy().captureContent()).isTrue();
      foreignSpanWithContent(scope);

      SpanData span = scope.span("chat gpt-4o");

      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
          .isEqualTo(
              "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Menu for"
                  + " [REDACTED_EMAIL], call [REDACTED_PHONE]\"}]}]");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")))
          .isEqualTo("You are a chef.");
      assertThat(span.getEvents()).extracting(EventData::getName).contains("gen_ai.content.prompt");
    }
  }

  @Test
  void secretsAndAuthorizationHeadersNeverLeaveWhateverThePolicy() {
    for (boolean content : new boolean[] {false, true}) {
      try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.traceContent(content))) {
        foreignSpanWithContent(scope);

        SpanData span = scope.span("chat gpt-4o");
        String text = allText(span);

        assertThat(
                span.getAttributes()
                    .get(AttributeKey.stringKey("http.request.header.authorization")))
            .isNull();
        assertThat(
                span.getAttributes()
                    .get(AttributeKey.stringArrayKey("http.request.header.x-api-key")))
            .isNull();
        assertThat(text)
            .doesNotContain("sk-proj-abc")
            .doesNotContain("sk-ant-api03")
            .doesNotContain("AIzaSy")
            .doesNotContain("abcdefghijklmnop")
            .contains("[REDACTED_SECRET]");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      }
    }
  }

  @Test
  void ourInstrumentationsAskThePolicyBeforeRecording() {
    try (InMemoryTokenScope scope = InMemoryTokenScope.create()) {
      Span span = scope.foreignTracer().spanBuilder("chat gpt-4o").startSpan();
      assertThat(InferenceSpans.recordContent(span, "gen_ai.input.messages", MESSAGES)).isFalse();
      span.end();
      assertThat(scope.span("chat gpt-4o").getAttributes().isEmpty()).isTrue();
    }
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.traceContent(true))) {
      Span span = scope.foreignTracer().spanBuilder("chat gpt-4o").startSpan();
      assertThat(InferenceSpans.recordContent(span, "gen_ai.input.messages", MESSAGES)).isTrue();
      span.end();
      assertThat(
              scope
                  .span("chat gpt-4o")
                  .getAttributes()
                  .get(AttributeKey.stringKey("gen_ai.input.messages")))
          .contains("[REDACTED_EMAIL]");
    }
  }

  @Test
  void aCustomPolicyDrivesEverySourceAndAFailingOneFailsClosed() {
    ContentPolicy failing =
        new ContentPolicy() {
          @Override
          public boolean captureContent() {
            return true;
          }

          @Override
          public String redact(String content) {
            throw new IllegalStateException("policy bug");
          }
        };
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.contentPolicy(failing))) {
      foreignSpanWithContent(scope);

      SpanData span = scope.span("chat gpt-4o");

      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
          .isNull();
      assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
          .isEqualTo("gpt-4o");
    }
  }

  @Test
  void hostileContentDoesNotBreakExport() {
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(
            b ->
                b.contentPolicy(
                    ContentPolicy.builder().captureContent(true).maxLength(1_000).build()))) {
      String hostile =
          "{\"a\":".repeat(2_000)
              + "\"<script>alert(1)</script> 東京 🍣 \\u0000 sk-ant-api03-zzzzzzzzzzzzzzzz\""
              + "}".repeat(2_000);
      Span span =
          scope
              .foreignTracer()
              .spanBuilder("chat gpt-4o")
              .setAttribute("gen_ai.request.model", "gpt-4o")
              .setAttribute("gen_ai.output.messages", hostile)
              .startSpan();
      span.end();

      String exported =
          scope
              .span("chat gpt-4o")
              .getAttributes()
              .get(AttributeKey.stringKey("gen_ai.output.messages"));

      assertThat(exported).hasSizeLessThan(1_100).contains("…[truncated");
      assertThat(exported).doesNotContain("sk-ant-api03-zzz");
    }
  }
}
