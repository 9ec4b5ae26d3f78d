package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With a token, ingest needs the bearer header and the UI and API need the header or a session. */
class TokenAuthTest {

  private static final String TOKEN = "s3cret-token";
  private static Console console;

  @BeforeAll
  static void start() throws Exception {
    console =
        Console.builder()
            .inMemory()
            .otlpPort(0)
            .uiPort(0)
            .token(TOKEN)
            .pricing(KnownTelemetry.PRICING)
            .retention(Duration.ofDays(36500))
            .start();
  }

  @AfterAll
  static void stop() {
    console.close();
  }

  private static byte[] body() {
    return KnownTelemetry.requests().get(0).toByteArray();
  }

  @Test
  void ingestNeedsTheBearerToken() throws Exception {
    String url = console.otlpEndpoint() + "/v1/traces";
    assertThat(Otlp.post(url, "application/x-protobuf", body()).statusCode()).isEqualTo(401);
    assertThat(
            Otlp.post(url, "application/x-protobuf", body(), "Authorization", "Bearer wrong")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            Otlp.post(url, "application/x-protobuf", body(), "Authorization", "Bearer " + TOKEN)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void apiNeedsTheTokenOrASession() throws Exception {
    String url = console.uiUrl() + "api/v1/status";
    assertThat(Otlp.get(url).statusCode()).isEqualTo(401);
    assertThat(Otlp.get(url, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void uiRedirectsToLoginAndTradesTheLinkTokenForACookie() throws Exception {
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> page =
        client.send(
            HttpRequest.newBuilder(URI.create(console.uiUrl())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).hasValue("/login");

    HttpResponse<String> login =
        client.send(
            HttpRequest.newBuilder(URI.create(console.uiUrl() + "login")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("<form", "name=token");

    HttpResponse<String> wrong =
        client.send(
            HttpRequest.newBuilder(URI.create(console.uiUrl() + "?token=nope")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.headers().firstValue("Location")).hasValue("/login?failed=1");
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

    HttpResponse<String> link =
        client.send(
            HttpRequest.newBuilder(URI.create(console.uiUrl() + "traces?token=" + TOKEN)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(link.statusCode()).isEqualTo(303);
    assertThat(link.headers().firstValue("Location")).hasValue("/traces");
    String cookie = link.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly", "SameSite=Strict").doesNotContain(TOKEN);
    String session = cookie.substring(0, cookie.indexOf(';'));

    HttpResponse<String> dashboard =
        client.send(
            HttpRequest.newBuilder(URI.create(console.uiUrl())).header("Cookie", session).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.body()).contains("TokenScope");
    assertThat(Otlp.get(console.uiUrl() + "api/v1/status", "Cookie", session).statusCode())
        .isEqualTo(200);

    HttpResponse<String> posted =
        client.send(
            HttpRequest.newBuilder(URI.create(console.uiUrl() + "login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(303);
    assertThat(posted.headers().firstValue("Set-Cookie")).hasValue(cookie);
  }
}
