package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.pricing.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InferenceAttributesNormalisationTest {

  private static InferenceAttributes read(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return InferenceAttributes.read(AttributeSource.of(map));
  }

  @Test
  void currentSemanticConventionsAreReadAsIs() {
    Attributes attributes =
        Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.provider.name", "openai")
            .put("gen_ai.request.model", "gpt-4o")
            .put("gen_ai.response.model", "gpt-4o-2024-08-06")
            .put("gen_ai.usage.input_tokens", 1200L)
            .put("gen_ai.usage.output_tokens", 300L)
            .put("gen_ai.usage.cache_read.input_tokens", 1000L)
            .put("gen_ai.usage.cache_write.input_tokens", 100L)
            .put("gen_ai.usage.reasoning.output_tokens", 50L)
            .build();

    InferenceAttributes fromAttributes = InferenceAttributes.read(attributes);
    InferenceAttributes fromSource = InferenceAttributes.read(AttributeSource.of(attributes));

    assertThat(fromAttributes)
        .isEqualTo(
            new InferenceAttributes(
                "chat", "openai", "gpt-4o", "gpt-4o-2024-08-06", 1200, 300, 1000, 100, 50, false));
    assertThat(fromSource).isEqualTo(fromAttributes);
    assertThat(fromAttributes.model()).isEqualTo("gpt-4o-2024-08-06");
  }

  @Test
  void modelFallsBackToTheRequestModel() {
    InferenceAttributes inference = read("gen_ai.request.model", "claude-sonnet-4-5");

    assertThat(inference).isNotNull();
    assertThat(inference.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(inference.responseModel()).isNull();
  }

  @Test
  void olderPromptAndCompletionTokenNamesAreRead() {
    InferenceAttributes inference =
        read(
            "gen_ai.system",
            "openai",
            "gen_ai.request.model",
            "gpt-4o-mini",
            "gen_ai.usage.prompt_tokens",
            42L,
            "gen_ai.usage.completion_tokens",
            7L);

    assertThat(inference.inputTokens()).isEqualTo(42);
    assertThat(inference.outputTokens()).isEqualTo(7);
    assertThat(inference.provider()).isEqualTo("openai");
  }

  @Test
  void currentNamesWinOverOlderOnes() {
    InferenceAttributes inference =
        read(
            "gen_ai.request.model", "m",
            "gen_ai.usage.input_tokens", 10L,
            "gen_ai.usage.prompt_tokens", 99L,
            "gen_ai.usage.output_tokens", 5L,
            "gen_ai.usage.completion_tokens", 99L,
            "gen_ai.usage.cache_write.input_tokens", 2L,
            "gen_ai.usage.cache_creation.input_tokens", 8L,
            "gen_ai.usage.cache_creation_input_tokens", 9L,
            "gen_ai.provider.name", "anthropic",
            "gen_ai.system", "openai");

    assertThat(inference.inputTokens()).isEqualTo(10);
    assertThat(inference.outputTokens()).isEqualTo(5);
    assertThat(inference.cacheWriteTokens()).isEqualTo(2);
    assertThat(inference.provider()).isEqualTo("anthropic");
  }

  @Test
  void systemWithoutProviderNameIsTheProvider() {
    assertThat(read("gen_ai.system", "anthropic", "gen_ai.request.model", "x").provider())
        .isEqualTo("anthropic");
  }

  @ParameterizedTest
  @MethodSource("providerAliases")
  void providerSpellingsOfOtherInstrumentationsAreMapped(String raw, String expected) {
    assertThat(read("gen_ai.system", raw, "gen_ai.request.model", "m").provider())
        .isEqualTo(expected);
  }

  static List<Arguments> providerAliases() {
    return List.of(
        Arguments.of("OpenAI", "openai"),
        Arguments.of("Anthropic", "anthropic"),
        Arguments.of("az.ai.openai", "azure.ai.openai"),
        Arguments.of("azure_openai", "azure.ai.openai"),
        Arguments.of("bedrock_converse", "aws.bedrock"),
        Arguments.of("Bedrock", "aws.bedrock"),
        Arguments.of("vertex_ai", "gcp.vertex_ai"),
        Arguments.of("VertexAI", "gcp.vertex_ai"),
        Arguments.of("mistralai", "mistral_ai"),
        Arguments.of("gcp.gemini", "gcp.gemini"),
        Arguments.of("some.new.provider", "some.new.provider"));
  }

  @Test
  void openLlmetryAnthropicKeysAreRead() {
    // OpenLLMetry's Anthropic instrumentation: input already includes the cache counts.
    InferenceAttributes inference =
        read(
            "gen_ai.system", "Anthropic",
            "llm.request.type", "chat",
            "gen_ai.request.model", "claude-3-5-sonnet-20241022",
            "gen_ai.usage.prompt_tokens", 2100L,
            "gen_ai.usage.completion_tokens", 80L,
            "gen_ai.usage.cache_read_input_tokens", 1800L,
            "gen_ai.usage.cache_creation_input_tokens", 200L);

    assertThat(inference)
        .isEqualTo(
            new InferenceAttributes(
                "chat",
                "anthropic",
                "claude-3-5-sonnet-20241022",
                null,
                2100,
                80,
                1800,
                200,
                0,
                false));
  }

  @ParameterizedTest
  @MethodSource("requestTypes")
  void openLlmetryRequestTypeBecomesTheOperation(String requestType, String operation) {
    InferenceAttributes inference = read("llm.request.type", requestType);

    assertThat(inference).isNotNull();
    assertThat(inference.operation()).isEqualTo(operation);
  }

  static List<Arguments> requestTypes() {
    return List.of(
        Arguments.of("chat", "chat"),
        Arguments.of("completion", "text_completion"),
        Arguments.of("embedding", "embeddings"),
        Arguments.of("rerank", "rerank"));
  }

  @Test
  void olderCacheCreationNameIsRead() {
    InferenceAttributes inference =
        read(
            "gen_ai.request.model", "m",
            "gen_ai.usage.input_tokens", 500L,
            "gen_ai.usage.cache_creation.input_tokens", 300L);

    assertThat(inference.cacheWriteTokens()).isEqualTo(300);
    assertThat(inference.inputTokens()).isEqualTo(500);
  }

  @Test
  void openLlmetryReasoningTokensAreRead() {
    InferenceAttributes inference =
        read(
            "gen_ai.request.model", "o3-mini",
            "gen_ai.usage.completion_tokens", 900L,
            "gen_ai.usage.reasoning_tokens", 700L);

    assertThat(inference.reasoningTokens()).isEqualTo(700);
    assertThat(inference.outputTokens()).isEqualTo(900);
  }

  @Test
  void springAiChatModelSpanIsAnInference() {
    InferenceAttributes inference =
        read(
            "gen_ai.operation.name", "chat",
            "gen_ai.system", "azure_openai",
            "gen_ai.request.model", "gpt-4o",
            "gen_ai.response.model", "gpt-4o-2024-05-13",
            "gen_ai.usage.input_tokens", 17L,
            "gen_ai.usage.output_tokens", 4L,
            "gen_ai.usage.total_tokens", 21L);

    assertThat(inference)
        .isEqualTo(
            new InferenceAttributes(
                "chat", "azure.ai.openai", "gpt-4o", "gpt-4o-2024-05-13", 17, 4, 0, 0, 0, false));
  }

  @Test
  void springAiEmbeddingOperationIsNormalised() {
    InferenceAttributes inference =
        read(
            "gen_ai.operation.name", "embedding",
            "gen_ai.system", "openai",
            "gen_ai.request.model", "text-embedding-3-small",
            "gen_ai.usage.input_tokens", 8L,
            "gen_ai.usage.total_tokens", 8L);

    assertThat(inference.operation()).isEqualTo("embeddings");
    assertThat(inference.inputTokens()).isEqualTo(8);
    assertThat(inference.outputTokens()).isZero();
  }

  @Test
  void springAiFrameworkAndWrapperSpansAreNotInferences() {
    assertThat(
            read(
                "gen_ai.operation.name", "framework",
                "gen_ai.system", "spring_ai",
                "spring.ai.kind", "chat_client",
                "gen_ai.usage.input_tokens", 17L))
        .isNull();
    assertThat(read("spring.ai.kind", "advisor", "gen_ai.request.model", "gpt-4o")).isNull();
    assertThat(read("spring.ai.kind", "vector_store", "gen_ai.usage.input_tokens", 3L)).isNull();
  }

  @Test
  void totalMinusOutputStandsInForAMissingInputCount() {
    InferenceAttributes inference =
        read(
            "gen_ai.request.model", "m",
            "gen_ai.usage.total_tokens", "130",
            "gen_ai.usage.output_tokens", 30L);

    assertThat(inference.inputTokens()).isEqualTo(100);
  }

  @Test
  void cacheCountsLargerThanInputMeanInputWasReportedExclusiveOfCache() {
    // Anthropic's API style: input_tokens=50 uncached, 1000 read from cache, 200 written to it.
    InferenceAttributes inference =
        read(
            "gen_ai.provider.name", "anthropic",
            "gen_ai.request.model", "claude-sonnet-4-5",
            "gen_ai.usage.input_tokens", 50L,
            "gen_ai.usage.output_tokens", 10L,
            "gen_ai.usage.cache_read.input_tokens", 1000L,
            "gen_ai.usage.cache_write.input_tokens", 200L);

    assertThat(inference.inputTokens()).isEqualTo(1250);
    assertThat(inference.cacheReadTokens()).isEqualTo(1000);
    assertThat(inference.cacheWriteTokens()).isEqualTo(200);
  }

  @Test
  void cacheCountsWithinInputAreTakenAsIncluded() {
    InferenceAttributes inference =
        read(
            "gen_ai.request.model", "gpt-4o",
            "gen_ai.usage.input_tokens", 1250L,
            "gen_ai.usage.cache_read.input_tokens", 1000L,
            "gen_ai.usage.cache_write.input_tokens", 250L);

    assertThat(inference.inputTokens()).isEqualTo(1250);
  }

  @Test
  void reasoningLargerThanOutputMeansOutputWasReportedExclusiveOfIt() {
    InferenceAttributes inference =
        read(
            "gen_ai.request.model", "gemini-2.5-pro",
            "gen_ai.usage.output_tokens", 100L,
            "gen_ai.usage.reasoning.output_tokens", 400L);

    assertThat(inference.outputTokens()).isEqualTo(500);
    assertThat(inference.reasoningTokens()).isEqualTo(400);
  }

  @Test
  void costOrPricingUnavailableMarksTheSpanAsAlreadyPriced() {
    assertThat(read("gen_ai.request.model", "m", "gen_ai.cost.total_usd", 0.01).alreadyPriced())
        .isTrue();
    assertThat(
            read("gen_ai.request.model", "m", "gen_ai.cost.pricing_unavailable", true)
                .alreadyPriced())
        .isTrue();
    assertThat(
            read("gen_ai.request.model", "m", "gen_ai.cost.pricing_unavailable", "TRUE")
                .alreadyPriced())
        .isTrue();
    assertThat(
            read("gen_ai.request.model", "m", "gen_ai.cost.pricing_unavailable", false)
                .alreadyPriced())
        .isFalse();
    assertThat(read("gen_ai.request.model", "m").alreadyPriced()).isFalse();
  }

  @Test
  void structureSpansAreNotInferencesEvenWithUsage() {
    assertThat(
            read(
                "gen_ai.operation.name", "invoke_agent",
                "gen_ai.request.model", "gpt-4o",
                "gen_ai.usage.input_tokens", 100L))
        .isNull();
    assertThat(read("gen_ai.operation.name", "invoke_workflow")).isNull();
    assertThat(read("gen_ai.operation.name", "execute_tool", "gen_ai.request.model", "m")).isNull();
    assertThat(read("gen_ai.operation.name", "create_agent", "gen_ai.request.model", "m")).isNull();
    assertThat(
            read(
                "traceloop.span.kind", "workflow",
                "gen_ai.usage.input_tokens", 100L,
                "gen_ai.request.model", "m"))
        .isNull();
  }

  @Test
  void spansWithoutGenAiAttributesAreNotInferences() {
    assertThat(read()).isNull();
    assertThat(read("http.request.method", "POST", "server.address", "api.openai.com")).isNull();
    assertThat(read("gen_ai.system", "openai")).isNull();
    assertThat(read("gen_ai.operation.name", "retrieval")).isNull();
  }

  @Test
  void anInferenceOperationAloneIsAnInference() {
    InferenceAttributes inference = read("gen_ai.operation.name", "chat");

    assertThat(inference)
        .isEqualTo(new InferenceAttributes("chat", null, null, null, 0, 0, 0, 0, 0, false));
    assertThat(inference.model()).isNull();
  }

  @Test
  void tokenCountsAloneMakeAnInference() {
    assertThat(read("gen_ai.usage.output_tokens", 3L)).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("countValues")
  void tokenCountsAreReadFromEveryValueShape(Object value, long expected) {
    assertThat(
            read("gen_ai.request.model", "m", "gen_ai.usage.output_tokens", value).outputTokens())
        .isEqualTo(expected);
  }

  static List<Arguments> countValues() {
    return List.of(
        Arguments.of(12L, 12),
        Arguments.of(12, 12),
        Arguments.of((short) 12, 12),
        Arguments.of(12.0, 12),
        Arguments.of(12.9, 12),
        Arguments.of(12.0f, 12),
        Arguments.of("12", 12),
        Arguments.of(" 12 ", 12),
        Arguments.of("12.0", 12),
        Arguments.of("1.2e3", 1200),
        Arguments.of("9223372036854775807", Long.MAX_VALUE),
        Arguments.of(new BigInteger("77"), 77),
        Arguments.of(new BigDecimal("77.5"), 77),
        Arguments.of(List.of(12L), 12),
        Arguments.of(List.of("12"), 12),
        Arguments.of(Arrays.asList(null, 13L), 13),
        Arguments.of(new Object[] {14}, 14),
        Arguments.of(Value.of(15L), 15),
        Arguments.of(Value.of("16"), 16),
        Arguments.of(Map.of("intValue", "17"), 17),
        Arguments.of(Map.of("doubleValue", 18.0), 18),
        Arguments.of(
            Map.of("arrayValue", Map.of("values", List.of(Map.of("intValue", "19")))), 19));
  }

  @ParameterizedTest
  @MethodSource("malformedCounts")
  void malformedTokenCountsAreAbsent(Object value) {
    InferenceAttributes inference =
        read("gen_ai.request.model", "m", "gen_ai.usage.output_tokens", value);

    assertThat(inference).isNotNull();
    assertThat(inference.outputTokens()).isZero();
  }

  static List<Arguments> malformedCounts() {
    List<Object> selfContaining = new ArrayList<>();
    selfContaining.add(selfContaining);
    return List.of(
        Arguments.of(-5L),
        Arguments.of(-5),
        Arguments.of(-0.5),
        Arguments.of(Double.NaN),
        Arguments.of(Double.POSITIVE_INFINITY),
        Arguments.of(1e30),
        Arguments.of("-3"),
        Arguments.of("twelve"),
        Arguments.of(""),
        Arguments.of("   "),
        Arguments.of("NaN"),
        Arguments.of("Infinity"),
        Arguments.of("99999999999999999999999"),
        Arguments.of("1".repeat(10_000)),
        Arguments.of("12abc"),
        Arguments.of(true),
        Arguments.of(List.of()),
        Arguments.of((Object) new Object[0]),
        Arguments.of(Map.of()),
        Arguments.of(Map.of("kvlistValue", Map.of())),
        Arguments.of(Map.of("intValue", "x", "stringValue", "y")),
        Arguments.of(selfContaining),
        Arguments.of(new Object()),
        Arguments.of(new ThrowingToString()));
  }

  @Test
  void namesAreTrimmedCutAndOnlyTakenFromText() {
    assertThat(read("gen_ai.request.model", "  gpt-4o  ").requestModel()).isEqualTo("gpt-4o");
    assertThat(read("gen_ai.request.model", List.of("gpt-4o")).requestModel()).isEqualTo("gpt-4o");
    assertThat(read("gen_ai.request.model", Map.of("stringValue", "m")).requestModel())
        .isEqualTo("m");
    assertThat(read("gen_ai.request.model", "x".repeat(100_000)).requestModel()).hasSize(256);
    assertThat(read("gen_ai.request.model", 42L, "gen_ai.usage.input_tokens", 1L).requestModel())
        .isNull();
    assertThat(read("gen_ai.request.model", "   ", "gen_ai.usage.input_tokens", 1L).requestModel())
        .isNull();
  }

  @Test
  void aSourceThatThrowsLosesOnlyTheKeyThatThrew() {
    AttributeSource source =
        key -> {
          if (key.equals("gen_ai.usage.input_tokens")) {
            throw new IllegalStateException("broken row");
          }
          return key.equals("gen_ai.request.model") ? "gpt-4o" : null;
        };

    InferenceAttributes inference = InferenceAttributes.read(source);

    assertThat(inference.requestModel()).isEqualTo("gpt-4o");
    assertThat(inference.inputTokens()).isZero();
  }

  @Test
  void hugeCountsSaturateInsteadOfOverflowing() {
    InferenceAttributes inference =
        read(
            "gen_ai.request.model",
            "m",
            "gen_ai.usage.input_tokens",
            1L,
            "gen_ai.usage.cache_read.input_tokens",
            Long.MAX_VALUE,
            "gen_ai.usage.cache_write.input_tokens",
            Long.MAX_VALUE);

    assertThat(inference.inputTokens()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void typedAttributesOfUnexpectedTypesAreTolerated() {
    Attributes attributes =
        Attributes.builder()
            .put(AttributeKey.stringKey("gen_ai.usage.input_tokens"), "120")
            .put(AttributeKey.doubleKey("gen_ai.usage.output_tokens"), 30.0)
            .put(AttributeKey.longArrayKey("gen_ai.usage.cache_read.input_tokens"), List.of(20L))
            .put(AttributeKey.booleanKey("gen_ai.request.model"), true)
            .put(AttributeKey.stringArrayKey("gen_ai.response.model"), List.of("gpt-4o"))
            .build();

    InferenceAttributes inference = InferenceAttributes.read(attributes);

    assertThat(inference)
        .isEqualTo(new InferenceAttributes(null, null, null, "gpt-4o", 120, 30, 20, 0, 0, false));
  }

  @Test
  void nullSourcesReadAsNothing() {
    assertThat(InferenceAttributes.read((AttributeSource) null)).isNull();
    assertThat(InferenceAttributes.read((Attributes) null)).isNull();
    assertThat(InferenceAttributes.read(key -> null)).isNull();
  }

  @Test
  void negativeCountsAreRejectedByTheConstructor() {
    assertThatThrownBy(() -> new InferenceAttributes(null, null, null, null, -1, 0, 0, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputTokens");
  }

  @Test
  void usageCarriesEveryCount() {
    InferenceAttributes inference =
        new InferenceAttributes("chat", "openai", "gpt-4o", null, 1200, 300, 1000, 100, 50, false);

    assertThat(inference.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(1200)
                .outputTokens(300)
                .cacheReadTokens(1000)
                .cacheWriteTokens(100)
                .reasoningTokens(50)
                .build());
  }

  @Test
  void usageIsValidEvenForHandBuiltValuesThatBreakTheRules() {
    InferenceAttributes exclusive =
        new InferenceAttributes(null, null, "m", null, 50, 10, 1000, 200, 40, false);

    Usage usage = exclusive.usage();

    assertThat(usage.inputTokens()).isEqualTo(1250);
    assertThat(usage.outputTokens()).isEqualTo(50);
    assertThat(usage.uncachedInputTokens()).isEqualTo(50);

    InferenceAttributes absurd =
        new InferenceAttributes(
            null, null, "m", null, 1, 1, Long.MAX_VALUE, Long.MAX_VALUE, 0, false);
    assertThat(absurd.usage().inputTokens()).isEqualTo(Long.MAX_VALUE);
  }

  private static final class ThrowingToString {
    @Override
    public String toString() {
      throw new IllegalStateException("hostile toString");
    }
  }
}
