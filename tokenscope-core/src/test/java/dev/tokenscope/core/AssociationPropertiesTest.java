package dev.tokenscope.core;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class AssociationPropertiesTest {

  private static final String KEY = "a-test-key-of-at-least-16-bytes";

  private static String property(SpanData span, String key) {
    return span.getAttributes()
        .get(AttributeKey.stringKey("traceloop.association.properties." + key));
  }

  @Test
  void propertiesLandOnEverySpanInScopeWithIdsHashed() throws Exception {
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.associationHashKey(KEY))) {
      ExecutorService pool = TokenScope.propagating(Executors.newSingleThreadExecutor());
      try (Scope ignored =
          AssociationProperties.builder()
              .userId("alice@example.com")
              .sessionId("session-42")
              .customerId("acme")
              .put("plan", "pro")
              .build()
              .makeCurrent()) {
        TokenScope.workflow("menu")
            .run(
                () -> {
                  scope.foreignChat("gpt-4o", 10, 1);
                  pool.submit(() -> scope.foreignChat("gpt-4o-mini", 10, 1)).get();
                });
      } finally {
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
      scope.foreignChat("outside", 1, 1);

      List<SpanData> inScope =
          List.of(
              scope.span("menu.workflow"),
              scope.span("chat gpt-4o"),
              scope.span("chat gpt-4o-mini"));
      String userHash = property(inScope.get(0), "user_id");
      assertThat(userHash).matches("[0-9a-f]{32}").isNotEqualTo("alice@example.com");
      for (SpanData span : inScope) {
        assertThat(span)
            .hasAttributesSatisfying(
                equalTo(
                    AttributeKey.stringKey("traceloop.association.properties.user_id"), userHash),
                equalTo(
                    AttributeKey.stringKey("traceloop.association.properties.session_id"),
                    "session-42"),
                equalTo(AttributeKey.stringKey("traceloop.association.properties.plan"), "pro"));
        assertThat(property(span, "customer_id")).matches("[0-9a-f]{32}").isNotEqualTo("acme");
      }
      assertThat(property(scope.span("chat outside"), "user_id")).isNull();
    }
  }

  @Test
  void theSameIdAndKeyAlwaysHashTheSameAndOtherKeysDiffer() {
    String first;
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.associationHashKey(KEY))) {
      first = AssociationProperties.builder().userId("alice").build().asMap().get("user_id");
      assertThat(AssociationProperties.builder().userId("alice").build().asMap())
          .containsEntry("user_id", first);
      assertThat(AssociationProperties.builder().userId("bob").build().asMap().get("user_id"))
          .isNotEqualTo(first);
    }
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(b -> b.associationHashKey("another-key-of-16-bytes+"))) {
      assertThat(AssociationProperties.builder().userId("alice").build().asMap().get("user_id"))
          .isNotEqualTo(first);
    }
  }

  @Test
  void nestedScopesAddToAndOverrideTheEnclosingOnes() {
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.associationHashKey(KEY))) {
      try (Scope outer =
          AssociationProperties.builder()
              .sessionId("s-1")
              .put("plan", "free")
              .build()
              .makeCurrent()) {
        try (Scope inner =
            AssociationProperties.builder().put("plan", "pro").build().makeCurrent()) {
          assertThat(AssociationProperties.current(Context.current()))
              .containsEntry("session_id", "s-1")
              .containsEntry("plan", "pro");
          scope.foreignChat("gpt-4o", 1, 1);
        }
        assertThat(AssociationProperties.current(Context.current())).containsEntry("plan", "free");
      }
      assertThat(AssociationProperties.current(Context.current())).isEmpty();

      SpanData span = scope.span("chat gpt-4o");
      assertThat(property(span, "session_id")).isEqualTo("s-1");
      assertThat(property(span, "plan")).isEqualTo("pro");
    }
  }

  @Test
  void hashingCanBeTurnedOff() {
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.hashAssociationIds(false))) {
      assertThat(AssociationProperties.builder().userId("alice").build().asMap())
          .containsEntry("user_id", "alice");
    }
  }

  @Test
  void withoutAKeyIdsAreStillHashedAndAWarningIsLoggedOnce() {
    List<LogRecord> records = new ArrayList<>();
    Handler handler = recordingHandler(records);
    Logger logger = Logger.getLogger("dev.tokenscope.core.internal.IdHasher");
    logger.addHandler(handler);
    try (InMemoryTokenScope scope = InMemoryTokenScope.create()) {
      String hash = AssociationProperties.builder().userId("alice").build().asMap().get("user_id");
      AssociationProperties.builder().customerId("acme").userId("bob").build();

      assertThat(hash).matches("[0-9a-f]{32}");
      List<LogRecord> warnings =
          records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).getMessage()).contains("TOKENSCOPE_ASSOCIATION_HASH_KEY");
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void badKeysAndValuesFailClearly() {
    assertThatThrownBy(() -> AssociationProperties.builder().put("has space", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[A-Za-z0-9_.-]");
    assertThatThrownBy(() -> AssociationProperties.builder().put("k".repeat(65), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AssociationProperties.builder().userId(null))
        .isInstanceOf(NullPointerException.class);
    assertThat(
            AssociationProperties.builder()
                .put("note", "x".repeat(1_000))
                .build()
                .asMap()
                .get("note"))
        .hasSize(AssociationProperties.MAX_VALUE_LENGTH);
  }

  @Test
  void aShortHashKeyIsAConfigurationError() {
    assertThatThrownBy(() -> InMemoryTokenScope.create(b -> b.associationHashKey("short")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("at least 16 bytes");
  }

  static Handler recordingHandler(List<LogRecord> records) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (records) {
          records.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
