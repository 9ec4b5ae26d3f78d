package dev.tokenscope.core.internal;

import dev.tokenscope.core.TelemetryContract;
import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A span's attributes plus what the exporter adds to them — the {@code gen_ai.cost.*} attributes of
 * a {@link Cost} and the {@code gen_ai.system} alias — as a view, instead of copying and re-sorting
 * the span's attributes into a new {@link Attributes} (which cost more than everything else the
 * exporter did per span). The caller guarantees that {@code base} holds none of the added keys
 * ({@link #isAddedKey}), so every key appears once.
 */
final class EnrichedAttributes implements Attributes {

  static final AttributeKey<String> SYSTEM =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_SYSTEM);

  private final Attributes base;
  private final AttributeKey<?>[] keys;
  private final Object[] values;
  private final int added;

  EnrichedAttributes(Attributes base, @Nullable Cost cost, @Nullable String system) {
    this.base = base;
    int capacity = (cost == null ? 0 : CostAttributes.MAX_COUNT) + (system == null ? 0 : 1);
    keys = new AttributeKey<?>[capacity];
    values = new Object[capacity];
    int count = cost == null ? 0 : CostAttributes.fill(cost, keys, values, 0);
    if (system != null) {
      keys[count] = SYSTEM;
      values[count++] = system;
    }
    added = count;
  }

  /** True for every key this view can add; a base holding one of them must be merged instead. */
  static boolean isAddedKey(String key) {
    return CostAttributes.isCostKey(key) || key.equals(TelemetryContract.GEN_AI_SYSTEM);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(AttributeKey<T> key) {
    for (int i = 0; i < added; i++) {
      if (keys[i].equals(key)) {
        return (T) values[i];
      }
    }
    return base.get(key);
  }

  @Override
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    base.forEach(consumer);
    for (int i = 0; i < added; i++) {
      consumer.accept(keys[i], values[i]);
    }
  }

  @Override
  public int size() {
    return base.size() + added;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  @Override
  @SuppressWarnings("unchecked")
  public AttributesBuilder toBuilder() {
    AttributesBuilder builder = base.toBuilder();
    for (int i = 0; i < added; i++) {
      builder.put((AttributeKey<Object>) keys[i], values[i]);
    }
    return builder;
  }

  /** Equal to any {@link Attributes} with the same entries, whatever their implementation. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Attributes && asMap().equals(((Attributes) other).asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
