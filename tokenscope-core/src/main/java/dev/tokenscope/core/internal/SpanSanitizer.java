package dev.tokenscope.core.internal;

import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.core.TelemetryContract;
import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Applies the content policy and the secret rules to attributes: content attributes are removed
 * (content off) or redacted (content on); credential-carrying attributes ({@code Authorization} and
 * API-key headers, {@code *.api_key}, {@code *.password}) are removed; every other text value has
 * secrets (API keys, bearer tokens) replaced. Returns the same instance when nothing changed.
 */
public final class SpanSanitizer {

  private static final Set<String> SECRET_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "x-api-key",
          "api-key",
          "x-goog-api-key",
          "cookie",
          "set-cookie",
          "x-auth-token",
          "x-amz-security-token");

  private static final String[] SECRET_KEY_SUFFIXES = {
    ".api_key",
    ".apikey",
    ".api-key",
    ".password",
    ".secret",
    ".authorization",
    ".auth_token",
    ".access_token",
    ".secret_key"
  };

  private static final String[] HEADER_PREFIXES = {"http.request.header.", "http.response.header."};

  private static final int MAX_CACHED_KEYS = 10_000;

  /** Slots of the table of values found free of secrets (a power of two). */
  static final int CLEAN_VALUE_SLOTS = 1024;

  /** Longer values are scanned every time (and never held). */
  static final int MAX_CLEAN_VALUE_LENGTH = 128;

  /** What an attribute name is, for sanitizing and for what the exporter adds. */
  enum Kind {
    /** Carries credentials: never exported. */
    SECRET,
    /** Prompts or completions: removed or redacted as the content policy says. */
    CONTENT,
    /** {@code gen_ai.cost.*}: the exporter's own keys. */
    COST,
    /** {@code gen_ai.provider.name}, which the {@code gen_ai.system} alias repeats. */
    PROVIDER,
    /** {@code gen_ai.system}. */
    SYSTEM,
    /** Anything else. */
    PLAIN
  }

  private final ContentPolicy policy;
  private final Redactor secrets = Redactor.secretsOnly();
  private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();

  /**
   * Short values recently scanned and found free of secret triggers, by hash: the same model names,
   * hosts, operation and workflow names come back span after span, and comparing with an equal
   * string costs less than scanning it again. A value is only ever skipped when it equals one that
   * was scanned clean, so the check is as strict as scanning. Racy on purpose: strings are
   * immutable, a lost write only means one more scan.
   */
  private final String[] cleanValues = new String[CLEAN_VALUE_SLOTS];

  public SpanSanitizer(ContentPolicy policy) {
    this.policy = policy;
  }

  public ContentPolicy policy() {
    return policy;
  }

  /** True for attributes that carry credentials and are never exported. */
  public static boolean isSecretAttribute(String key) {
    for (String prefix : HEADER_PREFIXES) {
      if (key.regionMatches(true, 0, prefix, 0, prefix.length())) {
        String header = key.substring(prefix.length()).toLowerCase(Locale.ROOT);
        if (SECRET_HEADERS.contains(header)) {
          return true;
        }
      }
    }
    int length = key.length();
    for (String suffix : SECRET_KEY_SUFFIXES) {
      int start = length - suffix.length();
      if (start >= 0 && key.regionMatches(true, start, suffix, 0, suffix.length())) {
        return true;
      }
    }
    return false;
  }

  /** Text with secrets replaced. */
  public String scrub(String text) {
    return secrets.redact(text);
  }

  /** The sanitized attributes, or {@code attributes} itself when nothing needs to change. */
  public Attributes sanitize(Attributes attributes) {
    Inspector inspector = new Inspector();
    attributes.forEach(inspector);
    return inspector.needsChange ? rebuild(attributes, null, null) : attributes;
  }

  /**
   * Whether one attribute needs sanitizing: a credential, content, or text that may hold a secret.
   * Allocates nothing.
   */
  boolean needsChange(Kind kind, AttributeKey<?> key, Object value) {
    if (kind == Kind.SECRET || kind == Kind.CONTENT) {
      // Secrets are removed; content is removed (off) or redacted and cut (on).
      return true;
    }
    AttributeType type = key.getType();
    if (type == AttributeType.STRING) {
      return mayContainSecret((String) value);
    }
    if (type == AttributeType.STRING_ARRAY) {
      for (Object element : (List<?>) value) {
        if (mayContainSecret(String.valueOf(element))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The sanitized attributes plus the attributes of {@code cost} and the {@code gen_ai.system}
   * alias, when given (they win over the same keys in {@code attributes}), as a new instance.
   */
  Attributes rebuild(Attributes attributes, @Nullable Cost cost, @Nullable String system) {
    Collector collector = new Collector();
    attributes.forEach(collector);
    AttributesBuilder builder = collector.builder;
    if (cost != null) {
      CostAttributes.putAll(builder, cost);
    }
    if (system != null) {
      builder.put(EnrichedAttributes.SYSTEM, system);
    }
    return builder.build();
  }

  /** {@link Redactor#mayContainSecret}, remembering short values that are clean. */
  boolean mayContainSecret(String value) {
    if (value.length() > MAX_CLEAN_VALUE_LENGTH) {
      return Redactor.mayContainSecret(value);
    }
    int slot = value.hashCode() & (CLEAN_VALUE_SLOTS - 1);
    String known = cleanValues[slot];
    if (known != null && known.equals(value)) {
      return false;
    }
    if (Redactor.mayContainSecret(value)) {
      return true;
    }
    cleanValues[slot] = value;
    return false;
  }

  /** First pass: does anything need to change? Allocates nothing when the answer is no. */
  private final class Inspector implements BiConsumer<AttributeKey<?>, Object> {
    boolean needsChange;

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (!needsChange) {
        needsChange = needsChange(kind(key.getKey()), key, value);
      }
    }
  }

  private final class Collector implements BiConsumer<AttributeKey<?>, Object> {
    final AttributesBuilder builder = Attributes.builder();

    @Override
    @SuppressWarnings("unchecked")
    public void accept(AttributeKey<?> key, Object value) {
      Kind kind = kind(key.getKey());
      if (kind == Kind.SECRET) {
        return;
      }
      boolean content = kind == Kind.CONTENT;
      if (content && !policy.captureContent()) {
        return;
      }
      Object cleaned = clean(key, value, content);
      if (cleaned != null) {
        builder.put((AttributeKey<Object>) key, cleaned);
      }
    }
  }

  /** What an attribute name is, decided once per name (cached). */
  Kind kind(String key) {
    Kind kind = kinds.get(key);
    if (kind == null) {
      if (isSecretAttribute(key)) {
        kind = Kind.SECRET;
      } else {
        boolean content;
        try {
          content = policy.isContentAttribute(key);
        } catch (RuntimeException e) {
          content = false;
        }
        kind = content ? Kind.CONTENT : plainKind(key);
      }
      if (kinds.size() < MAX_CACHED_KEYS) {
        kinds.put(key, kind);
      }
    }
    return kind;
  }

  private static Kind plainKind(String key) {
    if (CostAttributes.isCostKey(key)) {
      return Kind.COST;
    }
    if (key.equals(TelemetryContract.GEN_AI_PROVIDER_NAME)) {
      return Kind.PROVIDER;
    }
    if (key.equals(TelemetryContract.GEN_AI_SYSTEM)) {
      return Kind.SYSTEM;
    }
    return Kind.PLAIN;
  }

  /** The cleaned value, the same instance when unchanged, or null to drop the attribute. */
  private @Nullable Object clean(AttributeKey<?> key, Object value, boolean content) {
    AttributeType type = key.getType();
    if (type == AttributeType.STRING) {
      return cleanText((String) value, content);
    }
    if (type == AttributeType.STRING_ARRAY) {
      List<?> list = (List<?>) value;
      List<String> out = null;
      for (int i = 0; i < list.size(); i++) {
        String element = String.valueOf(list.get(i));
        String cleaned = cleanText(element, content);
        if (cleaned == null) {
          return null;
        }
        if (!cleaned.equals(element) && out == null) {
          out = new ArrayList<>(list.size());
          for (int j = 0; j < i; j++) {
            out.add(String.valueOf(list.get(j)));
          }
        }
        if (out != null) {
          out.add(cleaned);
        }
      }
      return out == null ? value : out;
    }
    return value;
  }

  private @Nullable String cleanText(String text, boolean content) {
    String cleaned;
    try {
      cleaned = content ? policy.redact(text) : secrets.redact(text);
    } catch (RuntimeException e) {
      // A failing custom policy must not let content through: drop it.
      return null;
    }
    if (cleaned == null) {
      return null;
    }
    return cleaned.equals(text) ? text : cleaned;
  }
}
