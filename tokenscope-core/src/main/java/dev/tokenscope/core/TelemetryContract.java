package dev.tokenscope.core;

/**
 * Every attribute and metric name TokenScope emits or reads, in one place.
 *
 * <p>The names mirror {@code TELEMETRY-CONTRACT.md}: OpenTelemetry GenAI semantic conventions where
 * they exist, the {@code gen_ai.cost.*} names of the reference design where they don't, and
 * OpenLLMetry's {@code traceloop.*} names for structure spans so existing dashboards carry over.
 * Main code never spells these strings anywhere else; tests assert against both this class and
 * literal strings, so a rename is always a visible decision.
 *
 * <pre>{@code
 * span.setAttribute(TelemetryContract.GEN_AI_COST_TOTAL_USD, 0.0042);
 * }</pre>
 */
public final class TelemetryContract {

  // ---- inference spans: request / response -------------------------------------------------

  public static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
  public static final String GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";

  /** Deprecated alias of {@link #GEN_AI_PROVIDER_NAME}; Elastic APM Server keys on it. */
  public static final String GEN_AI_SYSTEM = "gen_ai.system";

  public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
  public static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
  public static final String GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  public static final String GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  public static final String GEN_AI_REQUEST_TOP_P = "gen_ai.request.top_p";
  public static final String GEN_AI_REQUEST_STREAM = "gen_ai.request.stream";
  public static final String GEN_AI_REQUEST_SEED = "gen_ai.request.seed";
  public static final String GEN_AI_REQUEST_FREQUENCY_PENALTY = "gen_ai.request.frequency_penalty";
  public static final String GEN_AI_REQUEST_PRESENCE_PENALTY = "gen_ai.request.presence_penalty";
  public static final String GEN_AI_REQUEST_STOP_SEQUENCES = "gen_ai.request.stop_sequences";
  public static final String GEN_AI_RESPONSE_ID = "gen_ai.response.id";
  public static final String GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  public static final String GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK =
      "gen_ai.response.time_to_first_chunk";

  // ---- inference spans: usage (OpenTelemetry rule: input includes cache, output reasoning) ---

  public static final String GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  public static final String GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS =
      "gen_ai.usage.cache_read.input_tokens";
  public static final String GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS =
      "gen_ai.usage.cache_write.input_tokens";
  public static final String GEN_AI_USAGE_REASONING_OUTPUT_TOKENS =
      "gen_ai.usage.reasoning.output_tokens";

  // ---- usage names written by other instrumentations; read, never written ----------------

  /** Older semconv name of the cache write count. */
  public static final String LEGACY_USAGE_CACHE_CREATION_INPUT_TOKENS =
      "gen_ai.usage.cache_creation.input_tokens";

  /** Pre-1.26 semconv / OpenLLMetry name of the input count. */
  public static final String LEGACY_USAGE_PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";

  /** Pre-1.26 semconv / OpenLLMetry name of the output count. */
  public static final String LEGACY_USAGE_COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";

  /** OpenLLMetry's cache read count. */
  public static final String OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS =
      "gen_ai.usage.cache_read_input_tokens";

  /** OpenLLMetry's cache write count. */
  public static final String OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS =
      "gen_ai.usage.cache_creation_input_tokens";

  /** OpenLLMetry's reasoning count. */
  public static final String OPENLLMETRY_USAGE_REASONING_TOKENS = "gen_ai.usage.reasoning_tokens";

  /** OpenLLMetry's request type ({@code chat}, {@code completion}, {@code embedding}). */
  public static final String OPENLLMETRY_REQUEST_TYPE = "llm.request.type";

  /** Total token count (Spring AI, OpenLLMetry); used only when the input count is missing. */
  public static final String GEN_AI_USAGE_TOTAL_TOKENS = "gen_ai.usage.total_tokens";

  /**
   * Spring AI's observation kind ({@code chat_client}, {@code advisor}, {@code vector_store},
   * {@code tool_call}): spans of those kinds wrap the model call and are not inferences.
   */
  public static final String SPRING_AI_KIND = "spring.ai.kind";

  /** Spring AI's {@code gen_ai.operation.name} for its ChatClient (framework) spans. */
  public static final String SPRING_AI_OPERATION_FRAMEWORK = "framework";

  // ---- errors, server ------------------------------------------------------------------------

  public static final String ERROR_TYPE = "error.type";
  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String HTTP_REQUEST_RESEND_COUNT = "http.request.resend_count";

  // ---- cost, added by TokenScope (USD doubles; only on inference spans) ---------------------

  public static final String GEN_AI_COST_INPUT_USD = "gen_ai.cost.input_usd";
  public static final String GEN_AI_COST_CACHE_READ_USD = "gen_ai.cost.cache_read_usd";
  public static final String GEN_AI_COST_CACHE_WRITE_USD = "gen_ai.cost.cache_write_usd";
  public static final String GEN_AI_COST_OUTPUT_USD = "gen_ai.cost.output_usd";
  public static final String GEN_AI_COST_TOTAL_USD = "gen_ai.cost.total_usd";
  public static final String GEN_AI_COST_MODEL_RESOLVED = "gen_ai.cost.model_resolved";
  public static final String GEN_AI_COST_PROVIDER = "gen_ai.cost.provider";
  public static final String GEN_AI_COST_PRICING_SOURCE = "gen_ai.cost.pricing_source";
  public static final String GEN_AI_COST_PRICING_UNAVAILABLE = "gen_ai.cost.pricing_unavailable";

