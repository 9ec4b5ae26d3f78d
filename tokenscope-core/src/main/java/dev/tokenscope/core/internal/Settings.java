package dev.tokenscope.core.internal;

import dev.tokenscope.core.ContentPolicy;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * TokenScope's own settings, read from {@code tokenscope.*} system properties / {@code
 * TOKENSCOPE_*} environment variables (and {@code TRACELOOP_TRACE_CONTENT}) through OpenTelemetry's
 * {@link ConfigProperties}; every key is listed in the module README.
 */
public record Settings(
    ContentPolicy contentPolicy,
    IdHasher hasher,
    boolean recordUnsampled,
    int workflowLimit,
    List<String> scopesWithOwnHistograms,
    long queueCapacity) {

  public static final String TRACE_CONTENT = "tokenscope.trace.content";
  public static final String TRACELOOP_TRACE_CONTENT = "traceloop.trace.content";
  public static final String CONTENT_MAX_LENGTH = "tokenscope.content.max.length";
  public static final String ASSOCIATION_HASH = "tokenscope.association.hash";
  public static final String ASSOCIATION_HASH_KEY = "tokenscope.association.hash.key";
  public static final String RECORD_UNSAMPLED = "tokenscope.record.unsampled";
  public static final String WORKFLOW_LIMIT = "tokenscope.metrics.workflow.limit";
  public static final String HISTOGRAM_SCOPES = "tokenscope.metrics.semconv.skip.scopes";

  /** Instrumentations known to record the semconv histograms themselves. */
  public static final List<String> DEFAULT_HISTOGRAM_SCOPES =
      List.of("io.opentelemetry.openai-java");

  public static Settings from(
      ConfigProperties config,
      @Nullable ContentPolicy explicitPolicy,
      @Nullable String explicitHashKey) {
    ContentPolicy policy = explicitPolicy;
    if (policy == null) {
      Boolean capture = bool(config, TRACE_CONTENT);
      if (capture == null) {
        capture = bool(config, TRACELOOP_TRACE_CONTENT);
      }
      if (capture == null) {
        capture = false;
      }
      ContentPolicy.Builder builder = ContentPolicy.builder().captureContent(capture);
      Integer maxLength = config.getInt(CONTENT_MAX_LENGTH);
      if (maxLength != null) {
        try {
          builder.maxLength(maxLength);
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(
              "Invalid value for property " + CONTENT_MAX_LENGTH + ": " + e.getMessage());
        }
      }
      policy = builder.build();
    }

    IdHasher hasher;
    String key = explicitHashKey != null ? explicitHashKey : config.getString(ASSOCIATION_HASH_KEY);
    if (Boolean.FALSE.equals(bool(config, ASSOCIATION_HASH))) {
      hasher = IdHasher.disabled();
    } else if (key != null) {
      try {
        hasher = IdHasher.withKey(key);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "Invalid value for property " + ASSOCIATION_HASH_KEY + ": " + e.getMessage());
      }
    } else {
      hasher = IdHasher.withRandomKey();
    }

    int workflowLimit = config.getInt(WORKFLOW_LIMIT, 100);
    if (workflowLimit < 1) {
      throw new ConfigurationException(
          "Invalid value for property " + WORKFLOW_LIMIT + ": must be >= 1, was " + workflowLimit);
    }
    long queueCapacity =
        (long) config.getInt("otel.bsp.max.queue.size", 2048)
            + config.getInt("otel.bsp.max.export.batch.size", 512);
    return new Settings(
        policy,
        hasher,
        !Boolean.FALSE.equals(bool(config, RECORD_UNSAMPLED)),
        workflowLimit,
        config.getList(HISTOGRAM_SCOPES, DEFAULT_HISTOGRAM_SCOPES),
        queueCapacity);
  }

  /**
   * A strict boolean: {@code true} or {@code false} in any case, else a configuration error
   * (autoconfigure's own reading takes any other text as false, which would hide a typo).
   */
  static @Nullable Boolean bool(ConfigProperties config, String key) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigurationException(
        "Invalid value for property " + key + "=" + value + ": expected true or false");
  }
}
