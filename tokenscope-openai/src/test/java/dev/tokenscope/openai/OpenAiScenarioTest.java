package dev.tokenscope.openai;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
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
import io.opentelemetry.sdk.trace.data.StatusData;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OpenAiTelemetry} against the simulator: every scenario once per {@link Call} (chat
 * completions and the Responses API; sync, async, streaming, async streaming), and each number
 * compared with what the simulated provider saw.
 */
class OpenAiScenarioTest {

  static final String MODEL = "gpt-4o-mini";
  static final String SPAN = "chat " + MODEL;

  static LlmSimulator sim;
  InMemoryTokenScope scope;
  OpenAIClient client;

  @BeforeAll
  static void startSimulator() {
    sim = LlmSimulator.builder().seed(5).speed(0).retryAfter(Duration.ZERO).build().start();
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
    client = telemetry(scope).wrap(plainClient(2));
  }

  @AfterEach
  void stop() {
    client.close();
    scope.close();
  }

  static OpenAiTelemetry telemetry(InMemoryTokenScope scope) {
    return OpenAiTelemetry.builder(scope.tokenScope()).sleeper(FakeSleeper::new).build();
  }

  static OpenAIClient plainClient(int maxRetries) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(sim.openAiBaseUrl())
        .apiKey("sk-test")
        .maxRetries(maxRetries)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  static Call.Request request(String question) {
    return new Call.Request(MODEL, "You are a helpful chef.", question);
  }

  /**
   * The resends a span counts: all of them, but for asynchronous calls, whose requests the SDK
   * sends from {@code ForkJoinPool.commonPool()} without the caller's context, so that no resend
   * can be told apart from another call's (a known gap, in the README).
   */
  static Long expectedResends(Call call, long resends) {
    return call.async() ? null : resends;
  }

  static long simulatorPort() {
    return URI.create(sim.openAiBaseUrl()).getPort();
  }

  static long attr(SpanData span, String key) {
    Long value = span.getAttributes().get(AttributeKey.longKey(key));
    return value == null ? -1 : value;
  }

  static double cost(SpanData span, String key) {
    Double value = span.getAttributes().get(AttributeKey.doubleKey(key));
    return value == null ? Double.NaN : value;
  }

