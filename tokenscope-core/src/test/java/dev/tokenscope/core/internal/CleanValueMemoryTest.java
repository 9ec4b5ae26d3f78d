package dev.tokenscope.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.ContentPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import org.junit.jupiter.api.Test;

/** Values remembered as clean skip the secret scan only when equal to one scanned clean. */
class CleanValueMemoryTest {

  private static final String SECRET = "sk-proj-abcdefghijklmnopqrstu";

  private final SpanSanitizer sanitizer = new SpanSanitizer(ContentPolicy.disabled());

  private static int slot(String value) {
    return value.hashCode() & (SpanSanitizer.CLEAN_VALUE_SLOTS - 1);
  }

  @Test
  void aCleanValueStaysCleanAndASecretIsFoundEveryTime() {
    assertThat(sanitizer.mayContainSecret("gpt-4o-2024-08-06")).isFalse();
    assertThat(sanitizer.mayContainSecret(new String("gpt-4o-2024-08-06"))).isFalse();
    assertThat(sanitizer.mayContainSecret(SECRET)).isTrue();
    assertThat(sanitizer.mayContainSecret(new String(SECRET))).isTrue();
  }

  @Test
  void aSecretInTheSlotOfACleanValueIsStillFound() {
    String clean = null;
    for (int i = 0; clean == null; i++) {
      String candidate = "model-" + i;
      if (slot(candidate) == slot(SECRET)) {
        clean = candidate;
      }
    }
    assertThat(sanitizer.mayContainSecret(clean)).isFalse();

    assertThat(sanitizer.mayContainSecret(SECRET)).isTrue();
    assertThat(sanitizer.mayContainSecret(clean)).isFalse();
  }

  @Test
  void longValuesAreScannedEveryTime() {
    String longClean = "x".repeat(SpanSanitizer.MAX_CLEAN_VALUE_LENGTH + 1);
    String longSecret = longClean + " " + SECRET;

    assertThat(sanitizer.mayContainSecret(longClean)).isFalse();
    assertThat(sanitizer.mayContainSecret(longSecret)).isTrue();
  }

  @Test
  void anAttributeSeenCleanBeforeIsStillRedactedWhenItCarriesASecret() {
    AttributeKey<String> key = AttributeKey.stringKey("http.url");
    Attributes clean = Attributes.of(key, "https://api.example.com/v1/chat");
    Attributes secret = Attributes.of(key, "https://api.example.com/v1/chat?key=" + SECRET);

    assertThat(sanitizer.sanitize(clean)).isSameAs(clean);
    assertThat(sanitizer.sanitize(clean)).isSameAs(clean);
    assertThat(sanitizer.sanitize(secret).get(key)).doesNotContain("abcdefghijklmnopqrstu");
  }
}
