package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.simulator.ScriptRule;
import dev.tokenscope.simulator.SimulatedRequest;
import dev.tokenscope.simulator.internal.Reply.Finish;
import dev.tokenscope.simulator.internal.Reply.ToolCall;
import dev.tokenscope.simulator.internal.ReplySpec.JsonMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolSpec;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decides what the simulated model says: a scripted reply when a rule matches, else JSON for JSON
 * requests, a tool call when tools are forced (or offered on a fresh user turn), else prose.
 * Everything is deterministic from the seed and the request.
 */
public final class ReplyPlanner {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([a-z]+)(?::([^}]*))?\\s*}}");

  private ReplyPlanner() {}

  /** The scripted text for this request, or null when no rule matches. */
  public static @Nullable String scripted(Simulation sim, ReplySpec spec) {
    ScriptRule rule = sim.script(spec.request());
    if (rule == null) {
      return null;
    }
    if (rule.responder() != null) {
      String text = rule.responder().apply(spec.request());
      if (text == null) {
        throw new IllegalStateException("script responder returned null for " + rule);
      }
      return text;
    }
    SplittableRandom random =
        Seeds.random(sim.seed(), "script", spec.contentKey(), rule.matchCount());
    return expand(rule.template(), spec.request(), rule.matchCount(), random);
  }

  /** The reply for choice {@code choice}, given the (possibly null) scripted text. */
  public static Reply plan(Simulation sim, ReplySpec spec, @Nullable String scripted, int choice) {
    SplittableRandom random = Seeds.random(sim.seed(), spec.contentKey(), choice);
    int budget = Math.max(1, spec.maxOutputTokens());
    int reasoning = Math.min(spec.reasoningTokens(), budget);
    int remaining = budget - reasoning;

    ToolSpec tool = chooseTool(spec, scripted, random);
    if (tool != null) {
      String arguments = toolArguments(tool, scripted, random);
      String preface = "";
      if (spec.textBeforeToolCall() && spec.toolMode() == ToolMode.AUTO) {
        preface = "I'll use the " + tool.name() + " tool to help with this.";
      }
      int prefaceTokens = TokenCounter.count(spec.encoding(), preface);
      int argumentTokens = TokenCounter.count(spec.encoding(), arguments);
      int toolTokens = argumentTokens + TokenCounter.count(spec.encoding(), tool.name()) + 4;
      if (prefaceTokens + toolTokens > remaining) {
        String cut =
            TokenCounter.truncate(
                spec.encoding(), arguments, Math.max(0, remaining - prefaceTokens));
        return new Reply(
            preface,
            List.of(new ToolCall(tool.name(), cut)),
            prefaceTokens,
            Math.max(0, remaining - prefaceTokens),
            reasoning,
            Finish.LENGTH);
      }
      return new Reply(
          preface,
          List.of(new ToolCall(tool.name(), arguments)),
          prefaceTokens,
          toolTokens,
          reasoning,
          Finish.TOOL_CALLS);
    }

    String text;
    if (scripted != null) {
      text = scripted;
    } else if (spec.jsonMode() == JsonMode.SCHEMA) {
      text = json(SchemaValueGenerator.generate(spec.schema(), random));
    } else if (spec.jsonMode() == JsonMode.OBJECT) {
      text = json(SchemaValueGenerator.genericObject(random));
    } else {
      int target = 30 + random.nextInt(150);
      String prompt = spec.request().lastUserMessage();
      text = ContentGenerator.prose(random, spec.encoding(), prompt, target);
    }
    int tokens = TokenCounter.count(spec.encoding(), text);
    if (tokens > remaining) {
      String cut = TokenCounter.truncate(spec.encoding(), text, remaining);
      return new Reply(cut, List.of(), remaining, 0, reasoning, Finish.LENGTH);
    }
    return new Reply(text, List.of(), tokens, 0, reasoning, Finish.STOP);
  }

  /** Reasoning tokens an OpenAI reasoning model spends at {@code effort}, in multiples of 64. */
  public static int openAiReasoning(@Nullable String effort, SplittableRandom random) {
    String e = effort == null ? "medium" : effort.toLowerCase(Locale.ROOT);
    int low;
    int high;
    switch (e) {
      case "none":
        return 0;
      case "minimal":
        low = 0;
        high = 1;
        break;
      case "low":
        low = 1;
        high = 6;
        break;
      case "high":
      case "xhigh":
        low = 8;
        high = 48;
        break;
      default:
        low = 3;
        high = 16;
    }
    return 64 * (low + random.nextInt(high - low + 1));
  }

  /** Thinking tokens Claude spends with a {@code budget} (0 when thinking is off). */
  public static int anthropicThinking(int budget, SplittableRandom random) {
    if (budget <= 0) {
      return 0;
    }
    double share = 0.1 + random.nextDouble() * 0.4;
    return Math.max(32, (int) Math.min(budget, budget * share));
  }

  private static @Nullable ToolSpec chooseTool(
      ReplySpec spec, @Nullable String scripted, SplittableRandom random) {
    if (spec.tools().isEmpty() || spec.toolMode() == ToolMode.NONE) {
      return null;
    }
    switch (spec.toolMode()) {
      case NAMED:
        for (ToolSpec tool : spec.tools()) {
          if (tool.name().equals(spec.forcedTool())) {
            return tool;
          }
        }
        return new ToolSpec(spec.forcedTool() == null ? "tool" : spec.forcedTool(), null);
      case REQUIRED:
        return preferred(spec, random);
      case AUTO:
      default:
        // An agent loop: call a tool on a fresh user turn, answer once results came back. A
        // scripted reply or a JSON response format means the caller wants text.
        if (scripted != null || spec.endsWithToolResult() || spec.jsonMode() != JsonMode.NONE) {
          return null;
        }
        return preferred(spec, random);
    }
  }

  private static ToolSpec preferred(ReplySpec spec, SplittableRandom random) {
    String message = spec.request().lastUserMessage().toLowerCase(Locale.ROOT);
    for (ToolSpec tool : spec.tools()) {
      if (message.contains(tool.name().toLowerCase(Locale.ROOT))) {
        return tool;
      }
    }
    return spec.tools().get(random.nextInt(spec.tools().size()));
  }

  private static String toolArguments(
      ToolSpec tool, @Nullable String scripted, SplittableRandom random) {
    if (scripted != null) {
      try {
        JsonNode parsed = Simulation.JSON.readTree(scripted);
        if (parsed != null && parsed.isObject()) {
          return json(parsed);
        }
      } catch (JsonProcessingException e) {
        // Not JSON: the tool gets generated arguments instead.
      }
    }
    JsonNode value = SchemaValueGenerator.generate(tool.schema(), random);
    return json(value.isObject() ? value : Simulation.JSON.createObjectNode().set("value", value));
  }

  static String json(JsonNode node) {
    try {
      return Simulation.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  static String expand(
      String template, SimulatedRequest request, long match, SplittableRandom random) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String argument = m.group(2) == null ? null : m.group(2).strip();
      String value;
      switch (name) {
        case "model":
          value = request.model();
          break;
        case "provider":
          value = request.provider().id();
          break;
        case "system":
          value = request.system();
          break;
        case "message":
          value = request.lastUserMessage();
          break;
        case "sequence":
          value = Long.toString(request.sequence());
          break;
        case "match":
          value = Long.toString(match);
          break;
        case "pick":
          String[] options = argument == null ? new String[] {""} : argument.split("\\|", -1);
          value = options[random.nextInt(options.length)];
          break;
        case "int":
          value = Long.toString(randomInt(argument, random));
          break;
        default:
          value = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static long randomInt(@Nullable String argument, SplittableRandom random) {
    long min = 0;
    long max = 100;
    if (argument != null) {
      String[] bounds = argument.split(":");
      try {
        min = Long.parseLong(bounds[0].trim());
        max = bounds.length > 1 ? Long.parseLong(bounds[1].trim()) : min + 100;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad {{int:min:max}} placeholder: " + argument, e);
      }
    }
    if (max < min) {
      long t = min;
      min = max;
      max = t;
    }
    return min + (long) (random.nextDouble() * (max - min + 1));
  }
}
