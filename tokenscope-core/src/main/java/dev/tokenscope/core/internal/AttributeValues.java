package dev.tokenscope.core.internal;

import io.opentelemetry.api.common.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Coerces attribute values of any shape into the types TokenScope reads: token counts, names and
 * flags. Values arrive as {@code Long}, {@code Integer}, {@code Double}, {@code String} (OTLP/JSON
 * int64), lists, OTLP/JSON {@code AnyValue} maps or OpenTelemetry {@link Value}s. Nothing here
 * throws: a value that cannot be read is treated as absent.
 */
public final class AttributeValues {

  /** Returned by {@link #count} when the value is absent or unreadable. */
  public static final long ABSENT = -1;

  /** Longest name kept (model, provider, operation); longer values are cut. */
  public static final int MAX_NAME_LENGTH = 256;

  private static final int MAX_DEPTH = 4;

  private AttributeValues() {}

  /**
   * A non-negative token count, or {@link #ABSENT} when the value is missing, negative, not a
   * finite number, or too large for a {@code long}. Fractions are truncated.
   */
  public static long count(@Nullable Object value) {
    return count(value, 0);
  }

  private static long count(@Nullable Object value, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return ABSENT;
    }
    try {
      if (value instanceof Long
          || value instanceof Integer
          || value instanceof Short
          || value instanceof Byte) {
        long v = ((Number) value).longValue();
        return v >= 0 ? v : ABSENT;
      }
      if (value instanceof Double || value instanceof Float) {
        return fromDouble(((Number) value).doubleValue());
      }
      if (value instanceof BigInteger) {
        BigInteger v = (BigInteger) value;
        return v.signum() >= 0 && v.bitLength() < 64 ? v.longValue() : ABSENT;
      }
      if (value instanceof BigDecimal) {
        return fromDouble(((BigDecimal) value).doubleValue());
      }
      if (value instanceof Number) {
        return fromDouble(((Number) value).doubleValue());
      }
      if (value instanceof CharSequence) {
        return parseCount(value.toString());
      }
      Object inner = unwrap(value);
      return inner == value ? ABSENT : count(inner, depth + 1);
    } catch (RuntimeException e) {
      return ABSENT;
    }
  }

  private static long fromDouble(double v) {
    if (Double.isNaN(v) || v < 0 || v >= 0x1p63) {
      return ABSENT;
    }
    return (long) v;
  }

  private static long parseCount(String raw) {
    String s = raw.strip();
    if (s.isEmpty() || s.length() > 40) {
      return ABSENT;
    }
    boolean digits = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
    }
    try {
      if (digits) {
        return s.length() <= 18 ? Long.parseLong(s) : fromBig(new BigInteger(s));
      }
      return fromDouble(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return ABSENT;
    }
  }

  private static long fromBig(BigInteger v) {
    return v.bitLength() < 64 ? v.longValue() : ABSENT;
  }

  /**
   * A trimmed, non-empty name of at most {@link #MAX_NAME_LENGTH} characters, or null. Only text is
   * accepted (a number is not a model name).
   */
  public static @Nullable String name(@Nullable Object value) {
    return name(value, 0);
  }

  private static @Nullable String name(@Nullable Object value, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return null;
    }
    try {
      if (value instanceof CharSequence) {
        String s = value.toString().strip();
        if (s.isEmpty()) {
          return null;
        }
        return s.length() > MAX_NAME_LENGTH ? s.substring(0, MAX_NAME_LENGTH) : s;
      }
      if (value instanceof Number || value instanceof Boolean) {
        return null;
      }
      Object inner = unwrap(value);
      return inner == value ? null : name(inner, depth + 1);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** True only for {@code true} or the text {@code "true"} (any case). */
  public static boolean flag(@Nullable Object value) {
    return flag(value, 0);
  }

  private static boolean flag(@Nullable Object value, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return false;
    }
    try {
      if (value instanceof Boolean) {
        return (Boolean) value;
      }
      if (value instanceof CharSequence) {
        return value.toString().strip().equalsIgnoreCase("true");
      }
      Object inner = unwrap(value);
      return inner != value && flag(inner, depth + 1);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The value inside a container: the first non-null element of a list or array, the value of an
   * OTLP/JSON {@code AnyValue} map, the payload of an OpenTelemetry {@link Value}. Returns {@code
   * value} itself when it is not a container.
   */
  private static @Nullable Object unwrap(Object value) {
    if (value instanceof Value<?>) {
      return ((Value<?>) value).getValue();
    }
    if (value instanceof Collection<?>) {
      Iterator<?> it = ((Collection<?>) value).iterator();
      while (it.hasNext()) {
        Object element = it.next();
        if (element != null) {
          return element;
        }
      }
      return null;
    }
    if (value instanceof Object[]) {
      for (Object element : (Object[]) value) {
        if (element != null) {
          return element;
        }
      }
      return null;
    }
    if (value instanceof Map<?, ?>) {
      return anyValue((Map<?, ?>) value);
    }
    return value;
  }

  /** The payload of an OTLP/JSON {@code AnyValue}: {@code {"intValue":"12"}} and friends. */
  private static @Nullable Object anyValue(Map<?, ?> map) {
    if (map.size() != 1) {
      return null;
    }
    Map.Entry<?, ?> entry = map.entrySet().iterator().next();
    Object key = entry.getKey();
    if (!(key instanceof String)) {
      return null;
    }
    switch (((String) key).toLowerCase(Locale.ROOT)) {
      case "intvalue":
      case "int_value":
      case "doublevalue":
      case "double_value":
      case "stringvalue":
      case "string_value":
      case "boolvalue":
      case "bool_value":
        return entry.getValue();
      case "arrayvalue":
      case "array_value":
        Object array = entry.getValue();
        if (array instanceof Map<?, ?>) {
          return ((Map<?, ?>) array).get("values");
        }
        return array;
      default:
        return null;
    }
  }
}