  long tokens(String type) {
    return scope.points("gen_ai.client.tokens", "gen_ai.token.type", type).stream()
        .mapToLong(p -> ((LongPointData) p).getValue())
        .sum();
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aCallIsOneClientSpanWithEveryContractAttributeAsTheProviderCountedIt(Call call) {
    String id = call.send(client, request("Suggest a starter for an autumn menu."));

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span(SPAN);
    assertThat(span)
        .hasKind(SpanKind.CLIENT)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("gen_ai.operation.name"), "chat"),
            equalTo(AttributeKey.stringKey("gen_ai.provider.name"), "openai"),
            equalTo(AttributeKey.stringKey("gen_ai.system"), "openai"),
            equalTo(AttributeKey.stringKey("gen_ai.request.model"), MODEL),
            equalTo(AttributeKey.stringKey("gen_ai.response.model"), seen.responseModel()),
            equalTo(AttributeKey.stringKey("gen_ai.response.id"), seen.responseId()),
            equalTo(AttributeKey.stringKey("gen_ai.response.id"), id),
            equalTo(AttributeKey.longKey("gen_ai.usage.input_tokens"), seen.inputTokens()),
            equalTo(AttributeKey.longKey("gen_ai.usage.output_tokens"), seen.outputTokens()),
            equalTo(
                AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"),
                seen.cacheReadTokens()),
            equalTo(AttributeKey.stringKey("server.address"), "127.0.0.1"),
            equalTo(AttributeKey.longKey("server.port"), simulatorPort()));
    assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(seen.inputTokens()).isPositive();
    assertThat(seen.outputTokens()).isPositive();
    assertThat(
            span.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
        .containsExactly("stop");
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.request.resend_count")))
        .isNull();
    if (call.streams()) {
      assertThat(span.getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")))
          .isTrue();
      assertThat(
              span.getAttributes()
                  .get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")))
          .isPositive();
    }
    assertThat(cost(span, "gen_ai.cost.total_usd"))
        .isPositive()
        .isCloseTo(
            cost(span, "gen_ai.cost.input_usd")
                + cost(span, "gen_ai.cost.cache_read_usd")
                + cost(span, "gen_ai.cost.cache_write_usd")
                + cost(span, "gen_ai.cost.output_usd"),
            within(1e-15));
  }

  @ParameterizedTest
  @EnumSource(
      value = Call.class,
      names = {"CHAT_SYNC", "CHAT_ASYNC", "CHAT_STREAMING", "CHAT_ASYNC_STREAMING"})
  @SuppressWarnings("deprecation") // seed: deprecated by OpenAI, still sent
  void aChatSpanHasTheRequestsSamplingSettingsAndIsTokenScopes(Call call) {
    ChatCompletionCreateParams params =
        call.chatParams(request("Name a cheese.")).toBuilder()
            .maxCompletionTokens(40)
            .temperature(0.4)
            .topP(0.9)
            .seed(7)
            .frequencyPenalty(0.5)
            .presencePenalty(-0.25)
            .stopOfStrings(List.of("END", "STOP"))
            .build();

    call.chat(client, params);

    SpanData span = scope.span(SPAN);
    assertThat(span)
        .hasKind(SpanKind.CLIENT)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.longKey("gen_ai.request.max_tokens"), 40L),
            equalTo(AttributeKey.doubleKey("gen_ai.request.temperature"), 0.4),
            equalTo(AttributeKey.doubleKey("gen_ai.request.top_p"), 0.9),
            equalTo(AttributeKey.longKey("gen_ai.request.seed"), 7L),
            equalTo(AttributeKey.doubleKey("gen_ai.request.frequency_penalty"), 0.5),
            equalTo(AttributeKey.doubleKey("gen_ai.request.presence_penalty"), -0.25),
            equalTo(
                AttributeKey.stringArrayKey("gen_ai.request.stop_sequences"),
                List.of("END", "STOP")));
    // Traced by TokenScope, not by OpenTelemetry's OpenAI instrumentation (see the README).
    assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("dev.tokenscope.openai");
  }

