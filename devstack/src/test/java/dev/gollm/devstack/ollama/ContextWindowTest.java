package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The context window: a prompt longer than num_ctx is cut silently from the front, system prompt
 * first, and prompt_eval_count tells the tokens the model saw.
 */
class ContextWindowTest {
  private static final String MODEL = "small:1b";

  private OllamaSimulator sim;
  private SimClient client;

  @BeforeEach
  void start() {
    sim =
        new OllamaSimulator(
                OllamaSimulator.Options.builder()
                    .model(ModelProfile.fast(MODEL).withNumCtx(100))
                    .build())
            .start();
    client = new SimClient(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private static String words(String word, int n) {
    return String.join(" ", Collections.nCopies(n, word));
  }

  private JsonNode chat(String system, String user, String options) {
    return json(
        client
            .post(
                "/api/chat",
                "{\"model\":\""
                    + MODEL
                    + "\",\"stream\":false,\"options\":"
                    + options
                    + ",\"messages\":[{\"role\":\"system\",\"content\":\""
                    + system
                    + "\"},{\"role\":\"user\",\"content\":\""
                    + user
                    + "\"}]}")
            .body());
  }

  @Test
  void aPromptThatFitsIsCountedWhole() {
    JsonNode answer = chat(words("s", 10), words("u", 20), "{}");

    assertThat(answer.path("prompt_eval_count").asInt()).isEqualTo(10 + 20 + 8);
    assertThat(sim.requests().getFirst().cutTokens()).isZero();
  }

  @Test
  void aLongerPromptIsCutFromTheFrontSystemPromptFirstAndAnsweredAnyway() {
    // 60 system words + 60 user words + 8 template tokens = 128 > 100: 28 words go.
    JsonNode answer = chat(words("s", 60), words("u", 60), "{}");

    assertThat(answer.path("done_reason").asString()).isEqualTo("stop");
    assertThat(answer.path("prompt_eval_count").asInt()).isEqualTo(100);
    RequestRecord r = sim.requests().getFirst();
    assertThat(r.cutTokens()).isEqualTo(28);
    assertThat(r.numCtx()).isEqualTo(100);
    assertThat(answer.path("message").path("content").asString())
        .startsWith(
            "sim-"
                + SimulatedAnswer.digest(
                    MODEL, words("s", 32), words("u", 60), GenerationOptions.NONE));
  }

  @Test
  void whenTheSystemPromptIsGoneTheCutEatsIntoTheUserText() {
    JsonNode answer = chat(words("s", 10), "first " + words("u", 99), "{}");

    assertThat(answer.path("prompt_eval_count").asInt()).isEqualTo(100);
    assertThat(sim.requests().getFirst().cutTokens()).isEqualTo(10 + 100 + 8 - 100);
    assertThat(answer.path("message").path("content").asString()).doesNotContain("first");
  }

  @Test
  void theRequestsNumCtxOverridesTheModelsWindow() {
    JsonNode answer = chat(words("s", 60), words("u", 60), "{\"num_ctx\":2048}");

    assertThat(answer.path("prompt_eval_count").asInt()).isEqualTo(128);
    assertThat(sim.requests().getFirst().numCtx()).isEqualTo(2048);
    assertThat(psContextLength()).isEqualTo(2048);
  }

  @Test
  void aNumCtxAboveTheModelsTrainedContextIsCutToIt() {
    chat("s", "u", "{\"num_ctx\":100000}");

    assertThat(sim.requests().getFirst().numCtx()).isEqualTo(ModelProfile.CONTEXT_LENGTH);
  }

  @Test
  void aRequestWithAnotherNumCtxReloadsTheModel() {
    chat("s", "u", "{}");
    chat("s", "u", "{\"num_ctx\":2048}");
    chat("s", "u", "{\"num_ctx\":2048}");

    assertThat(sim.requests())
        .extracting(RequestRecord::coldStart)
        .containsExactly(true, true, false);
  }

  @Test
  void psShowsTheLoadedWindowAndShowTheTrainedContext() {
    chat("s", "u", "{}");

    assertThat(psContextLength()).isEqualTo(100);
    JsonNode show = json(client.post("/api/show", "{\"model\":\"" + MODEL + "\"}").body());
    assertThat(show.path("model_info").path("small.context_length").asInt())
        .isEqualTo(ModelProfile.CONTEXT_LENGTH);
  }

  private int psContextLength() {
    return json(client.get("/api/ps").body()).path("models").get(0).path("context_length").asInt();
  }
}
