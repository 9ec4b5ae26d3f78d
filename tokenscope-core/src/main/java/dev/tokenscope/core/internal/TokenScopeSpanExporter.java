package dev.tokenscope.core.internal;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.Pricing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the application's span exporter. Before spans leave the process it:
 *
 * <ul>
 *   <li>adds {@code gen_ai.cost.*} to inference spans that have no cost yet (spans of other
 *       instrumentations: the Anthropic SDK's own tracing, OpenTelemetry's OpenAI instrumentation,
 *       hand-written spans), returning enriched {@link SpanData} through {@link DelegatingSpanData}
 *       — public API only, the recorded span is untouched. The cost is the one the span processor
 *       computed when the span ended ({@link CostHandoff}), so each span is priced once;
 *   <li>adds the deprecated {@code gen_ai.system} alias to spans that name only {@code
 *       gen_ai.provider.name} (the contract still emits it: Elastic APM Server derives {@code
 *       span.type=genai} from it);
 *   <li>applies the content policy and removes secrets ({@link SpanSanitizer});
 *   <li>counts what could not be delivered, and says so in the log once, not per span.
 * </ul>
 *
 * <p>Runs on the export thread, never on the application's.
 */
public final class TokenScopeSpanExporter implements SpanExporter {

  private static final Logger logger = Logger.getLogger(TokenScopeSpanExporter.class.getName());

  private final SpanExporter delegate;
  private final Pricing pricing;
  private final SpanSanitizer sanitizer;
  private final CostHandoff handoff;
  private final DeliveryStats stats;
  private final long queueCapacity;
  private final LongAdder received = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder unprocessable = new LongAdder();
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private final AtomicBoolean dropLogged = new AtomicBoolean();
  private final AtomicBoolean processingFailureLogged = new AtomicBoolean();
  private final AtomicBoolean summarised = new AtomicBoolean();

