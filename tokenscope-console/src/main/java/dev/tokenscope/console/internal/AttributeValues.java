package dev.tokenscope.console.internal;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Converts OTLP attribute values to plain Java values (for {@code InferenceAttributes.read}) and to
 * JSON text (for the {@code attributes} column), without going through a generic JSON library: this
 * runs for every attribute of every span on the ingest path.
 */
public final class AttributeValues {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AttributeValues() {}

  public static @Nullable Object toJava(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return value.getBoolValue();
      case INT_VALUE:
        return value.getIntValue();
      case DOUBLE_VALUE:
        return value.getDoubleValue();
      case ARRAY_VALUE:
        {
          List<Object> list = new ArrayList<>(value.getArrayValue().getValuesCount());
          for (AnyValue v : value.getArrayValue().getValuesList()) {
            list.add(toJava(v));
          }
          return list;
        }
      case KVLIST_VALUE:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          for (KeyValue kv : value.getKvlistValue().getValuesList()) {
            map.put(kv.getKey(), toJava(kv.getValue()));
          }
          return map;
        }
      case BYTES_VALUE:
        return Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      default:
        return null;
    }
  }

  /** Writes {@code {"key":value,...}}; {@code extra} entries (console additions) come last. */
  public static void writeObject(
      StringBuilder out, List<KeyValue> attributes, @Nullable Map<String, Object> extra) {
    out.append('{');
    boolean first = true;
    for (KeyValue kv : attributes) {
      if (extra != null && extra.containsKey(kv.getKey())) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, kv.getKey());
      out.append(':');
      writeValue(out, kv.getValue());
    }
    if (extra != null) {
      for (Map.Entry<String, Object> e : extra.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeString(out, e.getKey());
        out.append(':');
        writeJava(out, e.getValue());
      }
    }
    out.append('}');
  }

  public static String toJson(List<KeyValue> attributes) {
    StringBuilder out = new StringBuilder(64 + attributes.size() * 32);
    writeObject(out, attributes, null);
    return out.toString();
  }

  static void writeValue(StringBuilder out, AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        writeString(out, value.getStringValue());
        break;
      case BOOL_VALUE:
        out.append(value.getBoolValue());
        break;
      case INT_VALUE:
        out.append(value.getIntValue());
        break;
      case DOUBLE_VALUE:
        writeDouble(out, value.getDoubleValue());
        break;
      case ARRAY_VALUE:
        out.append('[');
        for (int i = 0; i < value.getArrayValue().getValuesCount(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeValue(out, value.getArrayValue().getValues(i));
        }
        out.append(']');
        break;
      case KVLIST_VALUE:
        writeObject(out, value.getKvlistValue().getValuesList(), null);
        break;
      case BYTES_VALUE:
        writeString(out, Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
        break;
      default:
        out.append("null");
    }
  }

  @SuppressWarnings("unchecked")
  static void writeJava(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      writeString(out, (String) value);
    } else if (value instanceof Double || value instanceof Float) {
      writeDouble(out, ((Number) value).doubleValue());
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof List) {
      out.append('[');
      boolean first = true;
      for (Object v : (List<Object>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        writeJava(out, v);
      }
      out.append(']');
    } else {
      writeString(out, value.toString());
    }
  }

  static void writeDouble(StringBuilder out, double d) {
    if (Double.isFinite(d)) {
      out.append(RECENT_DOUBLES.get().text(d));
    } else {
      // JSON has no NaN/Infinity; keep the value readable rather than invalid.
      writeString(out, Double.toString(d));
    }
  }

  /**
   * Per thread, the text of the last doubles formatted (16 slots by bit pattern). A span's cost
   * figures are written twice, as attributes and as {@code details} fields, and formatting a double
   * is the dearest step of building a row (JDK 17's {@code Double.toString}).
   */
  private static final ThreadLocal<RecentDoubles> RECENT_DOUBLES =
      ThreadLocal.withInitial(RecentDoubles::new);

  private static final class RecentDoubles {
    private final long[] bits = new long[16];
    private final String[] texts = new String[16];

    String text(double d) {
      long b = Double.doubleToRawLongBits(d);
      int slot = (int) (b ^ (b >>> 21) ^ (b >>> 42)) & 15;
      String text = texts[slot];
      if (text == null || bits[slot] != b) {
        text = Double.toString(d);
        bits[slot] = b;
        texts[slot] = text;
      }
      return text;
    }
  }

  public static void writeString(StringBuilder out, String s) {
    out.append('"');
    int len = s.length();
    // Most attribute values need no escaping: copy runs of plain characters in bulk.
    int run = 0;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
        continue;
      }
      out.append(s, run, i);
      run = i + 1;
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case 0x2028:
          out.append("\\u2028");
          break;
        case 0x2029:
          out.append("\\u2029");
          break;
        default:
          out.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      }
    }
    out.append(s, run, len);
    out.append('"');
  }

  /** Lower-case hex of an id; empty string for an empty id. */
  public static String hex(ByteString id) {
    int n = id.size();
    char[] chars = new char[n * 2];
    for (int i = 0; i < n; i++) {
      int b = id.byteAt(i) & 0xFF;
      chars[i * 2] = HEX[b >>> 4];
      chars[i * 2 + 1] = HEX[b & 0xF];
    }
    return new String(chars);
  }
}
