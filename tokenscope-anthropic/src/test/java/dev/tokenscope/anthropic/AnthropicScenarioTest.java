package dev.tokenscope.anthropic;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.core.opentelemetry.OpenTelemetryContentMode;
import com.anthropic.core.opentelemetry.OpenTelemetryOptions;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.core.testing.InMemoryTokenScope;
import dev.tokenscope.core.testing.PricingSnapshot;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.RecordedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Anthropic SDK's own tracing, wired by {@link AnthropicTelemetry}, against the simulator:
 * every scenario once per {@link Variant}, and each number compared with what the simulated
 * provider saw.
 */
class AnthropicScenarioTest {

  static final String SPAN = "anthropic.messages.create";
  static final String MODEL = "claude-sonnet-4-5";

  static LlmSimulator sim;
  InMemoryTokenScope scope;
  AnthropicClient client;

  @BeforeAll
  static void startSimulator() {
    // 1 ms, not 0: the SDK ignores retry-after: 0 and falls back to its own 0.5–8 s backoff.
    sim = LlmSimulator.builder().seed(11).speed(0).retryAfter(Duration.ofMillis(1)).build().start();
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  @BeforeEach
  void start() {
    sim.requestLog().clear();
    sim.clearFaults();
    sim.clearPromptCaches();
    scope = InMemoryTokenScope.create();
    client = AnthropicTelemetry.create(scope.tokenScope()).wrap(plainClient(2));
  }

  @AfterEach
  void stop() {
    client.close();
    scope.close();
  }

  static AnthropicClient plainClient(int maxRetries) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(sim.anthropicBaseUrl())
        .apiKey("sk-ant-test")
        .maxRetries(maxRetries)
        .sleeper(new FakeSleeper())
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  static MessageCreateParams params(String question) {
    return MessageCreateParams.builder()
        .model(MODEL)
        .maxTokens(64)
        .system("You are a helpful chef.")
        .addUserMessage(question)
        .build();
  }

  static long attr(SpanData span, String key) {
    Long value = span.getAttributes().get(AttributeKey.longKey(key));
    return value == null ? -1 : value;
  }

  static double cost(SpanData span, String key) {
    Double value = span.getAttributes().get(AttributeKey.doubleKey(key));
    return value == null ? Double.NaN : value;
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void aCallIsOneClientSpanWithEveryContractAttributeAsTheProviderCountedIt(Variant variant) {
    Message reply = variant.send(client, params("Suggest a starter for an autumn menu."));

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span(SPAN);
    assertThat(span)
        .hasKind(SpanKind.CLIENT)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.ok())
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("gen_ai.operation.name"), "chat"),
            equalTo(AttributeKey.stringKey("gen_ai.provider.name"), "anthropic"),
            equalTo(AttributeKey.stringKey("gen_ai.system"), "anthropic"),
            equalTo(AttributeKey.stringKey("gen_ai.request.model"), MODEL),
            equalTo(AttributeKey.stringKey("gen_ai.response.model"), seen.responseModel()),
            equalTo(AttributeKey.longKey("gen_ai.request.max_tokens"), 64L),
            equalTo(AttributeKey.stringKey("gen_ai.response.id"), seen.responseId()),
            equalTo(AttributeKey.stringKey("gen_ai.response.id"), reply.id()),
            equalTo(AttributeKey.longKey("gen_ai.usage.input_tokens"), seen.inputTokens()),
            equalTo(AttributeKey.longKey("gen_ai.usage.output_tokens"), seen.outputTokens()),
            equalTo(
                AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"),
                seen.cacheReadTokens()),
            equalTo(
                AttributeKey.longKey("gen_ai.usage.cache_write.input_tokens"),
                seen.cacheWriteTokens()),
            equalTo(AttributeKey.stringKey("server.address"), "127.0.0.1"),
            equalTo(AttributeKey.longKey("server.port"), (long) sim.port()),
            equalTo(AttributeKey.longKey("http.response.status_code"), 200L));
    assertThat(seen.inputTokens()).isPositive();
    assertThat(seen.outputTokens()).isEqualTo(reply.usage().outputTokens()).isPositive();
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.request.resend_count")))
        .isNull();
    // The SDK's stop reason, also as the contract's finish reasons.
    assertThat(
            span.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly(reply.stopReason().orElseThrow().asString())
        .containsExactly(
            span.getAttributes().get(AttributeKey.stringKey("anthropic.message.stop_reason")));
    if (variant.streams()) {
      assertThat(span.getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")))
          .isTrue();
      assertThat(
              span.getAttributes()
                  .get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")))
          .isPositive();
    }
    // Priced on export from the snapshot; the cost attributes add up.
    assertThat(cost(span, "gen_ai.cost.total_usd"))
        .isPositive()
        .isCloseTo(
            cost(span, "gen_ai.cost.input_usd")
                + cost(span, "gen_ai.cost.cache_read_usd")
                + cost(span, "gen_ai.cost.cache_write_usd")
                + cost(span, "gen_ai.cost.output_usd"),
            within(1e-15));
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.cost.provider")))
        .isEqualTo("anthropic");
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void costIsTheSnapshotPriceOfTheCountedTokens(Variant variant) {
    variant.send(client, params("Name one herb."));

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span(SPAN);
    // claude-sonnet-4-5 in the snapshot: $3 per million input tokens, $15 per million output.
    double input = seen.inputTokens() * 3.0 / 1_000_000;
    double output = seen.outputTokens() * 15.0 / 1_000_000;
    assertThat(cost(span, "gen_ai.cost.input_usd")).isCloseTo(input, within(1e-12));
    assertThat(cost(span, "gen_ai.cost.output_usd")).isCloseTo(output, within(1e-12));
    assertThat(cost(span, "gen_ai.cost.total_usd")).isCloseTo(input + output, within(1e-12));
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.cost.model_resolved")))
        .isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.cost.pricing_source")))
        .isEqualTo(PricingSnapshot.pricing().source());
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void metricsCountTheSameTokensAndCost(Variant variant) {
    variant.send(client, params("Name one spice."));

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span(SPAN);
    assertThat(tokens("input")).isEqualTo(seen.inputTokens());
    assertThat(tokens("output")).isEqualTo(seen.outputTokens());
    DoublePointData costPoint =
        (DoublePointData)
            scope.points("gen_ai.client.cost", "gen_ai.provider.name", "anthropic").get(0);
    assertThat(costPoint.getValue()).isCloseTo(cost(span, "gen_ai.cost.total_usd"), within(1e-15));
    HistogramPointData duration =
        (HistogramPointData)
            scope.points("gen_ai.client.operation.duration", "gen_ai.request.model", MODEL).get(0);
    assertThat(duration.getCount()).isEqualTo(1);
    HistogramPointData usage =
        (HistogramPointData)
            scope.points("gen_ai.client.token.usage", "gen_ai.token.type", "input").get(0);
    assertThat(usage.getSum()).isEqualTo(seen.inputTokens());
  }

  long tokens(String type) {
    return scope.points("gen_ai.client.tokens", "gen_ai.token.type", type).stream()
        .mapToLong(p -> ((LongPointData) p).getValue())
        .sum();
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void aCallOnAnotherThreadIsAChildOfItsWorkflowAndRolledUp(Variant variant) throws Exception {
    ExecutorService pool = TokenScope.propagating(Executors.newFixedThreadPool(2));
    try {
      TokenScope.workflow("menu")
          .call(() -> pool.submit(() -> variant.send(client, params("A dessert?"))).get());
    } finally {
      pool.shutdown();
    }

    SpanData workflow = scope.span("menu.workflow");
    SpanData call = scope.span(SPAN);
    assertThat(call)
        .hasParentSpanId(workflow.getSpanId())
        .hasTraceId(workflow.getTraceId())
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("traceloop.workflow.name"), "menu"));
    assertThat(workflow)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.longKey("tokenscope.rollup.llm_calls"), 1L),
            equalTo(
                AttributeKey.longKey("tokenscope.rollup.input_tokens"),
                attr(call, "gen_ai.usage.input_tokens")),
            equalTo(
                AttributeKey.longKey("tokenscope.rollup.output_tokens"),
                attr(call, "gen_ai.usage.output_tokens")));
    assertThat(cost(workflow, "tokenscope.rollup.cost_usd"))
        .isCloseTo(cost(call, "gen_ai.cost.total_usd"), within(1e-15));
  }

  static Stream<Arguments> errors() {
    List<Object[]> cases =
        List.of(
            new Object[] {Fault.RATE_LIMIT, 3, 429, "rate_limit_error", 2L},
            new Object[] {Fault.SERVER_ERROR, 3, 500, "api_error", 2L},
            new Object[] {Fault.OVERLOADED, 3, 529, "overloaded_error", 2L});
    return Stream.of(Variant.values())
        .flatMap(v -> cases.stream().map(c -> Arguments.of(v, c[0], c[1], c[2], c[3], c[4])));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void aCallThatFailsAfterItsRetriesIsAnErrorSpan(
      Variant variant, Fault fault, int failures, int status, String errorType, long resends) {
    sim.failNext(failures, fault);

    assertThatThrownBy(() -> variant.send(client, params("Soup?")))
        .isInstanceOf(AnthropicServiceException.class);

    assertThat(sim.requestLog().entries()).hasSize(failures);
    SpanData span = scope.span(SPAN);
    assertThat(span)
        .hasKind(SpanKind.CLIENT)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("error.type"), errorType),
            equalTo(AttributeKey.longKey("http.response.status_code"), (long) status),
            equalTo(AttributeKey.longKey("http.request.resend_count"), resends));
    HistogramPointData duration =
        (HistogramPointData)
            scope.points("gen_ai.client.operation.duration", "error.type", errorType).get(0);
    assertThat(duration.getCount()).isEqualTo(1);
  }

