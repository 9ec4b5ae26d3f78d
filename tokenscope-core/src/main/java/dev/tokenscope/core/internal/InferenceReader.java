package dev.tokenscope.core.internal;

import static dev.tokenscope.core.internal.AttributeValues.ABSENT;
import static dev.tokenscope.core.internal.AttributeValues.count;
import static dev.tokenscope.core.internal.AttributeValues.flag;
import static dev.tokenscope.core.internal.AttributeValues.name;

import dev.tokenscope.core.AttributeSource;
import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The one place where the gen_ai attribute variants of every instrumentation are normalised (the
 * contract's "normalise once, in one place"). Collects the raw values of the keys it knows, in any
 * order, then decides in {@link #result()} whether they describe an inference and what its usage
 * is. One instance per read; not thread-safe.
 *
 * <p>Rules, in the order they apply:
 *
 * <ol>
 *   <li>Structure spans are not inferences, even when they carry usage: {@code traceloop.span.kind}
 *       workflow/task/agent/tool, operations {@code invoke_workflow}, {@code invoke_agent}, {@code
 *       execute_tool}, {@code create_agent}, Spring AI's {@code framework} operation and its
 *       chat_client/advisor/vector_store/tool_call kinds. Their usage repeats that of the model
 *       calls beneath them; counting it would double count.
 *   <li>Anything else is an inference when it names an inference operation ({@code chat}, {@code
 *       text_completion}, {@code embeddings}, {@code generate_content}, or OpenLLMetry's {@code
 *       llm.request.type}), a request or response model, or any token count.
 *   <li>Current names win over older ones: {@code input_tokens} over {@code prompt_tokens}, {@code
 *       cache_read.input_tokens} over {@code cache_read_input_tokens}, {@code
 *       cache_write.input_tokens} over {@code cache_creation.input_tokens} over {@code
 *       cache_creation_input_tokens}, {@code reasoning.output_tokens} over {@code
 *       reasoning_tokens}, {@code gen_ai.provider.name} over {@code gen_ai.system}.
 *   <li>Input includes cache reads and writes (semantic conventions). An instrumentation that
 *       reports input exclusive of cache (Anthropic's API does) is recognised when the cache counts
 *       exceed the input count; the cache counts are then added to the input. When they don't
 *       exceed it the input is taken as inclusive: the numbers alone cannot tell, and the contract
 *       says inclusive.
 *   <li>Output includes reasoning; reasoning larger than output means output was reported exclusive
 *       of it (Gemini does), and reasoning is added.
 *   <li>No input count but a total and an output count: input is total minus output.
 *   <li>Unreadable, negative or non-finite counts are absent (zero).
 * </ol>
 */
public final class InferenceReader implements BiConsumer<AttributeKey<?>, Object> {

  /** Every key this reader looks at. */
  public static final String[] KEYS = {
    TelemetryContract.GEN_AI_OPERATION_NAME,
    TelemetryContract.OPENLLMETRY_REQUEST_TYPE,
    TelemetryContract.GEN_AI_PROVIDER_NAME,
    TelemetryContract.GEN_AI_SYSTEM,
    TelemetryContract.GEN_AI_REQUEST_MODEL,
    TelemetryContract.GEN_AI_RESPONSE_MODEL,
    TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS,
    TelemetryContract.LEGACY_USAGE_PROMPT_TOKENS,
    TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS,
    TelemetryContract.LEGACY_USAGE_COMPLETION_TOKENS,
    TelemetryContract.GEN_AI_USAGE_TOTAL_TOKENS,
    TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    TelemetryContract.OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS,
    TelemetryContract.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
    TelemetryContract.LEGACY_USAGE_CACHE_CREATION_INPUT_TOKENS,
    TelemetryContract.OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS,
    TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
    TelemetryContract.OPENLLMETRY_USAGE_REASONING_TOKENS,
    TelemetryContract.GEN_AI_COST_TOTAL_USD,
    TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE,
    TelemetryContract.TRACELOOP_SPAN_KIND,
    TelemetryContract.SPRING_AI_KIND,
  };

  /** {@link #KEYS} with the type instrumentations normally give each value. */
  private static final AttributeKey<?>[] TYPED_KEYS = new AttributeKey<?>[KEYS.length];

  /** The first keys of {@link #KEYS}: one of them is on every inference span. */
  private static final int EVIDENCE_KEYS = 10;

  static {
    for (int i = 0; i < KEYS.length; i++) {
      String key = KEYS[i];
      if (key.startsWith("gen_ai.usage.")) {
        TYPED_KEYS[i] = AttributeKey.longKey(key);
      } else if (key.equals(TelemetryContract.GEN_AI_COST_TOTAL_USD)) {
        TYPED_KEYS[i] = AttributeKey.doubleKey(key);
      } else if (key.equals(TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE)) {
        TYPED_KEYS[i] = AttributeKey.booleanKey(key);
      } else {
        TYPED_KEYS[i] = AttributeKey.stringKey(key);
      }
    }
  }

  private boolean anyCount;
  private boolean resolved;
  private @Nullable InferenceAttributes result;
  private @Nullable Object operation;
  private @Nullable Object requestType;
  private @Nullable Object providerName;
  private @Nullable Object system;
  private @Nullable Object requestModel;
  private @Nullable Object responseModel;
  private @Nullable Object inputTokens;
  private @Nullable Object promptTokens;
  private @Nullable Object outputTokens;
  private @Nullable Object completionTokens;
  private @Nullable Object totalTokens;
  private @Nullable Object cacheRead;
  private @Nullable Object cacheReadOpenLlmetry;
  private @Nullable Object cacheWrite;
  private @Nullable Object cacheCreationLegacy;
  private @Nullable Object cacheCreationOpenLlmetry;
  private @Nullable Object reasoning;
  private @Nullable Object reasoningOpenLlmetry;
  private @Nullable Object costTotal;
  private @Nullable Object pricingUnavailable;
  private @Nullable Object spanKind;
  private @Nullable Object springAiKind;

  /** Reads every known key from {@code source}; a key whose lookup throws is absent. */
  public static @Nullable InferenceAttributes read(AttributeSource source) {
    InferenceReader reader = new InferenceReader();
    for (String key : KEYS) {
      Object value;
      try {
        value = source.get(key);
      } catch (RuntimeException e) {
        value = null;
      }
      if (value != null) {
        reader.accept(key, value);
      }
    }
    return reader.result();
  }

  /**
   * Reads a live SDK span with typed look-ups, which cost about half of copying its attributes;
   * falls back to the copy when the span looks like an inference but has no {@code long} token
   * count (Micrometer-bridged spans, such as Spring AI's, carry every value as text). Returns the
   * reader, so cost already on the span can be read too; {@link #result()} is null for spans that
   * are not inferences.
   */
  public static InferenceReader of(ReadableSpan span) {
    InferenceReader reader = new InferenceReader();
    boolean evidence = false;
    long skip = 0;
    for (int i = 0; i < TYPED_KEYS.length; i++) {
      if (i == EVIDENCE_KEYS && !evidence) {
        return reader;
      }
      if ((skip & (1L << i)) != 0) {
        continue;
      }
      Object value = span.getAttribute(TYPED_KEYS[i]);
      if (value != null) {
        evidence = true;
        reader.accept(KEYS[i], value);
        skip |= SHADOWED[i];
      }
    }
    if (!reader.anyCount && reader.result() != null) {
      InferenceReader full = new InferenceReader();
      span.getAttributes().forEach(full);
      return full;
    }
    return reader;
  }

  /**
   * For each key of {@link #KEYS}, the keys it makes irrelevant when present (older spellings it
   * wins over, and the total that only stands in for a missing input count), as a bit set.
   */
  private static final long[] SHADOWED = new long[KEYS.length];

  static {
    shadow(TelemetryContract.GEN_AI_OPERATION_NAME, TelemetryContract.OPENLLMETRY_REQUEST_TYPE);
    shadow(TelemetryContract.GEN_AI_PROVIDER_NAME, TelemetryContract.GEN_AI_SYSTEM);
    shadow(
        TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS,
        TelemetryContract.LEGACY_USAGE_PROMPT_TOKENS,
        TelemetryContract.GEN_AI_USAGE_TOTAL_TOKENS);
    shadow(
        TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS,
        TelemetryContract.LEGACY_USAGE_COMPLETION_TOKENS);
    shadow(
        TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
        TelemetryContract.OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS);
    shadow(
        TelemetryContract.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
        TelemetryContract.LEGACY_USAGE_CACHE_CREATION_INPUT_TOKENS,
        TelemetryContract.OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS);
    shadow(
        TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
        TelemetryContract.OPENLLMETRY_USAGE_REASONING_TOKENS);
  }

  private static void shadow(String winner, String... losers) {
    int index = java.util.Arrays.asList(KEYS).indexOf(winner);
    for (String loser : losers) {
      int shadowed = java.util.Arrays.asList(KEYS).indexOf(loser);
      if (shadowed <= index) {
        throw new IllegalStateException(loser + " must come after " + winner + " in KEYS");
      }
      SHADOWED[index] |= 1L << shadowed;
    }
  }

  @Override
  public void accept(AttributeKey<?> key, Object value) {
    accept(key.getKey(), value);
  }

  /** Records {@code value} if {@code key} is one this reader knows; ignores it otherwise. */
  public void accept(String key, @Nullable Object value) {
    resolved = false;
    switch (key) {
      case TelemetryContract.GEN_AI_OPERATION_NAME:
        operation = value;
        break;
      case TelemetryContract.OPENLLMETRY_REQUEST_TYPE:
        requestType = value;
        break;
      case TelemetryContract.GEN_AI_PROVIDER_NAME:
        providerName = value;
        break;
      case TelemetryContract.GEN_AI_SYSTEM:
        system = value;
        break;
      case TelemetryContract.GEN_AI_REQUEST_MODEL:
        requestModel = value;
        break;
      case TelemetryContract.GEN_AI_RESPONSE_MODEL:
        responseModel = value;
        break;
      case TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS:
        inputTokens = value;
        anyCount = true;
        break;
      case TelemetryContract.LEGACY_USAGE_PROMPT_TOKENS:
        promptTokens = value;
        anyCount = true;
        break;
      case TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS:
        outputTokens = value;
        anyCount = true;
        break;
      case TelemetryContract.LEGACY_USAGE_COMPLETION_TOKENS:
        completionTokens = value;
        anyCount = true;
        break;
      case TelemetryContract.GEN_AI_USAGE_TOTAL_TOKENS:
        totalTokens = value;
        anyCount = true;
        break;
      case TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS:
        cacheRead = value;
        anyCount = true;
        break;
      case TelemetryContract.OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS:
        cacheReadOpenLlmetry = value;
        anyCount = true;
        break;
      case TelemetryContract.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS:
        cacheWrite = value;
        anyCount = true;
        break;
      case TelemetryContract.LEGACY_USAGE_CACHE_CREATION_INPUT_TOKENS:
        cacheCreationLegacy = value;
        anyCount = true;
        break;
      case TelemetryContract.OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS:
        cacheCreationOpenLlmetry = value;
        anyCount = true;
        break;
      case TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS:
        reasoning = value;
        anyCount = true;
        break;
      case TelemetryContract.OPENLLMETRY_USAGE_REASONING_TOKENS:
        reasoningOpenLlmetry = value;
        anyCount = true;
        break;
      case TelemetryContract.GEN_AI_COST_TOTAL_USD:
        costTotal = value;
        break;
      case TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE:
        pricingUnavailable = value;
        break;
      case TelemetryContract.TRACELOOP_SPAN_KIND:
        spanKind = value;
        break;
      case TelemetryContract.SPRING_AI_KIND:
        springAiKind = value;
        break;
      default:
        break;
    }
  }

  /**
   * The {@code gen_ai.cost.total_usd} already on the span, or NaN when there is none or it is not a
   * readable non-negative number.
   */
  public double existingCostUsd() {
    Object value = costTotal;
    if (value instanceof Double) {
      double v = (Double) value;
      return v >= 0 ? v : Double.NaN;
    }
    if (value instanceof Number) {
      double v = ((Number) value).doubleValue();
      return v >= 0 ? v : Double.NaN;
    }
    if (value instanceof CharSequence) {
      try {
        double v = Double.parseDouble(value.toString().strip());
        return v >= 0 && !Double.isInfinite(v) ? v : Double.NaN;
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /**
   * True when the values read carry a cost already ({@code gen_ai.cost.total_usd} or {@code
   * pricing_unavailable=true}): {@link InferenceAttributes#alreadyPriced()} of {@link #result()},
   * without normalising the rest.
   */
  public boolean alreadyPriced() {
    return costTotal != null || flag(pricingUnavailable);
  }

  /** True when the span says its model could not be priced. */
  public boolean pricingUnavailable() {
    return flag(pricingUnavailable);
  }

  /** The normalised inference, or null when the values are not those of a model call. */
  public @Nullable InferenceAttributes result() {
    if (!resolved) {
      resolved = true;
      try {
        result = normalise();
      } catch (RuntimeException e) {
        // Defensive: a value type nobody anticipated must never break span processing.
        result = null;
      }
    }
    return result;
  }

  private @Nullable InferenceAttributes normalise() {
    if (GenAiNames.isStructureSpanKind(name(spanKind))
        || GenAiNames.isSpringAiWrapperKind(name(springAiKind))) {
      return null;
    }
    String op = GenAiNames.operation(name(operation));
    String openLlmetryType = name(requestType);
    if (op == null) {
      op = GenAiNames.operationFromRequestType(openLlmetryType);
    }
    if (GenAiNames.isStructureOperation(op)) {
      return null;
    }
    String reqModel = name(requestModel);
    String respModel = name(responseModel);

    long input = first(count(inputTokens), count(promptTokens));
    long output = first(count(outputTokens), count(completionTokens));
    long total = count(totalTokens);
    long read = count(cacheRead);
    if (read == ABSENT) {
      read = count(cacheReadOpenLlmetry);
    }
    long write = first(count(cacheWrite), count(cacheCreationLegacy));
    if (write == ABSENT) {
      write = count(cacheCreationOpenLlmetry);
    }
    long reasoned = first(count(reasoning), count(reasoningOpenLlmetry));
    boolean anyUsage =
        input != ABSENT
            || output != ABSENT
            || total != ABSENT
            || read != ABSENT
            || write != ABSENT
            || reasoned != ABSENT;

    boolean inference =
        isInferenceOperation(op)
            || openLlmetryType != null
            || reqModel != null
            || respModel != null
            || anyUsage;
    if (!inference) {
      return null;
    }

    output = zeroIfAbsent(output);
    read = zeroIfAbsent(read);
    write = zeroIfAbsent(write);
    reasoned = zeroIfAbsent(reasoned);
    if (input == ABSENT) {
      input = total != ABSENT && total > output ? total - output : 0;
    }
    long cached = saturatedAdd(read, write);
    if (cached > input) {
      input = saturatedAdd(input, cached);
    }
    if (reasoned > output) {
      output = saturatedAdd(output, reasoned);
    }

    String provider = GenAiNames.provider(name(providerName));
    if (provider == null) {
      provider = GenAiNames.provider(name(system));
    }
    return new InferenceAttributes(
        op, provider, reqModel, respModel, input, output, read, write, reasoned, alreadyPriced());
  }

  private static boolean isInferenceOperation(@Nullable String op) {
    if (op == null) {
      return false;
    }
    switch (op) {
      case TelemetryContract.OPERATION_CHAT:
      case TelemetryContract.OPERATION_TEXT_COMPLETION:
      case TelemetryContract.OPERATION_EMBEDDINGS:
      case TelemetryContract.OPERATION_GENERATE_CONTENT:
        return true;
      default:
        return false;
    }
  }

  private static long first(long preferred, long fallback) {
    return preferred != ABSENT ? preferred : fallback;
  }

  private static long zeroIfAbsent(long value) {
    return value == ABSENT ? 0 : value;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