  /**
   * @param queueCapacity how many ended spans may wait for export before the batch processor drops
   *     them (its queue plus one batch in flight); used to tell drops from a backlog
   */
  public TokenScopeSpanExporter(
      SpanExporter delegate,
      Pricing pricing,
      SpanSanitizer sanitizer,
      CostHandoff handoff,
      DeliveryStats stats,
      long queueCapacity) {
    this.delegate = delegate;
    this.pricing = pricing;
    this.sanitizer = sanitizer;
    this.handoff = handoff;
    this.stats = stats;
    this.queueCapacity = queueCapacity;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int count = spans.size();
    received.add(count);
    checkForDrops();
    List<SpanData> out = new ArrayList<>(count);
    for (SpanData span : spans) {
      SpanData processed = process(span);
      if (processed != null) {
        out.add(processed);
      }
    }
    CompletableResultCode result;
    try {
      result = delegate.export(out);
    } catch (RuntimeException e) {
      exportFailed(out.size(), e.toString());
      return CompletableResultCode.ofFailure();
    }
    int exported = out.size();
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            delivered.add(exported);
          } else {
            Throwable cause = result.getFailureThrowable();
            exportFailed(
                exported, cause == null ? "the exporter reported a failure" : cause.toString());
          }
        });
    return result;
  }

  /** The span as it should leave the process, or null to drop it (processing failed). */
  @Nullable SpanData process(SpanData span) {
    try {
      Attributes original = span.getAttributes();
      // Priced already by the span processor (a span TokenScope doesn't own)? Then the attributes
      // need not be read for the inference; otherwise read them in the same pass as the checks.
      Cost cost = handoff.get(span.getSpanContext());
      Scan scan = new Scan(cost == null ? new InferenceReader() : null);
      original.forEach(scan);
      // A span priced before its end (InferenceSpans.enrich) carries its cost: nothing to price,
      // so its attributes need not be normalised either.
      if (cost == null && scan.reader != null && !scan.reader.alreadyPriced()) {
        InferenceAttributes inference = scan.reader.result();
        if (inference != null) {
          cost = Pricer.price(pricing, inference);
        }
      }
      // The deprecated gen_ai.system alias the contract still emits (Elastic APM Server derives
      // span.type=genai from it), for spans that name only gen_ai.provider.name.
      String system =
          scan.system == null && scan.provider instanceof String ? (String) scan.provider : null;
      Attributes attributes;
      if (scan.needsChange || (cost != null && scan.costKeys)) {
        attributes = sanitizer.rebuild(original, cost, system);
      } else if (cost != null || system != null) {
        attributes = new EnrichedAttributes(original, cost, system);
      } else {
        attributes = original;
      }
      List<EventData> events = sanitizeEvents(span.getEvents());
      StatusData status = sanitizeStatus(span.getStatus());
      if (attributes == original && events == span.getEvents() && status == span.getStatus()) {
        return span;
      }
      int totalAttributes = span.getTotalAttributeCount() - original.size() + attributes.size();
      return new SanitizedSpanData(span, attributes, events, status, totalAttributes);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError) {
        throw (VirtualMachineError) t;
      }
      // Fail closed: a span we could not sanitize may hold content or secrets.
      unprocessable.increment();
      if (processingFailureLogged.compareAndSet(false, true)) {
        logger.log(
            Level.WARNING,
            "TokenScope: a span could not be processed for export and was dropped; further"
                + " failures are only counted",
            t);
      }
      return null;
    }
  }

  /**
   * One pass over a span's attributes: do any need sanitizing, does it hold cost keys already,
   * which provider names it, and (when a reader is given) the inference it describes.
   */
  private final class Scan implements BiConsumer<AttributeKey<?>, Object> {
    final @Nullable InferenceReader reader;
    boolean needsChange;
    boolean costKeys;
    @Nullable Object provider;
    @Nullable Object system;

    Scan(@Nullable InferenceReader reader) {
      this.reader = reader;
    }

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      String name = key.getKey();
      SpanSanitizer.Kind kind = sanitizer.kind(name);
      switch (kind) {
        case COST:
          costKeys = true;
          break;
        case PROVIDER:
          provider = value;
          break;
        case SYSTEM:
          system = value;
          break;
        default:
          break;
      }
      if (!needsChange) {
        needsChange = sanitizer.needsChange(kind, key, value);
      }
      if (reader != null) {
        reader.accept(name, value);
      }
    }
  }

  private List<EventData> sanitizeEvents(List<EventData> events) {
    if (events.isEmpty()) {
      return events;
    }
    List<EventData> out = null;
    for (int i = 0; i < events.size(); i++) {
      EventData event = events.get(i);
      EventData cleaned = sanitizeEvent(event);
      if (cleaned != event && out == null) {
        out = new ArrayList<>(events.subList(0, i));
      }
      if (out != null && cleaned != null) {
        out.add(cleaned);
      }
    }
    return out == null ? events : out;
  }

  private @Nullable EventData sanitizeEvent(EventData event) {
    if (!sanitizer.policy().captureContent() && isContentEvent(event.getName())) {
      return null;
    }
    Attributes attributes = sanitizer.sanitize(event.getAttributes());
    if (attributes == event.getAttributes()) {
      return event;
    }
    int total = event.getTotalAttributeCount() - event.getAttributes().size() + attributes.size();
    return EventData.create(event.getEpochNanos(), event.getName(), attributes, total);
  }

  /** Events that exist only to carry prompts or completions (older GenAI conventions). */
  private static boolean isContentEvent(String name) {
    switch (name) {
      case "gen_ai.content.prompt":
      case "gen_ai.content.completion":
      case "gen_ai.system.message":
      case "gen_ai.user.message":
      case "gen_ai.assistant.message":
      case "gen_ai.tool.message":
      case "gen_ai.choice":
        return true;
      default:
        return false;
    }
  }

  private StatusData sanitizeStatus(StatusData status) {
    String description = status.getDescription();
    if (description == null || description.isEmpty()) {
      return status;
    }
    String cleaned = sanitizer.scrub(description);
    return cleaned.equals(description)
        ? status
        : StatusData.create(status.getStatusCode(), cleaned);
  }

  private void checkForDrops() {
    long backlog = stats.endedSampled() - received.sum();
    if (backlog > queueCapacity && dropLogged.compareAndSet(false, true)) {
      logger.warning(
          "TokenScope: the span export queue is full (the telemetry endpoint is slow or down), so"
              + " spans are being dropped. The application is not slowed; the number of dropped"
              + " spans is reported once at shutdown.");
    }
  }

  private void exportFailed(int count, String reason) {
    failed.add(count);
    if (failureLogged.compareAndSet(false, true)) {
      logger.warning(
          "TokenScope: "
              + count
              + " spans could not be exported by "
              + describe(delegate)
              + " ("
              + sanitizer.scrub(reason)
              + "). The application is not affected; further failures are counted and reported"
              + " once at shutdown.");
    }
  }

  /** Spans handed to this exporter. */
  public long received() {
    return received.sum();
  }

  /** Spans the delegate exported successfully. */
  public long delivered() {
    return delivered.sum();
  }

  /** Spans in batches the delegate failed to export. */
  public long failed() {
    return failed.sum();
  }

  /**
   * Sampled spans that never reached this exporter: dropped by a full export queue, still queued,
   * or ended while the SDK was shutting down (its batch processor drops those). Exact after
   * shutdown.
   */
  public long notReceived() {
    return Math.max(0, stats.endedSampled() - received.sum());
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode result = delegate.shutdown();
    summarise();
    return result;
  }

  /** Logs, once, how many spans were not delivered; silent when all were. */
  void summarise() {
    if (!summarised.compareAndSet(false, true)) {
      return;
    }
    long lost = failed.sum() + notReceived() + unprocessable.sum();
    if (lost == 0) {
      return;
    }
    logger.warning(
        "TokenScope: "
            + lost
            + " of "
            + stats.endedSampled()
            + " sampled spans were not delivered by "
            + describe(delegate)
            + ": "
            + failed.sum()
            + " failed to export, "
            + notReceived()
            + " dropped before reaching it (a full export queue, or ended while shutting down), "
            + unprocessable.sum()
            + " could not be processed. Cost and token metrics are recorded for every call regardless.");
  }

  @Override
  public String toString() {
    return "TokenScopeSpanExporter{" + delegate + "}";
  }

  /** The exporter's class and endpoint, without the rest of its (long) toString. */
  private String describe(SpanExporter exporter) {
    String text = String.valueOf(exporter);
    int start = text.indexOf("endpoint=");
    String name = exporter.getClass().getSimpleName();
    if (start < 0) {
      return name;
    }
    int end = text.indexOf(',', start);
    return name
        + " ("
        + sanitizer.scrub(text.substring(start, end < 0 ? text.length() : end))
        + ")";
  }

  private static final class SanitizedSpanData extends DelegatingSpanData {
    private final Attributes attributes;
    private final List<EventData> events;
    private final StatusData status;
    private final int totalAttributes;

    SanitizedSpanData(
        SpanData delegate,
        Attributes attributes,
        List<EventData> events,
        StatusData status,
        int totalAttributes) {
      super(delegate);
      this.attributes = attributes;
      this.events = events;
      this.status = status;
      this.totalAttributes = totalAttributes;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public StatusData getStatus() {
      return status;
    }

    @Override
    public int getTotalAttributeCount() {
      return Math.max(totalAttributes, attributes.size());
    }
  }
}