  @Test
  void oneStopStringIsOneStopSequence() {
    client
        .chat()
        .completions()
        .create(Call.CHAT_SYNC.chatParams(request("Say hi.")).toBuilder().stop("END").build());

    assertThat(
            scope
                .span(SPAN)
                .getAttributes()
                .get(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences")))
        .containsExactly("END");
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void costIsTheSnapshotPriceOfTheCountedTokens(Call call) {
    call.send(client, request("Name one herb."));

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span(SPAN);
    // gpt-4o-mini in the snapshot: $0.15 per million input tokens, $0.60 per million output.
    double input = seen.inputTokens() * 0.15 / 1_000_000;
    double output = seen.outputTokens() * 0.60 / 1_000_000;
    assertThat(cost(span, "gen_ai.cost.input_usd")).isCloseTo(input, within(1e-12));
    assertThat(cost(span, "gen_ai.cost.output_usd")).isCloseTo(output, within(1e-12));
    assertThat(cost(span, "gen_ai.cost.total_usd")).isCloseTo(input + output, within(1e-12));
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.cost.pricing_source")))
        .isEqualTo(PricingSnapshot.pricing().source());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void metricsCountTheSameTokensAndCost(Call call) {
    call.send(client, request("Name one spice."));

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span(SPAN);
    assertThat(tokens("input")).isEqualTo(seen.inputTokens());
    assertThat(tokens("output")).isEqualTo(seen.outputTokens());
    DoublePointData costPoint =
        (DoublePointData)
            scope.points("gen_ai.client.cost", "gen_ai.provider.name", "openai").get(0);
    assertThat(costPoint.getValue()).isCloseTo(cost(span, "gen_ai.cost.total_usd"), within(1e-15));
    // The semantic-convention histograms, once.
    HistogramPointData duration =
        (HistogramPointData)
            scope.points("gen_ai.client.operation.duration", "gen_ai.request.model", MODEL).get(0);
    assertThat(duration.getCount()).isEqualTo(1);
    HistogramPointData usage =
        (HistogramPointData)
            scope.points("gen_ai.client.token.usage", "gen_ai.token.type", "input").get(0);
    assertThat(usage.getCount()).isEqualTo(1);
    assertThat(usage.getSum()).isEqualTo(seen.inputTokens());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aCallOnAnotherThreadIsAChildOfItsWorkflowAndRolledUp(Call call) throws Exception {
    ExecutorService pool = TokenScope.propagating(Executors.newFixedThreadPool(2));
    try {
      TokenScope.workflow("menu")
          .call(() -> pool.submit(() -> call.send(client, request("A dessert?"))).get());
    } finally {
      pool.shutdown();
    }

    SpanData workflow = scope.span("menu.workflow");
    SpanData span = scope.span(SPAN);
    assertThat(span)
        .hasParentSpanId(workflow.getSpanId())
        .hasTraceId(workflow.getTraceId())
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("traceloop.workflow.name"), "menu"));
    assertThat(workflow)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.longKey("tokenscope.rollup.llm_calls"), 1L),
            equalTo(
                AttributeKey.longKey("tokenscope.rollup.input_tokens"),
                attr(span, "gen_ai.usage.input_tokens")),
            equalTo(
                AttributeKey.longKey("tokenscope.rollup.output_tokens"),
                attr(span, "gen_ai.usage.output_tokens")));
    assertThat(cost(workflow, "tokenscope.rollup.cost_usd"))
        .isCloseTo(cost(span, "gen_ai.cost.total_usd"), within(1e-15));
  }

  static Stream<Arguments> errors() {
    return Stream.of(Call.values())
        .flatMap(
            c ->
                Stream.of(
                    Arguments.of(c, Fault.RATE_LIMIT, 429, "com.openai.errors.RateLimitException"),
                    Arguments.of(
                        c, Fault.SERVER_ERROR, 500, "com.openai.errors.InternalServerException"),
                    Arguments.of(
                        c, Fault.OVERLOADED, 503, "com.openai.errors.InternalServerException")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void aCallThatFailsAfterItsRetriesIsAnErrorSpan(
      Call call, Fault fault, int status, String errorType) {
    sim.failNext(3, fault);

    assertThatThrownBy(() -> call.send(client, request("Soup?")))
        .isInstanceOf(OpenAIServiceException.class);

    assertThat(sim.requestLog().entries())
        .extracting(RecordedRequest::status)
        .containsExactly(status, status, status);
    SpanData span = scope.span(SPAN);
    assertThat(span)
        .hasKind(SpanKind.CLIENT)
        .hasStatus(StatusData.error())
        .hasAttributesSatisfying(equalTo(AttributeKey.stringKey("error.type"), errorType));
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.request.resend_count")))
        .isEqualTo(expectedResends(call, 2));
    // With error.type, which OpenTelemetry's instrumentation leaves off its duration histogram.
    HistogramPointData duration =
        (HistogramPointData)
            scope.points("gen_ai.client.operation.duration", "error.type", errorType).get(0);
    assertThat(duration.getCount()).isEqualTo(1);
  }

  static Stream<Arguments> rejections() {
    return Stream.of(Call.values())
        .flatMap(
            c ->
                Stream.of(
                    Arguments.of(
                        c, "unauthenticated", 401, "com.openai.errors.UnauthorizedException"),
                    Arguments.of(c, "invalid", 400, "com.openai.errors.BadRequestException")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rejections")
  void rejectedRequestsAreErrorSpans(Call call, String kind, int status, String errorType) {
    OpenAIClient target = client;
    Call.Request request = request("Bread?");
    if (kind.equals("unauthenticated")) {
      target =
          telemetry(scope)
              .wrap(
                  OpenAIOkHttpClient.builder()
                      .baseUrl(sim.openAiBaseUrl())
                      .apiKey(" ")
                      .maxRetries(0)
                      .build());
    } else if (call.chat()) {
      // gpt-5 models take max_completion_tokens and reject max_tokens.
      request = new Call.Request("gpt-5-mini", "Chef.", "Bread?", 10L);
    } else {
      request = new Call.Request(MODEL, "Chef.", "Bread?", 1L);
    }
    OpenAIClient finalTarget = target;
    Call.Request finalRequest = request;

    assertThatThrownBy(() -> call.send(finalTarget, finalRequest))
        .isInstanceOf(OpenAIServiceException.class);

    assertThat(sim.requestLog().last().status()).isEqualTo(status);
    assertThat(scope.span("chat " + finalRequest.model()))
        .hasStatus(StatusData.error())
        .hasAttributesSatisfying(equalTo(AttributeKey.stringKey("error.type"), errorType));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void faultsThenSuccessIsOneSpanCountingTheResends(Call call) {
    sim.failNext(1, Fault.RATE_LIMIT);
    sim.failNext(1, Fault.SERVER_ERROR);

    call.send(client, request("Salad?"));

    List<RecordedRequest> seen = sim.requestLog().entries();
    assertThat(seen).extracting(RecordedRequest::status).containsExactly(429, 500, 200);
    assertThat(seen).extracting(RecordedRequest::retryCount).containsExactly(0, 1, 2);
    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.request.resend_count")))
        .isEqualTo(expectedResends(call, 2));
    assertThat(span)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.longKey("gen_ai.usage.input_tokens"), seen.get(2).inputTokens()),
            equalTo(
                AttributeKey.longKey("gen_ai.usage.output_tokens"), seen.get(2).outputTokens()));
  }

  @ParameterizedTest
  @EnumSource(
      value = Call.class,
      names = {"CHAT_STREAMING", "RESPONSES_STREAMING"})
  void aStreamTheCallerAbandonsStillEndsItsSpan(Call call) {
    Call.Request request = request("Tell me a long story.");
    if (call.chat()) {
      try (StreamResponse<ChatCompletionChunk> stream =
          client.chat().completions().createStreaming(call.chatParams(request))) {
        assertThat(stream.stream().iterator().hasNext()).isTrue();
      }
    } else {
      try (StreamResponse<ResponseStreamEvent> stream =
          client.responses().createStreaming(call.responsesParams(request))) {
        assertThat(stream.stream().iterator().next().isCreated()).isTrue();
      }
    }

    SpanData span = scope.span(SPAN);
    assertThat(span.hasEnded()).isTrue();
    assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
  }

  @ParameterizedTest
  @EnumSource(
      value = Call.class,
      names = {"CHAT_ASYNC_STREAMING", "RESPONSES_ASYNC_STREAMING"})
  void anAsyncStreamTheCallerAbandonsStillEndsItsSpan(Call call) {
    Call.Request request = request("Tell me a long story.");
    if (call.chat()) {
      AsyncStreamResponse<ChatCompletionChunk> stream =
          client.async().chat().completions().createStreaming(call.chatParams(request));
      stream.subscribe(chunk -> stream.close());
    } else {
      AsyncStreamResponse<ResponseStreamEvent> stream =
          client.async().responses().createStreaming(call.responsesParams(request));
      stream.subscribe(event -> stream.close());
    }

    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
  }

  @ParameterizedTest
  @EnumSource(
      value = Call.class,
      names = {
        "CHAT_STREAMING",
        "CHAT_ASYNC_STREAMING",
        "RESPONSES_STREAMING",
        "RESPONSES_ASYNC_STREAMING"
      })
  void aStreamTheServerCutsEndsItsSpanAsFailed(Call call) {
    sim.failNext(1, Fault.STREAM_CUT);

    assertThatThrownBy(() -> call.send(client, request("Tell me a long story.")))
        .isInstanceOf(RuntimeException.class);

    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNotBlank();
  }

  @Test
  void aHundredConcurrentCallsAreAHundredCorrectSpans() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Call call = Call.values()[i % Call.values().length];
      Call.Request request = request("Question number " + i + "?");
      replies.add(pool.submit(() -> call.send(client, request)));
    }
    for (Future<String> reply : replies) {
      reply.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    Map<String, RecordedRequest> seen =
        sim.requestLog().entries().stream()
            .collect(Collectors.toMap(RecordedRequest::responseId, r -> r));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> scope.exported(s -> s.getName().equals(SPAN)).size() >= 100);
    List<SpanData> spans = scope.exported(s -> s.getName().equals(SPAN));
    assertThat(spans).hasSize(100);
    assertThat(seen).hasSize(100);
    for (SpanData span : spans) {
      RecordedRequest request =
          seen.get(span.getAttributes().get(AttributeKey.stringKey("gen_ai.response.id")));
      assertThat(request).isNotNull();
      assertThat(attr(span, "gen_ai.usage.input_tokens")).isEqualTo(request.inputTokens());
      assertThat(attr(span, "gen_ai.usage.output_tokens")).isEqualTo(request.outputTokens());
      assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    }
    assertThat(tokens("output"))
        .isEqualTo(seen.values().stream().mapToLong(RecordedRequest::outputTokens).sum());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aCachedPrefixShowsCacheTokensAndCostsLess(Call call) {
    StringBuilder handbook = new StringBuilder("Kitchen handbook.\n");
    for (int i = 0; i < 220; i++) {
      handbook.append("Rule ").append(i).append(": label every container at station ");
      handbook.append(i % 7).append(". ");
    }

    call.send(client, new Call.Request(MODEL, handbook.toString(), "Rule 3?", 32L));
    call.send(client, new Call.Request(MODEL, handbook.toString(), "Rule 4?", 32L));

    List<RecordedRequest> seen = sim.requestLog().entries();
    List<SpanData> spans = sortedSpans();
    assertThat(seen.get(0).cacheReadTokens()).isZero();
    assertThat(seen.get(1).cacheReadTokens()).isGreaterThanOrEqualTo(1024);
    for (int i = 0; i < 2; i++) {
      RecordedRequest request = seen.get(i);
      SpanData span = spans.get(i);
      assertThat(attr(span, "gen_ai.usage.input_tokens")).isEqualTo(request.inputTokens());
      assertThat(attr(span, "gen_ai.usage.cache_read.input_tokens"))
          .isEqualTo(request.cacheReadTokens());
      // gpt-4o-mini: $0.15/M uncached input, $0.075/M cached input, $0.60/M output.
      double expected =
          (request.uncachedInputTokens() * 0.15
                  + request.cacheReadTokens() * 0.075
                  + request.outputTokens() * 0.60)
              / 1_000_000;
      assertThat(cost(span, "gen_ai.cost.total_usd")).isCloseTo(expected, within(1e-12));
    }
    assertThat(cost(spans.get(1), "gen_ai.cost.total_usd"))
        .isLessThan(cost(spans.get(0), "gen_ai.cost.total_usd"));
    assertThat(tokens("cache_read")).isEqualTo(seen.get(1).cacheReadTokens());
  }

  List<SpanData> sortedSpans() {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> scope.exported(s -> s.getName().startsWith("chat ")).size() >= 2);
    return scope.exported(s -> s.getName().startsWith("chat ")).stream()
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void reasoningTokensAreCountedInsideOutputTokens(Call call) {
    call.send(client, new Call.Request("o4-mini", "Think first.", "Plan a tasting menu."));

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span("chat o4-mini");
    assertThat(seen.reasoningTokens()).isPositive();
    assertThat(attr(span, "gen_ai.usage.reasoning.output_tokens"))
        .isEqualTo(seen.reasoningTokens());
    assertThat(attr(span, "gen_ai.usage.output_tokens")).isEqualTo(seen.outputTokens());
    assertThat(tokens("reasoning")).isEqualTo(seen.reasoningTokens());
    // o4-mini: $1.10/M input, $4.40/M output (reasoning included).
    assertThat(cost(span, "gen_ai.cost.total_usd"))
        .isCloseTo(
            (seen.inputTokens() * 1.10 + seen.outputTokens() * 4.40) / 1_000_000, within(1e-12));
  }

  static final String SECRET_DISH = "Marinated beetroot Qxzv";

  @ParameterizedTest
  @EnumSource(Call.class)
  void contentIsLeftOutByDefault(Call call) {
    call.send(client, request("How do I cook " + SECRET_DISH + "? Mail chef@example.com"));

    SpanData span = scope.span(SPAN);
    assertThat(span.toString()).doesNotContain("Qxzv").doesNotContain("chef@example.com");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"))).isNull();
    assertThat(span.getEvents()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void contentIsRecordedRedactedWhenThePolicySaysSo(Call call) throws Exception {
    client.close();
    scope.close();
    scope = InMemoryTokenScope.create(b -> b.contentPolicy(ContentPolicy.enabled()));
    client = telemetry(scope).wrap(plainClient(0));

    call.send(client, request("How do I cook " + SECRET_DISH + "? Mail chef@example.com"));

    SpanData span = scope.span(SPAN);
    String input = span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"));
    JsonNode messages = new ObjectMapper().readTree(input);
    assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
    assertThat(messages.get(0).get("parts").get(0).get("content").asText())
        .contains(SECRET_DISH)
        .contains("[REDACTED_EMAIL]");
    assertThat(span.toString()).doesNotContain("chef@example.com");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")))
        .contains("helpful chef");
    JsonNode output =
        new ObjectMapper()
            .readTree(span.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")));
    assertThat(output.get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(output.get(0).get("parts").get(0).get("content").asText()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void embeddingsAreClientSpansWithTokensCostAndResends(boolean async) {
    sim.failNext(1, Fault.SERVER_ERROR);
    EmbeddingCreateParams params =
        EmbeddingCreateParams.builder()
            .model("text-embedding-3-small")
            .input("roasted pumpkin soup")
            .build();

    if (async) {
      Call.join(client.async().embeddings().create(params));
    } else {
      client.embeddings().create(params);
    }

    RecordedRequest seen = sim.requestLog().last();
    SpanData span = scope.span("embeddings text-embedding-3-small");
    assertThat(span)
        .hasKind(SpanKind.CLIENT)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("gen_ai.operation.name"), "embeddings"),
            equalTo(AttributeKey.stringKey("gen_ai.system"), "openai"),
            equalTo(AttributeKey.longKey("gen_ai.usage.input_tokens"), seen.inputTokens()),
            equalTo(AttributeKey.stringKey("server.address"), "127.0.0.1"),
            equalTo(AttributeKey.longKey("server.port"), simulatorPort()));
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.request.resend_count")))
        .isEqualTo(async ? null : 1L);
    assertThat(cost(span, "gen_ai.cost.total_usd"))
        .isCloseTo(seen.inputTokens() * 0.02 / 1_000_000, within(1e-12));
  }

  @ParameterizedTest
  @EnumSource(
      value = Call.class,
      names = {"CHAT_STREAMING", "CHAT_ASYNC_STREAMING"})
  void aChatStreamWithoutUsageIsAnUnpricedSpanNotAFreeOne(Call call) {
    // Without stream_options.include_usage the API reports no tokens in a stream. TokenScope does
    // not add the option (it would change the chunks the application reads): the call is counted
    // as unpriced, with no token counts and no dollar figure, rather than as $0.
    ChatCompletionCreateParams withoutUsage =
        call.chatParams(request("Soup?")).toBuilder().streamOptions(Optional.empty()).build();

    call.chat(client, withoutUsage);

    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(span)
        .hasAttributesSatisfying(
            equalTo(
                AttributeKey.stringKey("gen_ai.response.id"), sim.requestLog().last().responseId()),
            equalTo(AttributeKey.booleanKey("gen_ai.cost.pricing_unavailable"), true));
    assertThat(span.getAttributes().asMap().keySet())
        .extracting(AttributeKey::getKey)
        .doesNotContain(
            "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.cost.total_usd");
    assertThat(scope.points("gen_ai.client.unpriced_calls", "gen_ai.provider.name", "openai"))
        .singleElement()
        .satisfies(p -> assertThat(((LongPointData) p).getValue()).isEqualTo(1));
  }

  @Test
  void embeddingsThroughAClientWithNewOptionsAreOneSpan() {
    EmbeddingCreateParams params =
        EmbeddingCreateParams.builder().model("text-embedding-3-small").input("leek").build();

    client.withOptions(b -> b.maxRetries(0)).embeddings().create(params);
    client.withOptions(b -> b.maxRetries(0)).async().embeddings().create(params).join();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> scope.exported(s -> s.getName().startsWith("embeddings")).size() >= 2);
    assertThat(scope.exported(s -> s.getName().startsWith("embeddings"))).hasSize(2);
  }

  @Test
  void aClientWhoseOptionsChangeTheBaseUrlNamesTheNewServer() {
    // The same simulator under another loopback name: the span must name the server of the
    // client that sent the call, read again from the options withOptions built.
    String viaLocalhost = sim.openAiBaseUrl().replace("127.0.0.1", "localhost");
    Call.CHAT_SYNC.send(client.withOptions(b -> b.baseUrl(viaLocalhost)), request("One."));

    assertThat(scope.span(SPAN))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("server.address"), "localhost"),
            equalTo(AttributeKey.longKey("server.port"), simulatorPort()));
  }

  @Test
  void theWrappedClientKeepsItsTypeAndStaysTracedThroughItsViews() {
    OpenAIClient viaOptions = client.withOptions(b -> b.maxRetries(0));
    Call.CHAT_SYNC.send(viaOptions, request("One."));
    Call.RESPONSES_SYNC.send(viaOptions.async().sync(), request("Two."));

    assertThat(client).isInstanceOf(OpenAIClient.class);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> scope.exported(s -> s.getName().equals(SPAN)).size() == 2);
    assertThat(scope.exported(s -> s.getName().equals(SPAN)))
        .allSatisfy(span -> assertThat(span).hasKind(SpanKind.CLIENT));
  }

  /** A structured reply. */
  public static class Dish {
    public String name;
    public long calories;
  }

  @Test
  void structuredOutputCallsAreTracedToo() {
    Dish dish =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model(MODEL)
                    .addUserMessage("One autumn dish, as JSON.")
                    .responseFormat(Dish.class)
                    .build())
            .choices()
            .get(0)
            .message()
            .content()
            .orElseThrow();
    client
        .responses()
        .create(
            ResponseCreateParams.builder()
                .model(MODEL)
                .input("One autumn dish, as JSON.")
                .text(Dish.class)
                .build());

    assertThat(dish.name).isNotNull();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> scope.exported(s -> s.getName().equals(SPAN)).size() == 2);
    assertThat(scope.exported(s -> s.getName().equals(SPAN)))
        .allSatisfy(
            span ->
                assertThat(span)
                    .hasKind(SpanKind.CLIENT)
                    .hasAttributesSatisfying(
                        equalTo(AttributeKey.stringKey("gen_ai.system"), "openai")));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aMalformedReplyIsAnErrorSpan(Call call) {
    sim.failNext(1, Fault.MALFORMED_BODY);

    assertThatThrownBy(() -> call.send(client, request("Soup?")))
        .isInstanceOf(RuntimeException.class);

    SpanData span = scope.span(SPAN);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
        .startsWith("com.openai.errors.");
  }

  @Test
  void nullArgumentsAreRejectedByName() {
    assertThatThrownBy(() -> OpenAiTelemetry.create((TokenScope) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tokenScope");
    assertThatThrownBy(() -> telemetry(scope).wrap((OpenAIClient) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("client");
    assertThatThrownBy(() -> OpenAiTelemetry.builder(scope.tokenScope()).sleeper(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sleeper");
  }

  @ParameterizedTest
  @EnumSource(
      value = Call.class,
      names = {"CHAT_STREAMING", "RESPONSES_STREAMING"})
  void aStreamTheCallerDropsUnclosedEndsItsSpanOnceReclaimed(Call call) {
    readOneItemAndDrop(call);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              System.gc();
              return !scope.exported(s -> s.getName().equals(SPAN)).isEmpty();
            });
    assertThat(scope.span(SPAN).getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
  }

  private void readOneItemAndDrop(Call call) {
    Call.Request request = request("Tell me a long story.");
    if (call.chat()) {
      client.chat().completions().createStreaming(call.chatParams(request)).stream().findFirst();
    } else {
      client.responses().createStreaming(call.responsesParams(request)).stream().findFirst();
    }
  }
}
