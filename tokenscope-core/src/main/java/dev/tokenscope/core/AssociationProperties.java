package dev.tokenscope.core;

import dev.tokenscope.core.internal.AssociationFrame;
import dev.tokenscope.core.internal.IdHasher;
import dev.tokenscope.core.internal.TokenScopeRuntime;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ImplicitContextKeyed;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who and what a piece of work is for — user, session, customer, any key of yours — recorded as
 * {@code traceloop.association.properties.<key>} on every span that starts while the properties are
 * current, on any thread the context reaches. User and customer ids are pseudonymised with
 * HMAC-SHA256 (key from {@code TOKENSCOPE_ASSOCIATION_HASH_KEY}) unless hashing is turned off.
 * Nested scopes add to (and override) the enclosing ones.
 *
 * <pre>{@code
 * try (Scope ignored = AssociationProperties.builder()
 *     .userId(request.userId())
 *     .sessionId(request.sessionId())
 *     .put("plan", "pro")
 *     .build()
 *     .makeCurrent()) {
 *   menuDesigner.design(brief);   // every span in here carries the properties
 * }
 * }</pre>
 *
 * <p>The properties stay in this process: they are not propagated to other services as baggage.
 */
public final class AssociationProperties implements ImplicitContextKeyed {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** Longest value kept, in characters. */
  public static final int MAX_VALUE_LENGTH = 256;

  private final Map<String, String> values;

  private AssociationProperties(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The properties in {@code context}'s scope, keyed without the attribute prefix. */
  public static Map<String, String> current(Context context) {
    AssociationFrame frame = AssociationFrame.from(context);
    if (frame == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    frame
        .attributes()
        .forEach(
            (key, value) ->
                out.put(
                    key.getKey()
                        .substring(
                            TelemetryContract.TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX.length()),
                    String.valueOf(value)));
    return out;
  }

  /** The properties as they are recorded (ids already hashed), keyed without the prefix. */
  public Map<String, String> asMap() {
    return values;
  }

  @Override
  public Context storeInContext(Context context) {
    AssociationFrame enclosing = AssociationFrame.from(context);
    AttributesBuilder merged =
        enclosing == null ? Attributes.builder() : enclosing.attributes().toBuilder();
    values.forEach(
        (key, value) ->
            merged.put(
                AttributeKey.stringKey(
                    TelemetryContract.TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX + key),
                value));
    return new AssociationFrame(merged.build()).storeIn(context);
  }

  @Override
  public String toString() {
    return "AssociationProperties" + values;
  }

  /** Collects properties; ids are hashed when {@link #build()} is called. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Boolean> hashed = new LinkedHashMap<>();

    private Builder() {}

    /** The end user's id; hashed. */
    public Builder userId(String userId) {
      return add(TelemetryContract.ASSOCIATION_USER_ID, userId, true);
    }

    /** The conversation or session id; recorded as is. */
    public Builder sessionId(String sessionId) {
      return add(TelemetryContract.ASSOCIATION_SESSION_ID, sessionId, false);
    }

    /** The customer (tenant, account) id; hashed. */
    public Builder customerId(String customerId) {
      return add(TelemetryContract.ASSOCIATION_CUSTOMER_ID, customerId, true);
    }

    /**
     * Any other property, recorded as is: keys are 1 to 64 letters, digits, {@code _ . -}; values
     * longer than {@value AssociationProperties#MAX_VALUE_LENGTH} characters are cut. Don't put
     * personal data here unhashed.
     */
    public Builder put(String key, String value) {
      return add(key, value, false);
    }

    private Builder add(String key, String value, boolean hash) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "association property keys are 1 to 64 characters of [A-Za-z0-9_.-], got \""
                + (key.length() > 80 ? key.substring(0, 80) + "…" : key)
                + "\"");
      }
      values.put(key, value);
      hashed.put(key, hash);
      return this;
    }

    public AssociationProperties build() {
      IdHasher hasher = TokenScopeRuntime.active().hasher();
      Map<String, String> out = new LinkedHashMap<>();
      values.forEach(
          (key, value) -> {
            if (Boolean.TRUE.equals(hashed.get(key))) {
              out.put(key, hasher.hash(value));
            } else {
              out.put(
                  key,
                  value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value);
            }
          });
      return new AssociationProperties(out);
    }
  }
}
