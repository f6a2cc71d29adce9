package dev.gollm.devstack.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator as an OpenAI-compatible server only, as vLLM or llama-server would be. */
class OpenAiOnlyModeTest {
  private static final String CHAT =
      """
      {"model":"gemma2:1b","stream":true,"messages":[{"role":"user","content":"red mug"}]}""";

  private final HttpClient http = HttpClient.newHttpClient();
  private OllamaSimulator sim;

  @AfterEach
  void stop() {
    sim.close();
    http.close();
  }

  private OllamaSimulator start(String apiKey) {
    sim =
        new OllamaSimulator(
                OllamaSimulator.Options.builder().openAiOnly(true).apiKey(apiKey).build())
            .start();
    return sim;
  }

  private HttpResponse<String> send(String path, String body, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void ollamasOwnApiIsNotThere() throws Exception {
    start(null);

    assertThat(send("/api/version", null, null).statusCode()).isEqualTo(404);
    assertThat(send("/api/tags", null, null).statusCode()).isEqualTo(404);
    assertThat(send("/api/chat", CHAT, null).statusCode()).isEqualTo(404);
    assertThat(send("/", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void theOpenAiApiStreamsWithTheSameAnswerRuleAndIsRecorded() throws Exception {
    start(null);

    assertThat(send("/v1/models", null, null).body()).contains("\"id\":\"gemma2:1b\"");
    HttpResponse<String> r = send("/v1/chat/completions", CHAT, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("data: [DONE]");
    assertThat(sim.requests()).hasSize(1);
    assertThat(sim.requests().get(0).outcome()).isEqualTo(RequestRecord.Outcome.DONE);
  }

  @Test
  void aKeyIsRequiredWhenOneIsSet() throws Exception {
    start("sk-sim");

    assertThat(send("/v1/models", null, null).statusCode()).isEqualTo(401);
    assertThat(send("/v1/models", null, "wrong").statusCode()).isEqualTo(401);
    assertThat(send("/v1/models", null, "sk-sim").statusCode()).isEqualTo(200);
    assertThat(send("/v1/chat/completions", CHAT, "sk-sim").statusCode()).isEqualTo(200);
  }
}
