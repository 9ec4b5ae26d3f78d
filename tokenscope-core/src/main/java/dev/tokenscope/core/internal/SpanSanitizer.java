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

  private final ContentPolicy policy;
  private final Redactor secrets = Redactor.secretsOnly();

  public SpanSanitizer(ContentPolicy policy) {
    this.policy = policy;
  }

  public ContentPolicy policy() {
    return policy;
  }

  /** True for attributes that carry credentials and are never exported. */
  public static boolean isSecretAttribute(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String prefix : HEADER_PREFIXES) {
      if (lower.startsWith(prefix) && SECRET_HEADERS.contains(lower.substring(prefix.length()))) {
        return true;
      }
    }
    for (String suffix : SECRET_KEY_SUFFIXES) {
      if (lower.endsWith(suffix)) {
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
    Collector collector = new Collector();
    attributes.forEach(collector);
    if (!collector.changed && (extra == null || extra.isEmpty())) {
      return attributes;
    }
    if (extra != null) {
      collector.builder.putAll(extra);
    }
    return collector.builder.build();
  }

  private final class Collector implements BiConsumer<AttributeKey<?>, Object> {
    final AttributesBuilder builder = Attributes.builder();
    boolean changed;

    @Override
    @SuppressWarnings("unchecked")
    public void accept(AttributeKey<?> key, Object value) {
      String name = key.getKey();
      if (isSecretAttribute(name)) {
        changed = true;
        return;
      }
      boolean content = isContent(name);
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

  private boolean isContent(String key) {
    try {
      return policy.isContentAttribute(key);
    } catch (RuntimeException e) {
      return false;
    }
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
