package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad bodies get a clear status, store nothing, and the server keeps serving. */
class MalformedIngestTest {

  private static final int LIMIT = 256 * 1024;
  private static Console console;
  private static String traces;

  @BeforeAll
  static void start() throws Exception {
    console =
        Console.builder()
            .inMemory()
            .otlpPort(0)
            .uiPort(0)
            .maxRequestBytes(LIMIT)
            .pricing(KnownTelemetry.PRICING)
            .retention(Duration.ofDays(36500))
            .start();
    traces = console.otlpEndpoint() + "/v1/traces";
  }

  @AfterAll
  static void stop() {
    console.close();
  }

  @AfterEach
  void nothingStoredAndStillServing() throws Exception {
    assertThat(storedSpans()).isZero();
    HttpResponse<String> status = Otlp.get(console.uiUrl() + "api/v1/status");
    assertThat(status.statusCode()).isEqualTo(200);
  }

  private static long storedSpans() throws Exception {
    return new ObjectMapper()
        .readTree(Otlp.get(console.uiUrl() + "api/v1/status").body())
        .get("storage")
        .get("spans")
        .asLong();
  }

  private static byte[] validBody() {
    return KnownTelemetry.requests().get(0).toByteArray();
  }

  /** The google.rpc.Status message of an error response. */
  private static String statusMessage(byte[] body) throws Exception {
    CodedInputStream in = CodedInputStream.newInstance(body);
    String message = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag >>> 3 == 2) {
        message = in.readString();
      } else {
        in.skipField(tag);
      }
    }
    return message;
  }

  @Test
  void garbageProtobufIs400() throws Exception {
    byte[] garbage = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2, 3};
    HttpResponse<byte[]> response = Otlp.post(traces, "application/x-protobuf", garbage);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    assertThat(statusMessage(response.body())).startsWith("invalid OTLP protobuf");
  }

  @Test
  void truncatedProtobufIs400() throws Exception {
    byte[] body = validBody();
    HttpResponse<byte[]> response =
        Otlp.post(traces, "application/x-protobuf", Arrays.copyOf(body, body.length / 2));
    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void malformedJsonIs400WithAMessage() throws Exception {
    String[] bodies = {
      "{\"resourceSpans\": [",
      "[]",
      "{\"resourceSpans\": \"x\"}",
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\",\"spanId\":\"b7ad6b7169203331\"}]}]}]}",
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
          + "\"spanId\":\"b7ad6b7169203331\",\"startTimeUnixNano\":\"yesterday\"}]}]}]}",
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
          + "\"spanId\":\"b7ad6b7169203331\",\"kind\":\"SPAN_KIND_SIDEWAYS\"}]}]}]}",
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
          + "\"spanId\":\"b7ad6b7169203331\",\"attributes\":[{\"key\":\"a\",\"value\":{\"intValue\":\"1.5x\"}}]}]}]}]}",
    };
    for (String body : bodies) {
      HttpResponse<byte[]> response =
          Otlp.post(traces, "application/json", body.getBytes(StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      String text = new String(response.body(), StandardCharsets.UTF_8);
      assertThat(new ObjectMapper().readTree(text).get("message").asText()).as(body).isNotBlank();
    }
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    byte[] big = new byte[LIMIT + 1];
    HttpResponse<byte[]> response = Otlp.post(traces, "application/x-protobuf", big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(statusMessage(response.body())).contains("exceeds");
  }

  @Test
  void oversizedChunkedBodyIs413() throws Exception {
    // No Content-Length: the limit is enforced while reading.
    byte[] big = new byte[LIMIT * 2];
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(traces))
            .header("Content-Type", "application/x-protobuf")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)))
            .build();
    HttpResponse<String> response = Otlp.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void gzipBombIs413WithoutInflatingIt() throws Exception {
    // 64 MiB of zeros compresses to about 64 KiB: under the limit compressed, far over it inflated.
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    assertThat(compressed.size()).isLessThan(LIMIT);
    HttpResponse<byte[]> response =
        Otlp.post(
            traces, "application/x-protobuf", compressed.toByteArray(), "Content-Encoding", "gzip");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(statusMessage(response.body())).contains("decompressed");
  }

  @Test
  void brokenGzipIs400() throws Exception {
    HttpResponse<byte[]> response =
        Otlp.post(traces, "application/x-protobuf", validBody(), "Content-Encoding", "gzip");
    assertThat(response.statusCode()).isEqualTo(400);
    byte[] gz = Otlp.gzip(validBody());
    HttpResponse<byte[]> truncated =
        Otlp.post(
            traces,
            "application/x-protobuf",
            Arrays.copyOf(gz, gz.length - 20),
            "Content-Encoding",
            "gzip");
    assertThat(truncated.statusCode()).isEqualTo(400);
  }

  @Test
  void otherMediaTypesAndEncodingsAre415() throws Exception {
    for (String type : List.of("text/plain", "application/xml", "multipart/form-data")) {
      assertThat(Otlp.post(traces, type, validBody()).statusCode()).as(type).isEqualTo(415);
    }
    assertThat(Otlp.post(traces, null, validBody()).statusCode()).isEqualTo(415);
    assertThat(
            Otlp.post(traces, "application/x-protobuf", validBody(), "Content-Encoding", "br")
                .statusCode())
        .isEqualTo(415);
  }

  @Test
  void getIs405() throws Exception {
    assertThat(Otlp.get(traces).statusCode()).isEqualTo(405);
  }

  @Test
  void emptyRequestIsAcceptedAndStoresNothing() throws Exception {
    HttpResponse<byte[]> response =
        Otlp.post(
            traces,
            "application/x-protobuf",
            ExportTraceServiceRequest.getDefaultInstance().toByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> json =
        Otlp.post(traces, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(json.statusCode()).isEqualTo(200);
  }
}
