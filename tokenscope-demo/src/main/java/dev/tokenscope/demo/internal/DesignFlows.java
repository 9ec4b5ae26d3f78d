package dev.tokenscope.demo.internal;

import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.RecordedRequest;
import dev.tokenscope.simulator.ScriptRule;
import dev.tokenscope.simulator.SimulatedRequest;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Both menu-design flows on one simulator, for the speed figure in {@code tokenscope-benchmarks}:
 * {@link #concurrent} is the service's workflow, {@link #sequential} the reference design's order
 * of the same calls. The simulator's answers are made deterministic per course — course k is
 * approved at review ((k - 1) mod maxReviews) + 1 and gets a valid wine at attempt ((k - 1) mod 2)
 * + 1 — so both flows make exactly the same LLM calls on the same latency model: 28 for five
 * courses with {@code maxReviews} 3 (the slowest course uses all three reviews), 24 with 2 (at most
 * one revision per course, the reference design's own limit).
 */
public final class DesignFlows implements AutoCloseable {

  private static final Pattern COURSE = Pattern.compile("Course (\\d+) of");
  private static final Pattern ITERATION = Pattern.compile("(?m)^Iteration: (\\d+)");
  private static final Pattern ATTEMPT = Pattern.compile("(?m)^Attempt: (\\d+)");
  private static final Pattern STEP = Pattern.compile("(?m)^(Iteration|Version|Attempt): (\\d+)");
  private static final String GOOD_WINE =
      "{\"wine\": \"Sancerre\", \"grape\": \"Sauvignon Blanc\", \"region\": \"Loire, France\","
          + " \"serving_temperature_c\": 9, \"reasoning\": \"Its acidity and flint meet the"
          + " citrus in the dish.\", \"confidence\": 0.9}";
  private static final String BAD_WINE =
      "{\"wine\": \"TBD\", \"grape\": \"\", \"region\": \"\", \"serving_temperature_c\": 30,"
          + " \"reasoning\": \"Unsure.\", \"confidence\": 0.1}";

  private final LlmSimulator simulator;
  private final Map<Long, String> calls;
  private final ProviderClients clients;
  private final ExecutorService executor;
  private final MenuDesigner concurrent;
  private final SequentialReferenceDesigner sequential;

  private DesignFlows(
      LlmSimulator simulator,
      Map<Long, String> calls,
      ProviderClients clients,
      ExecutorService executor,
      MenuDesigner concurrent,
      SequentialReferenceDesigner sequential) {
    this.simulator = simulator;
    this.calls = calls;
    this.clients = clients;
    this.executor = executor;
    this.concurrent = concurrent;
    this.sequential = sequential;
  }

  /**
   * Starts a simulator at {@code speed} (1 realistic) without faults, and both flows on it.
   *
   * @param courseConcurrency courses the concurrent flow works on at once
   * @param maxReviews the most reviews a course needs (1 to 3)
   */
  public static DesignFlows start(double speed, int courseConcurrency, int maxReviews) {
    if (maxReviews < 1 || maxReviews > MenuDesigner.MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "maxReviews must be within 1.." + MenuDesigner.MAX_ITERATIONS + ", got " + maxReviews);
    }
    List<KitchenScripts.Script> scripts = new ArrayList<>();
    scripts.add(
        new KitchenScripts.Script(
            KitchenPrompts.TASK_REVIEW, request -> review(request, maxReviews)));
    scripts.add(new KitchenScripts.Script(KitchenPrompts.TASK_PAIR, DesignFlows::pairing));
    scripts.addAll(KitchenScripts.scripts(42));
    Map<Long, String> calls = new ConcurrentSkipListMap<>();
    // One rule in front of all: notes which call this is, then answers as the first script that
    // matches (the fixed reviews and pairings above, else the kitchen's own scripts). Scripts,
    // not ScriptRules: a rule may answer with a template and have no responder to call here.
    LlmSimulator simulator =
        LlmSimulator.builder()
            .seed(42)
            .speed(speed)
            .script(
                ScriptRule.builder()
                    .messageMatches("^TASK: ")
                    .respond(
                        request -> {
                          calls.put(request.sequence(), signature(request));
                          for (KitchenScripts.Script script : scripts) {
                            if (script.answers(request)) {
                              return script.responder().apply(request);
                            }
                          }
                          throw new IllegalStateException("no script for " + signature(request));
                        })
                    .build())
            .build()
            .start();
    OpenTelemetry noop = OpenTelemetry.noop();
    ProviderClients clients =
        ProviderClients.create(
            noop,
            new ProviderClients.Endpoint(simulator.openAiBaseUrl(), "simulated-key", true),
            new ProviderClients.Endpoint(simulator.anthropicBaseUrl(), "simulated-key", true));
    ExecutorService executor = Executors.newCachedThreadPool();
    KitchenAgents agents =
        new KitchenAgents(
            new LlmClients(clients.openAi(), clients.anthropic()), AgentModels.DEFAULTS);
    return new DesignFlows(
        simulator,
        calls,
        clients,
        executor,
        new MenuDesigner(agents, executor, courseConcurrency),
        new SequentialReferenceDesigner(agents, executor));
  }

  /** Designs a menu of {@code courses} courses with the service's workflow. */
  public int concurrent(int courses) {
    return concurrent.design(request(courses)).courses().size();
  }

  /** Designs the same menu in the reference design's order. */
  public int sequential(int courses) {
    return sequential.design(request(courses));
  }

  /** LLM requests the simulator has answered so far. */
  public int llmCalls() {
    return simulator.requestLog().entries().size();
  }

  /**
   * Every LLM call answered so far, in the order they arrived, as {@code model TASK: … [course k]
   * [iteration|version|attempt n]}: which agent did what for which course, without the text.
   */
  public List<String> calls() {
    return List.copyOf(calls.values());
  }

  /** One LLM call: which it was (as in {@link #calls()}) and how long the simulator took. */
  public record Call(String signature, Duration latency) {}

  /** {@link #calls()} with the latency the simulator recorded for each. */
  public List<Call> timedCalls() {
    Map<Long, Duration> latencies = new HashMap<>();
    for (RecordedRequest request : simulator.requestLog().entries()) {
      latencies.put(request.sequence(), request.latency());
    }
    List<Call> out = new ArrayList<>();
    calls.forEach(
        (sequence, signature) ->
            out.add(new Call(signature, latencies.getOrDefault(sequence, Duration.ZERO))));
    return out;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    clients.close();
    simulator.close();
  }

  private static DesignRequest request(int courses) {
    return new DesignRequest(
        "Contemporary",
        "fine_dining",
        courses,
        List.of(),
        "premium",
        "current",
        "special_occasion");
  }

  private static String review(SimulatedRequest request, int maxReviews) {
    String message = request.lastUserMessage();
    int course = number(COURSE, message);
    int iteration = number(ITERATION, message);
    boolean approved = iteration >= ((course - 1) % maxReviews) + 1;
    return "{\"approved\": "
        + approved
        + ", \"score\": "
        + (approved ? 88 : 52)
        + ", \"notes\": \""
        + (approved ? "Balanced." : "Too rich for its place in the menu.")
        + "\", \"concerns\": "
        + (approved ? "[]" : "[\"Reduce the butter in the sauce by a third.\"]")
        + "}";
  }

  private static String pairing(SimulatedRequest request) {
    String message = request.lastUserMessage();
    int course = number(COURSE, message);
    int attempt = number(ATTEMPT, message);
    return attempt >= ((course - 1) % 2) + 1 ? GOOD_WINE : BAD_WINE;
  }

  private static String signature(SimulatedRequest request) {
    String message = request.lastUserMessage();
    int end = message.indexOf('\n');
    StringBuilder out =
        new StringBuilder(request.model())
            .append(' ')
            .append(end < 0 ? message : message.substring(0, end));
    Matcher course = COURSE.matcher(message);
    if (course.find()) {
      out.append(" course ").append(course.group(1));
    }
    Matcher step = STEP.matcher(message);
    if (step.find()) {
      out.append(' ')
          .append(step.group(1).toLowerCase(Locale.ROOT))
          .append(' ')
          .append(step.group(2));
    }
    return out.toString();
  }

  private static int number(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }
}
