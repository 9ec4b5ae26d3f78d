package dev.tokenscope.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attribute values written as JSON by hand must parse back to the same values. */
class AttributeJsonTest {

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  @Test
  void everyValueKindRoundTripsThroughAJsonParser() throws Exception {
    String tricky =
        "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 sep \u2028 é 漢 😀";
    List<KeyValue> attributes =
        List.of(
            kv("s", AnyValue.newBuilder().setStringValue(tricky).build()),
            kv("plain", AnyValue.newBuilder().setStringValue("gpt-4o").build()),
            kv("b", AnyValue.newBuilder().setBoolValue(true).build()),
            kv("i", AnyValue.newBuilder().setIntValue(-9_007_199_254_740_993L).build()),
            kv("d", AnyValue.newBuilder().setDoubleValue(0.0075).build()),
            kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()),
            kv(
                "a",
                AnyValue.newBuilder()
                    .setArrayValue(
                        ArrayValue.newBuilder()
                            .addValues(AnyValue.newBuilder().setStringValue("stop"))
                            .addValues(AnyValue.newBuilder().setIntValue(2)))
                    .build()),
            kv(
                "kv",
                AnyValue.newBuilder()
                    .setKvlistValue(
                        KeyValueList.newBuilder()
                            .addValues(
                                kv("k\"ey", AnyValue.newBuilder().setStringValue("v").build())))
                    .build()),
            kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()),
            kv("empty", AnyValue.getDefaultInstance()),
            kv("key with \"quotes\"", AnyValue.newBuilder().setStringValue("x").build()));
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("added", 1.5);
    extra.put("s", "overridden");
    StringBuilder out = new StringBuilder();
    AttributeValues.writeObject(out, attributes, extra);
    JsonNode json = new ObjectMapper().readTree(out.toString());

    assertThat(json.get("s").asText()).isEqualTo("overridden");
    assertThat(json.get("plain").asText()).isEqualTo("gpt-4o");
    assertThat(json.get("b").asBoolean()).isTrue();
    assertThat(json.get("i").asLong()).isEqualTo(-9_007_199_254_740_993L);
    assertThat(json.get("d").asDouble()).isEqualTo(0.0075);
    assertThat(json.get("nan").asText()).isEqualTo("NaN");
    assertThat(json.get("a").get(0).asText()).isEqualTo("stop");
    assertThat(json.get("kv").get("k\"ey").asText()).isEqualTo("v");
    assertThat(json.get("bytes").asText()).isEqualTo("aGk=");
    assertThat(json.get("empty").isNull()).isTrue();
    assertThat(json.get("key with \"quotes\"").asText()).isEqualTo("x");
    assertThat(json.get("added").asDouble()).isEqualTo(1.5);

    StringBuilder single = new StringBuilder();
    AttributeValues.writeString(single, tricky);
    assertThat(new ObjectMapper().readTree(single.toString()).asText()).isEqualTo(tricky);
  }

  @Test
  void idsAreLowerCaseHex() {
    assertThat(AttributeValues.hex(ByteString.copyFrom(new byte[] {0x0a, (byte) 0xff, 0x10})))
        .isEqualTo("0aff10");
    assertThat(AttributeValues.hex(ByteString.EMPTY)).isEmpty();
  }
}
