package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.NotFoundException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Embeddings (base64 by default in the SDK, and floats) and the models list. */
class OpenAiEmbeddingsAndModelsSdkTest {

  private LlmSimulator sim;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().speed(0).build().start();
    client = Clients.openAi(sim);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  @Test
  void embedsWithTheSdkDefaultBase64Encoding() {
    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-small")
                    .inputOfArrayOfStrings(
                        List.of(
                            "roasted duck with cherries",
                            "duck with cherry sauce",
                            "tax return deadline"))
                    .build());

    assertThat(response.data()).hasSize(3);
    List<Float> duck = response.data().get(0).embedding();
    List<Float> cherry = response.data().get(1).embedding();
    List<Float> tax = response.data().get(2).embedding();
    assertThat(duck).hasSize(1536);
    assertThat(dot(duck, duck)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(dot(duck, cherry)).isGreaterThan(dot(duck, tax));
    assertThat(response.usage().promptTokens())
        .isEqualTo(sim.requestLog().last().inputTokens())
        .isPositive();
  }

  @Test
  void embedsAsFloatsWithRequestedDimensions() {
    CreateEmbeddingResponse response =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("text-embedding-3-large")
                    .input("a single text")
                    .dimensions(256)
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .build());

    assertThat(response.data().get(0).embedding()).hasSize(256);
    assertThat(response.model()).isEqualTo("text-embedding-3-large");
  }

  @Test
  void sameTextGivesTheSameVector() {
    EmbeddingCreateParams params =
        EmbeddingCreateParams.builder().model("text-embedding-3-small").input("same").build();
    assertThat(client.embeddings().create(params).data().get(0).embedding())
        .isEqualTo(client.embeddings().create(params).data().get(0).embedding());
  }

  @Test
  void listsAndRetrievesModels() {
    List<Model> models = client.models().list().data();

    assertThat(models)
        .extracting(Model::id)
        .contains("gpt-4o-mini", "gpt-5-mini", "gpt-5-nano", "text-embedding-3-small");
    assertThat(client.models().retrieve("gpt-5-mini").ownedBy()).isEqualTo("system");
    assertThatThrownBy(() -> client.models().retrieve("gpt-unknown"))
        .isInstanceOf(NotFoundException.class);
  }

  private static double dot(List<Float> a, List<Float> b) {
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      sum += a.get(i) * b.get(i);
    }
    return sum;
  }
}
