package dev.tokenscope.core.internal;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.core.TelemetryContract;
import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.Pricing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * TokenScope's processing of every span, sampled or not.
 *
 * <p>On start: stamps the association properties, the enclosing workflow's name and the attempt
 * number that are in the parent context, and remembers which workflow roll-up the span belongs to.
 * Outside workflows and association scopes it does nothing.
 *
 * <p>On end, for inference spans (recognised by {@link InferenceReader}, whoever created them):
 * prices the call unless the span already carries a cost, records the contract's metrics, and adds
 * the call to its workflow's roll-up. The span itself is not changed here (it has ended); cost
 * attributes reach spans TokenScope doesn't own through {@link TokenScopeSpanExporter}, which gets
 * the cost computed here ({@link CostHandoff}). Spans enriched by {@code InferenceSpans.enrich}
 * right before they ended are not read again ({@link OwnSpanHandoff}).
 *
 * <p>Runs on the caller's thread: it never blocks and never throws (a failure is counted and logged
 * once).
 */
public final class TokenScopeSpanProcessor implements SpanProcessor {

  private static final Logger logger = Logger.getLogger(TokenScopeSpanProcessor.class.getName());

  private static final AttributeKey<String> WORKFLOW_NAME =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_WORKFLOW_NAME);
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey(TelemetryContract.ATTEMPT);
  private static final AttributeKey<String> ERROR_TYPE =
      AttributeKey.stringKey(TelemetryContract.ERROR_TYPE);

  /** Spans tracked for roll-ups at once; beyond this (spans that never end) tracking stops. */
  static final int MAX_TRACKED_SPANS = 100_000;

  /** Distinct {@code tokenscope.workflow} metric values; further names are recorded as this. */
  public static final String OTHER_WORKFLOW = "_other";

  private final Pricing pricing;
  private final MetricsBinding metrics;
  private final List<String> scopesWithOwnHistograms;
  private final int workflowLimit;
  private final DeliveryStats stats;
  private final CostHandoff costHandoff;
  private final Runnable onShutdown;
  private final RollupTracker rollups = new RollupTracker(MAX_TRACKED_SPANS);
  private final Set<String> workflowNames = ConcurrentHashMap.newKeySet();
  private final LongAdder failures = new LongAdder();
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private final AtomicBoolean trackingLimitLogged = new AtomicBoolean();

  public TokenScopeSpanProcessor(
      Pricing pricing,
      MetricsBinding metrics,
      List<String> scopesWithOwnHistograms,
      int workflowLimit,
      DeliveryStats stats,
      CostHandoff costHandoff,
      Runnable onShutdown) {
    this.pricing = pricing;
    this.metrics = metrics;
    this.scopesWithOwnHistograms = List.copyOf(scopesWithOwnHistograms);
    this.workflowLimit = workflowLimit;
    this.stats = stats;
    this.costHandoff = costHandoff;
    this.onShutdown = onShutdown;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    try {
      AssociationFrame associations = AssociationFrame.from(parentContext);
      EntityFrame frame = EntityFrame.from(parentContext);
      if (associations == null && frame == null) {
        // Outside every workflow and association scope: nothing to stamp, nothing to track.
        return;
      }
      if (associations != null) {
        span.setAllAttributes(associations.attributes());
      }
      if (frame == null) {
        return;
      }
      String workflow = frame.workflowName();
      if (workflow != null && span.getAttribute(WORKFLOW_NAME) == null) {
        span.setAttribute(WORKFLOW_NAME, workflow);
      }
      if (frame.attempt() > 0 && span.getAttribute(ATTEMPT) == null) {
        span.setAttribute(ATTEMPT, frame.attempt());
      }
      WorkflowRollup rollup = frame.rollup();
      if (rollup != null && !rollups.track(span, rollup)) {
        if (trackingLimitLogged.compareAndSet(false, true)) {
          logger.warning(
              "TokenScope: more than "
                  + MAX_TRACKED_SPANS
                  + " spans inside workflows have started without ending; roll-ups of further"
                  + " spans are skipped until they end. Spans that are never ended leak.");
        }
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    try {
      WorkflowRollup rollup = rollups.untrack(span);
      boolean sampled = span.getSpanContext().isSampled();
      if (sampled) {
        stats.ended();
      }
      InferenceAttributes inference;
      @Nullable String errorType;
      @Nullable String workflow;
      boolean priced;
      double costUsd;
      OwnSpanHandoff enriched = OwnSpanHandoff.take(span);
      if (enriched != null) {
        // Enriched just before it ended (InferenceSpans.enrich): priced, attributes known.
        inference = enriched.inference();
        Cost cost = enriched.cost();
        enriched.clear();
        errorType = span.getAttribute(ERROR_TYPE);
        workflow = span.getAttribute(WORKFLOW_NAME);
        priced = cost.priced();
        costUsd = cost.totalUsd();
      } else {
        // One pass over the ended span's attributes (no copy: they are immutable once it ended).
        EndScan scan = new EndScan();
        span.toSpanData().getAttributes().forEach(scan);
        inference = scan.reader.result();
        if (inference == null) {
          return;
        }
        errorType = scan.errorType;
        workflow = scan.workflow;
        if (inference.alreadyPriced()) {
          costUsd = scan.reader.existingCostUsd();
          priced = !Double.isNaN(costUsd) && !scan.reader.pricingUnavailable();
        } else {
          Cost cost = Pricer.price(pricing, inference);
          priced = cost.priced();
          costUsd = cost.totalUsd();
          if (sampled) {
            // The exporter adds the cost attributes on the export thread: hand the cost over.
            costHandoff.put(span.getSpanContext(), cost);
          }
        }
      }
      if (!priced) {
        costUsd = 0;
      }
      InferenceMetrics instruments = metrics.get();
      if (instruments != null) {
        instruments.record(
            inference,
            errorType,
            boundedWorkflow(workflow),
            span.getLatencyNanos() / 1e9,
            priced,
            costUsd,
            !recordsOwnHistograms(span));
      }
      if (rollup != null) {
        rollup.add(priced, costUsd, inference.inputTokens(), inference.outputTokens());
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** The inference reader plus the two other attributes the metrics need. */
  private static final class EndScan implements BiConsumer<AttributeKey<?>, Object> {
    final InferenceReader reader = new InferenceReader();
    @Nullable String errorType;
    @Nullable String workflow;

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      String name = key.getKey();
      if (name.equals(TelemetryContract.ERROR_TYPE)) {
        errorType = value instanceof String ? (String) value : String.valueOf(value);
      } else if (name.equals(TelemetryContract.TRACELOOP_WORKFLOW_NAME)) {
        workflow = value instanceof String ? (String) value : null;
      } else {
        reader.accept(name, value);
      }
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode shutdown() {
    rollups.clear();
    try {
      onShutdown.run();
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "TokenScope: shutdown of owned resources failed", e);
    }
    return CompletableResultCode.ofSuccess();
  }

  /** Spans whose processing failed (an unexpected exception, swallowed). */
  public long failures() {
    return failures.sum();
  }

  private @Nullable String boundedWorkflow(@Nullable String workflow) {
    if (workflow == null || workflowNames.contains(workflow)) {
      return workflow;
    }
    if (workflowNames.size() < workflowLimit) {
      workflowNames.add(workflow);
      return workflow;
    }
    return OTHER_WORKFLOW;
  }

  private boolean recordsOwnHistograms(ReadableSpan span) {
    if (scopesWithOwnHistograms.isEmpty()) {
      return false;
    }
    String scope = span.getInstrumentationScopeInfo().getName();
    for (String prefix : scopesWithOwnHistograms) {
      if (scope.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private void failed(Throwable t) {
    if (t instanceof VirtualMachineError) {
      throw (VirtualMachineError) t;
    }
    failures.increment();
    if (failureLogged.compareAndSet(false, true)) {
      logger.log(
          Level.WARNING,
          "TokenScope: processing a span failed; the span is unchanged and further failures are"
              + " only counted",
          t);
    }
  }

  @Override
  public String toString() {
    return "TokenScopeSpanProcessor{pricing=" + pricing + "}";
  }
}