  // ---- content (opt-in) ----------------------------------------------------------------------

  public static final String GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
  public static final String GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
  public static final String GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";

  // ---- structure spans -----------------------------------------------------------------------

  public static final String TRACELOOP_SPAN_KIND = "traceloop.span.kind";
  public static final String TRACELOOP_WORKFLOW_NAME = "traceloop.workflow.name";
  public static final String TRACELOOP_ENTITY_NAME = "traceloop.entity.name";
  public static final String TRACELOOP_ENTITY_PATH = "traceloop.entity.path";
  public static final String TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX =
      "traceloop.association.properties.";

  /** Association property keys (after the prefix); user and customer ids are hashed. */
  public static final String ASSOCIATION_USER_ID = "user_id";

  public static final String ASSOCIATION_SESSION_ID = "session_id";
  public static final String ASSOCIATION_CUSTOMER_ID = "customer_id";
  public static final String GEN_AI_AGENT_NAME = "gen_ai.agent.name";
  public static final String GEN_AI_TOOL_NAME = "gen_ai.tool.name";

  /** Values of {@link #TRACELOOP_SPAN_KIND}. */
  public static final String SPAN_KIND_WORKFLOW = "workflow";

  public static final String SPAN_KIND_TASK = "task";
  public static final String SPAN_KIND_AGENT = "agent";
  public static final String SPAN_KIND_TOOL = "tool";

  /** Values of {@link #GEN_AI_OPERATION_NAME}. */
  public static final String OPERATION_CHAT = "chat";

  public static final String OPERATION_TEXT_COMPLETION = "text_completion";
  public static final String OPERATION_EMBEDDINGS = "embeddings";
  public static final String OPERATION_GENERATE_CONTENT = "generate_content";
  public static final String OPERATION_INVOKE_WORKFLOW = "invoke_workflow";
  public static final String OPERATION_INVOKE_AGENT = "invoke_agent";
  public static final String OPERATION_EXECUTE_TOOL = "execute_tool";
  public static final String OPERATION_CREATE_AGENT = "create_agent";

  /** Suffixes of structure span names: {@code {name}.workflow} and so on. */
  public static final String WORKFLOW_SPAN_SUFFIX = ".workflow";

  public static final String TASK_SPAN_SUFFIX = ".task";
  public static final String AGENT_SPAN_SUFFIX = ".agent";
  public static final String TOOL_SPAN_SUFFIX = ".tool";

  // ---- roll-ups on workflow spans (distinct names: sums never double count) ----------------

  public static final String ROLLUP_COST_USD = "tokenscope.rollup.cost_usd";
  public static final String ROLLUP_INPUT_TOKENS = "tokenscope.rollup.input_tokens";
  public static final String ROLLUP_OUTPUT_TOKENS = "tokenscope.rollup.output_tokens";
  public static final String ROLLUP_LLM_CALLS = "tokenscope.rollup.llm_calls";
  public static final String ROLLUP_UNPRICED_CALLS = "tokenscope.rollup.unpriced_calls";

  /** 1-based attempt number of an application-level retry or refinement iteration. */
  public static final String ATTEMPT = "tokenscope.attempt";

  // ---- resource and console ------------------------------------------------------------------

  /** Resource attribute naming the service that emitted the telemetry. */
  public static final String SERVICE_NAME = "service.name";

  /**
   * {@code true} on spans that arrived with tokens but no cost and were priced by the console at
   * ingest (from any language or instrumentation), so a reader can tell who computed the cost.
   */
  public static final String TOKENSCOPE_CONSOLE_PRICED = "tokenscope.console.priced";

  // ---- metrics ---------------------------------------------------------------------------------

  public static final String METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
  public static final String METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String METRIC_COST = "gen_ai.client.cost";
  public static final String METRIC_TOKENS = "gen_ai.client.tokens";
  public static final String METRIC_UNPRICED_CALLS = "gen_ai.client.unpriced_calls";

  /** Metric attribute naming the token kind. */
  public static final String GEN_AI_TOKEN_TYPE = "gen_ai.token.type";

  /** Metric attribute naming the enclosing workflow (bounded cardinality). */
  public static final String TOKENSCOPE_WORKFLOW = "tokenscope.workflow";

  /** Values of {@link #GEN_AI_TOKEN_TYPE}. */
  public static final String TOKEN_TYPE_INPUT = "input";

  public static final String TOKEN_TYPE_OUTPUT = "output";
  public static final String TOKEN_TYPE_CACHE_READ = "cache_read";
  public static final String TOKEN_TYPE_CACHE_WRITE = "cache_write";
  public static final String TOKEN_TYPE_REASONING = "reasoning";

  private TelemetryContract() {}
}
