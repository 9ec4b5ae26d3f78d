package dev.tokenscope.core.internal;

import dev.tokenscope.core.ContentPolicy;
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

  /** What an attribute name is, decided once per name. */
  private enum Kind {
    SECRET,
    CONTENT,
    PLAIN
  }

  private final ContentPolicy policy;
  private final Redactor secrets = Redactor.secretsOnly();
  private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();

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

  /**
   * The sanitized attributes plus {@code extra}, or {@code attributes} itself when nothing changed
   * and there is nothing extra.
   */
  public Attributes sanitize(Attributes attributes, @Nullable Attributes extra) {
    boolean hasExtra = extra != null && !extra.isEmpty();
    Inspector inspector = new Inspector();
    attributes.forEach(inspector);
    if (!inspector.needsChange) {
      return hasExtra ? attributes.toBuilder().putAll(extra).build() : attributes;
    }
    Collector collector = new Collector();
    attributes.forEach(collector);
    if (hasExtra) {
      collector.builder.putAll(extra);
    }
    return collector.builder.build();
  }

  /** First pass: does anything need to change? Allocates nothing when the answer is no. */
  private final class Inspector implements BiConsumer<AttributeKey<?>, Object> {
    boolean needsChange;

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (needsChange) {
        return;
      }
      if (kind(key.getKey()) != Kind.PLAIN) {
        // Secrets are removed; content is removed (off) or redacted and cut (on).
        needsChange = true;
        return;
      }
      AttributeType type = key.getType();
      if (type == AttributeType.STRING) {
        needsChange = Redactor.mayContainSecret((String) value);
      } else if (type == AttributeType.STRING_ARRAY) {
        for (Object element : (List<?>) value) {
          if (Redactor.mayContainSecret(String.valueOf(element))) {
            needsChange = true;
            return;
          }
        }
      }
    }
  }

  private final class Collector implements BiConsumer<AttributeKey<?>, Object> {
    final AttributesBuilder builder = Attributes.builder();
    boolean changed;

    @Override
    @SuppressWarnings("unchecked")
    public void accept(AttributeKey<?> key, Object value) {
      Kind kind = kind(key.getKey());
      if (kind == Kind.SECRET) {
        changed = true;
        return;
      }
      boolean content = kind == Kind.CONTENT;
      if (content && !policy.captureContent()) {
        changed = true;
        return;
      }
      Object cleaned = clean(key, value, content);
      if (cleaned == null) {
        changed = true;
        return;
      }
      if (cleaned != value) {
        changed = true;
      }
      builder.put((AttributeKey<Object>) key, cleaned);
    }
  }

  private Kind kind(String key) {
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
        kind = content ? Kind.CONTENT : Kind.PLAIN;
      }
      if (kinds.size() < MAX_CACHED_KEYS) {
        kinds.put(key, kind);
      }
    }
    return kind;
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
