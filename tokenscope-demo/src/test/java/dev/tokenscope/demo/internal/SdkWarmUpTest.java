package dev.tokenscope.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.openai.models.chat.completions.ChatCompletion;
import org.junit.jupiter.api.Test;

/**
 * The warm-up does its whole job with the SDKs on the class path (a false return would mean an SDK
 * change broke it, silently leaving the first call to pay), and its canned replies are what the
 * SDKs read from providers.
 */
class SdkWarmUpTest {

  @Test
  void writesARequestAndReadsAReplyWithEachSdk() {
    assertThat(SdkWarmUp.run()).isTrue();
  }

  @Test
  void theCannedRepliesAreValidProviderReplies() throws Exception {
    ChatCompletion completion =
        com.openai.core.ObjectMappers.jsonMapper()
            .readValue(SdkWarmUp.OPENAI_REPLY, ChatCompletion.class)
            .validate();
    Message message =
        com.anthropic.core.ObjectMappers.jsonMapper()
            .readValue(SdkWarmUp.ANTHROPIC_REPLY, Message.class)
            .validate();

    assertThat(completion.choices().get(0).message().content()).contains("{}");
    assertThat(completion.usage().get().totalTokens()).isEqualTo(2);
    assertThat(message.content().get(0).asText().text()).isEqualTo("{}");
    assertThat(message.usage().outputTokens()).isEqualTo(1);
  }
}
