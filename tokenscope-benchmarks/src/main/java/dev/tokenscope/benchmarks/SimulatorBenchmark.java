package dev.tokenscope.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.simulator.LlmSimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One loopback request to the in-process simulator at speed 0, over a keep-alive {@code
 * java.net.http} client, against a baseline in the same run: a bare JDK {@code HttpServer}
 * answering a fixed chat-completion body of the same size, so the ratio is the simulator's own work
 * (parsing, token counting, prompt cache, content, JSON or SSE writing, logging).
 *
 * <p>Run from the repository root: {@code java -jar tokenscope-benchmarks/target/benchmarks.jar
 * SimulatorBenchmark}. The per-SDK overhead benchmarks build on this.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SimulatorBenchmark {

  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a chef.\"},"
          + "{\"role\":\"user\",\"content\":\"Suggest a starter for an autumn menu.\"}]}";
  private static final String CHAT_STREAM =
      CHAT.substring(0, CHAT.length() - 1)
          + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
  private static final String MESSAGE =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":300,\"system\":\"You are a chef.\","
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Suggest a starter for an autumn menu.\"}]}";

  private LlmSimulator simulator;
  private HttpServer bare;
  private ExecutorService bareExecutor;
  private HttpClient client;
  private HttpRequest chat;
  private HttpRequest chatStream;
  private HttpRequest message;
  private HttpRequest baseline;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    simulator = LlmSimulator.builder().seed(1).speed(0).requestLogCapacity(1_000).build().start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    chat = post(simulator.openAiBaseUrl() + "/chat/completions", CHAT, "Authorization", "Bearer k");
    chatStream =
        post(
            simulator.openAiBaseUrl() + "/chat/completions",
            CHAT_STREAM,
            "Authorization",
            "Bearer k");
    message =
        post(
            simulator.anthropicBaseUrl() + "/v1/messages",
            MESSAGE,
            "x-api-key",
            "k",
            "anthropic-version",
            "2023-06-01");

    // The baseline answers with the simulator's own reply bytes, so both write the same amount.
    byte[] reply = client.send(chat, HttpResponse.BodyHandlers.ofByteArray()).body();
    bare = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    bareExecutor = Executors.newCachedThreadPool();
    bare.setExecutor(bareExecutor);
    bare.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("content-type", "application/json");
          exchange.sendResponseHeaders(200, reply.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
          }
        });
    bare.start();
    baseline =
        post(
            "http://127.0.0.1:" + bare.getAddress().getPort() + "/v1/chat/completions",
            CHAT,
            "Authorization",
            "Bearer k");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    simulator.close();
    bare.stop(0);
    bareExecutor.shutdownNow();
  }

  private static HttpRequest post(String url, String body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder.build();
  }

  private byte[] send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("unexpected status " + response.statusCode());
    }
    return response.body();
  }

  /** Baseline: a bare JDK server returning a chat completion of the same size. */
  @Benchmark
  public byte[] bareHttpServer() throws Exception {
    return send(baseline);
  }

  @Benchmark
  public byte[] openAiChatCompletion() throws Exception {
    return send(chat);
  }

  @Benchmark
  public byte[] openAiChatCompletionStreamed() throws Exception {
    return send(chatStream);
  }

  @Benchmark
  public byte[] anthropicMessage() throws Exception {
    return send(message);
  }
}
