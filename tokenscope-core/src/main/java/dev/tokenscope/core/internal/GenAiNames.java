package dev.tokenscope.core.internal;

import dev.tokenscope.core.TelemetryContract;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps the provider and operation spellings of other instrumentations onto the current semantic
 * convention values, so every reader sees one vocabulary.
 */
public final class GenAiNames {

  // Older gen_ai.system values, OpenLLMetry's vendor names and Spring AI's AiProvider values,
  // each mapped to the gen_ai.provider.name value of the current conventions.
  private static final Map<String, String> PROVIDER_ALIASES =
      Map.ofEntries(
          Map.entry("az.ai.openai", "azure.ai.openai"),
          Map.entry("azure_openai", "azure.ai.openai"),
          Map.entry("az.ai.inference", "azure.ai.inference"),
          Map.entry("bedrock", "aws.bedrock"),
          Map.entry("bedrock_converse", "aws.bedrock"),
          Map.entry("aws_bedrock", "aws.bedrock"),
          Map.entry("vertex_ai", "gcp.vertex_ai"),
          Map.entry("vertexai", "gcp.vertex_ai"),
          Map.entry("google_genai_vertex", "gcp.vertex_ai"),
          Map.entry("gemini", "gcp.gemini"),
          Map.entry("google_genai", "gcp.gemini"),
          Map.entry("mistralai", "mistral_ai"),
          Map.entry("mistral", "mistral_ai"),
          Map.entry("watsonx", "ibm.watsonx.ai"),
          Map.entry("x_ai", "xai"));

  private GenAiNames() {}

  /**
   * The {@code gen_ai.provider.name} value for a provider or system name from any source, lower
   * case; unknown names pass through lower-cased.
   */
  public static @Nullable String provider(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    return PROVIDER_ALIASES.getOrDefault(lower, lower);
  }

  /** The {@code gen_ai.operation.name} for an OpenLLMetry {@code llm.request.type}. */
  public static @Nullable String operationFromRequestType(@Nullable String requestType) {
    if (requestType == null) {
      return null;
    }
    switch (requestType.toLowerCase(Locale.ROOT)) {
      case "chat":
        return TelemetryContract.OPERATION_CHAT;
      case "completion":
        return TelemetryContract.OPERATION_TEXT_COMPLETION;
      case "embedding":
        return TelemetryContract.OPERATION_EMBEDDINGS;
      default:
        return requestType.toLowerCase(Locale.ROOT);
    }
  }

  /** The current operation name for older spellings (Spring AI's {@code embedding}). */
  public static @Nullable String operation(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.equals("embedding")) {
      return TelemetryContract.OPERATION_EMBEDDINGS;
    }
    if (lower.equals("completion")) {
      return TelemetryContract.OPERATION_TEXT_COMPLETION;
    }
    return lower;
  }

  /**
   * True for operations that are not a model call: structure spans (workflow, agent, tool) and
   * framework wrappers whose usage, if any, repeats that of the model calls beneath them.
   */
  public static boolean isStructureOperation(@Nullable String operation) {
    if (operation == null) {
      return false;
    }
    switch (operation) {
      case TelemetryContract.OPERATION_INVOKE_WORKFLOW:
      case TelemetryContract.OPERATION_INVOKE_AGENT:
      case TelemetryContract.OPERATION_EXECUTE_TOOL:
      case TelemetryContract.OPERATION_CREATE_AGENT:
      case TelemetryContract.SPRING_AI_OPERATION_FRAMEWORK:
        return true;
      default:
        return false;
    }
  }

  /** True for {@code traceloop.span.kind} values of structure spans. */
  public static boolean isStructureSpanKind(@Nullable String kind) {
    if (kind == null) {
      return false;
    }
    switch (kind) {
      case TelemetryContract.SPAN_KIND_WORKFLOW:
      case TelemetryContract.SPAN_KIND_TASK:
      case TelemetryContract.SPAN_KIND_AGENT:
      case TelemetryContract.SPAN_KIND_TOOL:
        return true;
      default:
        return false;
    }
  }

  /** True for Spring AI kinds that wrap (or are not) a model call. */
  public static boolean isSpringAiWrapperKind(@Nullable String kind) {
    if (kind == null) {
      return false;
    }
    switch (kind) {
      case "chat_client":
      case "advisor":
      case "vector_store":
      case "tool_call":
        return true;
      default:
        return false;
    }
  }
}
