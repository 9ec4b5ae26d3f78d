package dev.tokenscope.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/HTTP endpoint on loopback that reads every request, discards it and answers 200 with an
 * empty (valid) protobuf response — a collector that costs the sender nothing beyond the network
 * round trip. It runs in its own JVM ({@link #start()}), so that a benchmark measuring the CPU time
 * of its own process counts the application's and exporter's work but not the receiver's.
 *
 * <p>As a child process it prints its port on the first line of standard output and exits when its
 * standard input closes (the benchmark ended, or died).
 */
public final class DiscardingOtlpSink implements AutoCloseable {

  private final Process process;
  private final String endpoint;

  private DiscardingOtlpSink(Process process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts a sink in a child JVM with the same class path; waits until it listens. */
  public static DiscardingOtlpSink start() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    List<String> command =
        List.of(
            java,
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            DiscardingOtlpSink.class.getName());
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String port = out.readLine();
      if (port == null) {
        process.destroyForcibly();
        throw new IllegalStateException("the OTLP sink process exited before listening");
      }
      return new DiscardingOtlpSink(process, "http://127.0.0.1:" + port.strip());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the OTLP sink process", e);
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:40123} (traces go to {@code /v1/traces}). */
  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The child process: serve until standard input closes. */
  public static void main(String[] args) throws IOException {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
          }
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(threads);
    server.start();
    System.out.println(server.getAddress().getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to close our standard input
    }
    server.stop(0);
    threads.shutdownNow();
  }
}
