package dev.tokenscope.demo.internal;

import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.TextBlockParam;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gets the official SDKs' JSON machinery (Jackson with the SDKs' Kotlin models) loaded before the
 * first request needs it, without a network call: a request like the agents' is written and a reply
 * like the providers' is read with each SDK's own mapper. In a fresh JVM the first OpenAI call
 * otherwise spent about two seconds there (2.1 s and 2.9 s against the simulator at speed 0, load
 * average 4; the next calls 10–50 ms; with this warm-up first, 0.3 s), which the service's first
 * requests paid and the demo's latency table showed as a p95 of seconds.
 */
public final class SdkWarmUp {

  private static final Logger logger = Logger.getLogger(SdkWarmUp.class.getName());

  static final String OPENAI_REPLY =
      "{\"id\":\"chatcmpl-warm-up\",\"object\":\"chat.completion\",\"created\":0,"
          + "\"model\":\"gpt-5-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
          + "\"assistant\",\"content\":\"{}\",\"refusal\":null},\"finish_reason\":\"stop\","
          + "\"logprobs\":null}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
          + "\"total_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";

  static final String ANTHROPIC_REPLY =
      "{\"id\":\"msg_warm_up\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"{}\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1,"
          + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}";

  private SdkWarmUp() {}

  /**
   * Writes one request and reads one reply with each SDK's mapper. Best effort: returns false (and
   * logs at FINE) when an SDK could not do so, which only means the first call pays for it.
   */
  public static boolean run() {
    try {
      var openAi = com.openai.core.ObjectMappers.jsonMapper();
      openAi.writeValueAsString(
          ChatCompletionCreateParams.builder()
              .model("gpt-5-mini")
              .addSystemMessage("warm-up")
              .addUserMessage("warm-up")
              .maxCompletionTokens(1)
              .reasoningEffort(ReasoningEffort.LOW)
              .build()
              ._body());
      openAi.readValue(OPENAI_REPLY, ChatCompletion.class).validate();
      var anthropic = com.anthropic.core.ObjectMappers.jsonMapper();
      anthropic.writeValueAsString(
          MessageCreateParams.builder()
              .model("claude-sonnet-4-5-20250929")
              .maxTokens(1)
              .systemOfTextBlockParams(
                  List.of(
                      TextBlockParam.builder()
                          .text("warm-up")
                          .cacheControl(CacheControlEphemeral.builder().build())
                          .build()))
              .addUserMessage("warm-up")
              .build()
              ._body());
      anthropic.readValue(ANTHROPIC_REPLY, Message.class).validate();
      return true;
    } catch (Exception | LinkageError e) {
      logger.log(Level.FINE, "SDK warm-up skipped; the first provider call pays for it", e);
      return false;
    }
  }

  /** Runs the warm-up on a daemon thread; join it before the first request is served. */
  public static Thread start() {
    Thread thread = new Thread(SdkWarmUp::run, "tokenscope-demo-sdk-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
