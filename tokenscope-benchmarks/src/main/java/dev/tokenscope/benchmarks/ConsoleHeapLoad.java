package dev.tokenscope.benchmarks;

import dev.tokenscope.console.Console;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Load script: ingests N spans (default 10,000,000) into a console in this JVM from 4 senders in
 * protobuf batches of 512, and reports every 5 s the acknowledged spans, throughput, heap and old
 * generation in use, 503s and the database size, and once a minute the live set after a full GC.
 * Run it with a fixed -Xmx to show the heap stays bounded:
 *
 * <pre>
 * java -Xmx512m -cp tokenscope-benchmarks/target/benchmarks.jar \
 *     dev.tokenscope.benchmarks.ConsoleHeapLoad 10000000 /tmp/tokenscope-load
 * </pre>
 */
public final class ConsoleHeapLoad {

  private static final int SENDERS = 4;
  private static final int BATCH = 512;

  private ConsoleHeapLoad() {}

  public static void main(String[] args) throws Exception {
    long target = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tokenscope-load");
    long maxBytes = args.length > 2 ? Long.parseLong(args[2]) : 2_000_000_000L;
    System.out.printf(
        "Ingesting %,d spans into %s (max database %,d bytes), -Xmx %,d MiB%n",
        target, dir, maxBytes, Runtime.getRuntime().maxMemory() >> 20);
    long now = System.currentTimeMillis();
    List<byte[]> bodies = new ArrayList<>();
    for (ExportTraceServiceRequest r :
        new SyntheticTraces(11).requests(256, BATCH, now - 86_400_000L, now)) {
      bodies.add(r.toByteArray());
    }
    try (Console console =
        Console.builder()
            .dataDirectory(dir)
            .otlpPort(0)
            .uiPort(0)
            .pricing(Pricing.of(PricingCatalog.builtin()))
            .maxDatabaseBytes(maxBytes)
            .start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI traces = URI.create(console.otlpEndpoint() + "/v1/traces");
      AtomicLong acked = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      AtomicLong next = new AtomicLong();
      ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
      List<Future<?>> futures = new ArrayList<>();
      long started = System.nanoTime();
      for (int s = 0; s < SENDERS; s++) {
        futures.add(
            senders.submit(
                () -> {
                  while (acked.get() < target) {
                    byte[] body = bodies.get((int) (next.getAndIncrement() % bodies.size()));
                    int status = ConsoleIngestBenchmark.postOtlp(client, traces, body);
                    if (status == 200) {
                      acked.addAndGet(BATCH);
                    } else if (status == 503) {
                      refused.incrementAndGet();
                      Thread.sleep(5);
                    } else {
                      throw new IllegalStateException("HTTP " + status);
                    }
                  }
                  return null;
                }));
      }
      long peakUsed = 0;
      long peakLive = 0;
      long lastFullGc = System.nanoTime();
      long maxLiveSet = 0;
      long last = 0;
      long lastTime = System.nanoTime();
      while (futures.stream().anyMatch(f -> !f.isDone())) {
        Thread.sleep(5000);
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long live = oldGenUsed();
        peakUsed = Math.max(peakUsed, used);
        peakLive = Math.max(peakLive, live);
        long n = acked.get();
        long t = System.nanoTime();
        System.out.printf(
            "%,12d spans  %,9.0f spans/s  heap used %,5d MiB  old gen %,5d MiB"
                + "  503s %,d  db %,d MiB%n",
            n,
            (n - last) / ((t - lastTime) / 1e9),
            used >> 20,
            live >> 20,
            refused.get(),
            size(dir) >> 20);
        last = n;
        lastTime = t;
        if (t - lastFullGc > 60_000_000_000L) {
          // Once a minute, the live set: what a full collection cannot free.
          long liveSet = liveAfterFullGc();
          maxLiveSet = Math.max(maxLiveSet, liveSet);
          System.out.printf("  live set after a full GC: %,d MiB%n", liveSet >> 20);
          lastFullGc = System.nanoTime();
        }
      }
      for (Future<?> f : futures) {
        f.get();
      }
      senders.shutdown();
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "%nDone: %,d spans acknowledged in %.0f s (%,.0f spans/s); stored by the console %,d;"
              + " peak heap used %,d MiB, peak old gen %,d MiB, largest live set after full GC"
              + " %,d MiB, of -Xmx %,d MiB;"
              + " 503s %,d; database %,d MiB%n",
          acked.get(),
          seconds,
          acked.get() / seconds,
          console.spansStored(),
          peakUsed >> 20,
          peakLive >> 20,
          Math.max(maxLiveSet, liveAfterFullGc()) >> 20,
          Runtime.getRuntime().maxMemory() >> 20,
          refused.get(),
          size(dir) >> 20);
    }
  }

  /** Old generation in use now (what survives young collections accumulates here). */
  private static long oldGenUsed() {
    long total = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
        total += pool.getUsage().getUsed();
      }
    }
    return total;
  }

  /** Heap in use after a full collection: the live set. */
  private static long liveAfterFullGc() {
    System.gc();
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    } catch (Exception e) {
      return -1;
    }
  }
}