  static Stream<Arguments> rejections() {
    return Stream.of(Variant.values())
        .flatMap(
            v ->
                Stream.of(
                    Arguments.of(v, "unauthenticated", 401, "authentication_error"),
                    Arguments.of(v, "invalid", 400, "invalid_request_error")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rejections")
  void rejectedRequestsAreErrorSpansWithTheProvidersErrorType(
      Variant variant, String kind, int status, String errorType) {
    AnthropicClient target = client;
    MessageCreateParams request = params("Bread?");
    if (kind.equals("unauthenticated")) {
      target =
          AnthropicTelemetry.create(scope.tokenScope())
              .wrap(
                  AnthropicOkHttpClient.builder()
                      .baseUrl(sim.anthropicBaseUrl())
                      .apiKey("")
                      .maxRetries(0)
                      .build());
    } else {
      request = request.toBuilder().maxTokens(0).build();
    }
    AnthropicClient finalTarget = target;
    MessageCreateParams finalRequest = request;

    assertThatThrownBy(() -> variant.send(finalTarget, finalRequest))
        .isInstanceOf(AnthropicServiceException.class);

    assertThat(sim.requestLog().last().status()).isEqualTo(status);
    assertThat(scope.span(SPAN))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("error.type"), errorType),
            equalTo(AttributeKey.longKey("http.response.status_code"), (long) status));
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void faultsThenSuccessIsOneSpanCountingTheResends(Variant variant) {
    sim.failNext(1, Fault.RATE_LIMIT);
    sim.failNext(1, Fault.OVERLOADED);

    variant.send(client, params("Salad?"));

    List<RecordedRequest> seen = sim.requestLog().entries();
    assertThat(seen).extracting(RecordedRequest::status).containsExactly(429, 529, 200);
    assertThat(seen).extracting(RecordedRequest::retryCount).containsExactly(0, 1, 2);
    assertThat(scope.span(SPAN))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.ok())
        .hasAttributesSatisfying(
            equalTo(AttributeKey.longKey("http.request.resend_count"), 2L),
            equalTo(AttributeKey.longKey("gen_ai.usage.input_tokens"), seen.get(2).inputTokens()),
            equalTo(
                AttributeKey.longKey("gen_ai.usage.output_tokens"), seen.get(2).outputTokens()));
  }

  @Test
  void aStreamTheCallerAbandonsStillEndsItsSpan() {
    try (StreamResponse<RawMessageStreamEvent> stream =
        client.messages().createStreaming(params("Tell me a long story."))) {
      assertThat(stream.stream().iterator().next().isMessageStart()).isTrue();
    }

    SpanData span = scope.span(SPAN);
    assertThat(span.hasEnded()).isTrue();
    // Closing early is a cancellation, not a failure.
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
  }

  @Test
  void anAsyncStreamTheCallerAbandonsStillEndsItsSpan() {
    AsyncStreamResponse<RawMessageStreamEvent> stream =
        client.async().messages().createStreaming(params("Tell me a long story."));
    stream.subscribe(event -> stream.close());

    await().atMost(Duration.ofSeconds(10)).until(() -> !scope.exported().isEmpty());
    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
  }

  @ParameterizedTest
  @EnumSource(
      value = Variant.class,
      names = {"STREAMING", "ASYNC_STREAMING"})
  void aStreamTheServerCutsEndsItsSpanAsFailed(Variant variant) {
    sim.failNext(1, Fault.STREAM_CUT);

    try {
      variant.send(client, params("Tell me a long story."));
    } catch (RuntimeException expected) {
      // The SDK may or may not surface the cut; the span must say it either way.
    }

    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNotBlank();
  }

  @Test
  void aHundredConcurrentCallsAreAHundredCorrectSpans() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Message>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Variant variant = Variant.values()[i % Variant.values().length];
      String question = "Question number " + i + "?";
      replies.add(pool.submit(() -> variant.send(client, params(question))));
    }
    for (Future<Message> reply : replies) {
      reply.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    Map<String, RecordedRequest> seen =
        sim.requestLog().entries().stream()
            .collect(Collectors.toMap(RecordedRequest::responseId, r -> r));
    List<SpanData> spans = scope.exported(s -> s.getName().equals(SPAN));
    assertThat(spans).hasSize(100);
    assertThat(seen).hasSize(100);
    for (SpanData span : spans) {
      RecordedRequest request =
          seen.get(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.id")));
      assertThat(request).isNotNull();
      assertThat(attr(span, "gen_ai.usage.input_tokens")).isEqualTo(request.inputTokens());
      assertThat(attr(span, "gen_ai.usage.output_tokens")).isEqualTo(request.outputTokens());
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
    }
    assertThat(tokens("input"))
        .isEqualTo(seen.values().stream().mapToLong(RecordedRequest::inputTokens).sum());
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void aCachedPrefixShowsCacheTokensAndCostsLess(Variant variant) {
    MessageCreateParams first = cachedParams("Rule 3?");
    MessageCreateParams second = cachedParams("Rule 4?");

    variant.send(client, first);
    variant.send(client, second);

    List<RecordedRequest> seen = sim.requestLog().entries();
    List<SpanData> spans =
        scope.exported(s -> s.getName().equals(SPAN)).stream()
            .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
            .toList();
    assertThat(seen.get(0).cacheWriteTokens()).isPositive();
    assertThat(seen.get(1).cacheReadTokens()).isEqualTo(seen.get(0).cacheWriteTokens());
    for (int i = 0; i < 2; i++) {
      RecordedRequest request = seen.get(i);
      SpanData span = spans.get(i);
      assertThat(attr(span, "gen_ai.usage.input_tokens")).isEqualTo(request.inputTokens());
      assertThat(attr(span, "gen_ai.usage.cache_read.input_tokens"))
          .isEqualTo(request.cacheReadTokens());
      assertThat(attr(span, "gen_ai.usage.cache_write.input_tokens"))
          .isEqualTo(request.cacheWriteTokens());
      // $3/M uncached input, $0.30/M cache reads, $3.75/M cache writes, $15/M output.
      double expected =
          (request.uncachedInputTokens() * 3.0
                  + request.cacheReadTokens() * 0.30
                  + request.cacheWriteTokens() * 3.75
                  + request.outputTokens() * 15.0)
              / 1_000_000;
      assertThat(cost(span, "gen_ai.cost.total_usd")).isCloseTo(expected, within(1e-12));
    }
    assertThat(cost(spans.get(1), "gen_ai.cost.total_usd"))
        .isLessThan(cost(spans.get(0), "gen_ai.cost.total_usd"));
    assertThat(tokens("cache_read")).isEqualTo(seen.get(1).cacheReadTokens());
    assertThat(tokens("cache_write")).isEqualTo(seen.get(0).cacheWriteTokens());
  }

  static MessageCreateParams cachedParams(String question) {
    StringBuilder handbook = new StringBuilder("Kitchen handbook.\n");
    for (int i = 0; i < 220; i++) {
      handbook.append("Rule ").append(i).append(": label every container at station ");
      handbook.append(i % 7).append(". ");
    }
    return MessageCreateParams.builder()
        .model(MODEL)
        .maxTokens(32)
        .systemOfTextBlockParams(
            List.of(
                TextBlockParam.builder()
                    .text(handbook.toString())
                    .cacheControl(CacheControlEphemeral.builder().build())
                    .build()))
        .addUserMessage(question)
        .build();
  }

  static final String SECRET_DISH = "Marinated beetroot Qxzv";

  @ParameterizedTest
  @EnumSource(Variant.class)
  void contentIsLeftOutByDefault(Variant variant) {
    variant.send(client, params("How do I cook " + SECRET_DISH + "? Mail chef@example.com"));

    SpanData span = scope.span(SPAN);
    assertThat(span.toString()).doesNotContain("Qxzv").doesNotContain("chef@example.com");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"))).isNull();
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void contentIsRecordedRedactedWhenThePolicySaysSo(Variant variant) {
    scope.close();
    client.close();
    scope = InMemoryTokenScope.create(b -> b.contentPolicy(ContentPolicy.enabled()));
    client = AnthropicTelemetry.create(scope.tokenScope()).wrap(plainClient(0));

    variant.send(client, params("How do I cook " + SECRET_DISH + "? Mail chef@example.com"));

    SpanData span = scope.span(SPAN);
    String input = span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"));
    assertThat(input).contains(SECRET_DISH).contains("[REDACTED_EMAIL]");
    assertThat(span.toString()).doesNotContain("chef@example.com");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")))
        .contains("helpful chef");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")))
        .isNotBlank();
  }

  @Test
  void theSdkIsGivenThePolicysContentModeAndBound() {
    OpenTelemetryOptions off = AnthropicTelemetry.create(scope.tokenScope()).openTelemetryOptions();
    assertThat(off.traces().contentMode()).isEqualTo(OpenTelemetryContentMode.METADATA_ONLY);
    assertThat(off.tracerProvider()).isPresent();
    assertThat(off.propagation()).isFalse();

    OpenTelemetryOptions on =
        AnthropicTelemetry.builder(scope.tokenScope())
            .contentPolicy(ContentPolicy.builder().captureContent(true).maxLength(4_096).build())
            .propagation(true)
            .build()
            .openTelemetryOptions();
    assertThat(on.traces().contentMode()).isEqualTo(OpenTelemetryContentMode.CONTENT);
    assertThat(on.traces().maxContentBytes()).contains(4_096L);
    assertThat(on.propagation()).isTrue();
  }

  @Test
  void wrappingKeepsTheClientsOwnOptions() {
    AnthropicClient wrapped = AnthropicTelemetry.create(scope.tokenScope()).wrap(plainClient(5));

    assertThat(wrapped.options().maxRetries()).isEqualTo(5);
    assertThat(wrapped.options().baseUrl()).isEqualTo(sim.anthropicBaseUrl());
    assertThat(wrapped.options().openTelemetry().traces().enabled()).isTrue();
    assertThat(wrapped.async().options().openTelemetry().tracerProvider()).isPresent();
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void aMalformedReplyIsAnErrorSpan(Variant variant) {
    sim.failNext(1, Fault.MALFORMED_BODY);

    assertThatThrownBy(() -> variant.send(client, params("Soup?")))
        .isInstanceOf(RuntimeException.class);

    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNotBlank();
  }

  @Test
  void nullArgumentsAreRejectedByName() {
    assertThatThrownBy(() -> AnthropicTelemetry.create((TokenScope) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tokenScope");
    assertThatThrownBy(
            () -> AnthropicTelemetry.create(scope.tokenScope()).wrap((AnthropicClient) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("client");
    assertThatThrownBy(() -> AnthropicTelemetry.builder(scope.tokenScope()).contentPolicy(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("contentPolicy");
  }
}
