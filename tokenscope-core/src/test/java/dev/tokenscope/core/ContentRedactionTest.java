package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRedactionTest {

  private final ContentPolicy policy = ContentPolicy.enabled();

  @Test
  void contentIsOffByDefault() {
    assertThat(ContentPolicy.disabled().captureContent()).isFalse();
    assertThat(ContentPolicy.builder().build().captureContent()).isFalse();
    assertThat(ContentPolicy.enabled().captureContent()).isTrue();
  }

  @Test
  void emailsAreRedacted() {
    assertThat(policy.redact("write to jane.doe+menus@example.co.uk today"))
        .isEqualTo("write to [REDACTED_EMAIL] today");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "+1 (555) 123-4567",
        "555-123-4567",
        "+44 20 7946 0958",
        "+4915123456789",
        "(030) 1234 5678",
        "555.123.4567"
      })
  void phoneNumbersAreRedacted(String phone) {
    assertThat(policy.redact("call " + phone + " now")).isEqualTo("call [REDACTED_PHONE] now");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-01-01",
        "order 12345",
        "1200 tokens",
        "v1.2.3",
        "gpt-4o-2024-08-06",
        "3.14159"
      })
  void ordinaryNumbersAreLeftAlone(String text) {
    assertThat(policy.redact(text)).isEqualTo(text);
  }

  @Test
  void luhnValidCardNumbersAreRedactedInAnyGrouping() {
    assertThat(policy.redact("card 4111 1111 1111 1111 exp 12/29"))
        .isEqualTo("card [REDACTED_CARD] exp 12/29");
    assertThat(policy.redact("card 4111-1111-1111-1111")).isEqualTo("card [REDACTED_CARD]");
    assertThat(policy.redact("card 5500000000000004.")).isEqualTo("card [REDACTED_CARD].");
    assertThat(policy.redact("amex 378282246310005")).isEqualTo("amex [REDACTED_CARD]");
  }

  @Test
  void digitRunsThatFailLuhnAreNotCards() {
    assertThat(policy.redact("id 4111111111111112")).isEqualTo("id 4111111111111112");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv-wxyz_0123456789",
        "sk-AbCdEfGhIjKlMnOpQrSt",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
        "bearer abcdefghijklmnop",
        "AKIAIOSFODNN7EXAMPLE",
        "AIzaSyA-1234567890abcdefghijklmnopqrstu",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "xoxb-1234567890-abcdefghij",
        "api_key=abcdef123456",
        "\"password\": \"hunter22\"",
        "Authorization: Bearer abcdefghij",
        "x-api-key: 0123456789abcdef"
      })
  void secretsAreRedacted(String secret) {
    String redacted = policy.redact("before " + secret + " after");

    assertThat(redacted).startsWith("before ").endsWith(" after").contains("[REDACTED_SECRET]");
    assertThat(redacted).doesNotContain("abcdef").doesNotContain("AbCdEf").doesNotContain("hunter");
  }

  @Test
  void secretsAreRedactedEvenWhenEveryOtherRuleIsOff() {
    ContentPolicy minimal =
        ContentPolicy.builder()
            .captureContent(true)
            .redactEmails(false)
            .redactPhoneNumbers(false)
            .redactCardNumbers(false)
            .build();

    assertThat(minimal.redact("jane@example.com sk-ant-api03-secretsecretsecret"))
        .isEqualTo("jane@example.com [REDACTED_SECRET]");
  }

  @Test
  void userPatternsAreApplied() {
    ContentPolicy custom =
        ContentPolicy.builder().captureContent(true).addPattern("ORDER-\\d{6}").build();

    assertThat(custom.redact("ref ORDER-123456 shipped")).isEqualTo("ref [REDACTED] shipped");
  }

  @Test
  void invalidUserPatternsFailAtBuildTime() {
    assertThatThrownBy(() -> ContentPolicy.builder().addPattern("(unclosed"))
        .isInstanceOf(PatternSyntaxException.class);
    assertThatThrownBy(() -> ContentPolicy.builder().maxLength(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLength");
  }

  @Test
  void longContentIsCutAndMarked() {
    ContentPolicy shortPolicy = ContentPolicy.builder().captureContent(true).maxLength(100).build();

    String redacted = shortPolicy.redact("a".repeat(1_000));

    assertThat(redacted).startsWith("a".repeat(100)).endsWith("…[truncated 900 chars]");
  }

  @Test
  void cuttingNeverSplitsASurrogatePair() {
    ContentPolicy shortPolicy = ContentPolicy.builder().captureContent(true).maxLength(16).build();

    String redacted = shortPolicy.redact("a".repeat(15) + "😀😀😀😀");

    assertThat(redacted).startsWith("a".repeat(15) + "…");
    assertThat(redacted.codePoints().allMatch(Character::isValidCodePoint)).isTrue();
    assertThat(Character.isHighSurrogate(redacted.charAt(14))).isFalse();
  }

  @Test
  void secretsBeyondTheCutNeverSurviveTheCut() {
    ContentPolicy shortPolicy = ContentPolicy.builder().captureContent(true).maxLength(64).build();
    String text = "x".repeat(60) + "sk-ant-api03-abcdefghijklmnopqrstuvwxyz";

    assertThat(shortPolicy.redact(text)).doesNotContain("sk-ant-api03-abc");
  }

  @Test
  void unicodeAndInjectedMarkupPassThroughUnharmed() {
    String text = "Ménu für 東京 🍣 <script>alert('x')</script> \u202Eevil\u202C \u0000 done";

    assertThat(policy.redact(text)).isEqualTo(text);
  }

  @Test
  void nestedJsonStaysValidJsonAfterRedaction() {
    String json =
        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
            + "\"{\\\"email\\\":\\\"bob@example.com\\\",\\\"key\\\":\\\"sk-proj-abcdefghijklmnopqrstu\\\"}\"}]}]";

    String redacted = policy.redact(json);

    assertThat(redacted)
        .isEqualTo(
            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
                + "\"{\\\"email\\\":\\\"[REDACTED_EMAIL]\\\",\\\"key\\\":\\\"[REDACTED_SECRET]\\\"}\"}]}]");
  }

  @Test
  @Timeout(30)
  void pathologicalInputsRunInLinearTime() {
    String[] hostile = {
      "a".repeat(200_000) + "@",
      "1 ".repeat(100_000),
      "1-".repeat(100_000),
      "+".repeat(100_000) + "1",
      "sk-" + "a".repeat(200_000),
      "Bearer " + "=".repeat(200_000),
      ("a." + "b".repeat(60)).repeat(3_000) + "@",
      "x@" + "a.".repeat(100_000),
      "password=".repeat(30_000),
      "eyJ" + "aaaaaaaaa.".repeat(20_000),
    };
    ContentPolicy big = ContentPolicy.builder().captureContent(true).maxLength(1_000_000).build();
    // A quadratic or exponential pattern would take minutes on these; the timeout catches a hang.
    for (String text : hostile) {
      assertThat(big.redact(text)).isNotNull();
    }
  }

  @Test
  @Timeout(30)
  void aCatastrophicUserPatternFailsClosedInsteadOfHanging() {
    ContentPolicy dangerous =
        ContentPolicy.builder().captureContent(true).addPattern(Pattern.compile("(a+)+b")).build();

    String redacted = dangerous.redact("a".repeat(5_000) + "c");

    assertThat(redacted).isEqualTo("[REDACTED: text too complex to redact]");
  }

  @Test
  void standardContentAttributesAreRecognised() {
    assertThat(policy.isContentAttribute("gen_ai.input.messages")).isTrue();
    assertThat(policy.isContentAttribute("gen_ai.output.messages")).isTrue();
    assertThat(policy.isContentAttribute("gen_ai.system_instructions")).isTrue();
    assertThat(policy.isContentAttribute("gen_ai.prompt.0.content")).isTrue();
    assertThat(policy.isContentAttribute("gen_ai.completion.0.tool_calls.0.arguments")).isTrue();
    assertThat(policy.isContentAttribute("traceloop.entity.input")).isTrue();
    assertThat(policy.isContentAttribute("gen_ai.request.model")).isFalse();
    assertThat(policy.isContentAttribute("gen_ai.usage.input_tokens")).isFalse();
  }

  @Test
  void thePolicyTellsItsMaximumLength() {
    assertThat(ContentPolicy.builder().maxLength(2_048).build().maxLength()).isEqualTo(2_048);
    assertThat(ContentPolicy.disabled().maxLength())
        .isEqualTo(ContentPolicy.Builder.DEFAULT_MAX_LENGTH);
    assertThat(
            ((ContentPolicy)
                    new ContentPolicy() {
                      @Override
                      public boolean captureContent() {
                        return true;
                      }

                      @Override
                      public String redact(String content) {
                        return content;
                      }
                    })
                .maxLength())
        .isEqualTo(ContentPolicy.Builder.DEFAULT_MAX_LENGTH);
  }
}
