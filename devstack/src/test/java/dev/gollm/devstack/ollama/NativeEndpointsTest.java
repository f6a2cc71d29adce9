package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.SimClient.content;
import static dev.gollm.devstack.ollama.SimClient.json;
import static dev.gollm.devstack.ollama.SimClient.keys;
import static dev.gollm.devstack.ollama.SimClient.ndjson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Ollama's native endpoints, streamed and not, over real HTTP. */
class NativeEndpointsTest {
  private static final List<String> FINAL_KEYS =
      List.of(
          "model",
          "created_at",
          "message",
          "done",
          "done_reason",
          "total_duration",
          "load_duration",
          "prompt_eval_count",
          "prompt_eval_duration",
          "eval_count",
          "eval_duration");

  private OllamaSimulator sim;
  private SimClient client;

  @BeforeEach
  void start() {
    sim =
        new OllamaSimulator(
                OllamaSimulator.Options.builder()
                    .model(ModelProfile.fast("slowload:1b").withLoadTime(Duration.ofMillis(60)))
                    .build())
            .start();
    client = new SimClient(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void rootSaysOllamaIsRunning() {
    HttpResponse<String> r = client.get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("Ollama is running");
  }

  @Test
  void versionIsReported() {
    assertThat(json(client.get("/api/version").body()).path("version").asString())
        .isEqualTo(OllamaApi.VERSION);
  }

  @Test
  void tagsListTheDefaultModelsInOllamasShape() {
    JsonNode models = json(client.get("/api/tags").body()).path("models");

    assertThat(models.valueStream().map(m -> m.path("name").asString()))
        .contains("gemma2:1b", "gemma3:1b", "llama3.2:latest");
    JsonNode first = models.get(0);
    assertThat(keys(first))
        .containsExactly("name", "model", "modified_at", "size", "digest", "details");
    assertThat(keys(first.path("details")))
        .containsExactly(
            "parent_model", "format", "family", "families", "parameter_size", "quantization_level");
    assertThat(first.path("digest").asString()).hasSize(64);
  }

  @Test
  void showDescribesAnInstalledModelAndFailsWith404ForOthers() {
    JsonNode shown = json(client.post("/api/show", "{\"model\":\"gemma2:1b\"}").body());
    HttpResponse<String> missing = client.post("/api/show", "{\"model\":\"nope:1b\"}");

    assertThat(shown.path("details").path("family").asString()).isEqualTo("gemma2");
    assertThat(shown.path("model_info").path("gemma2.context_length").asInt()).isEqualTo(8192);
    assertThat(shown.path("capabilities").get(0).asString()).isEqualTo("completion");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing.body()).path("error").asString()).contains("nope:1b");
  }

  @Test
  void psListsAModelOnlyOnceItWasLoaded() {
    assertThat(json(client.get("/api/ps").body()).path("models").isEmpty()).isTrue();

    client.post("/api/chat", chat("gemma3:1b", "hi", false));

    JsonNode loaded = json(client.get("/api/ps").body()).path("models");
    assertThat(loaded.size()).isEqualTo(1);
    assertThat(loaded.get(0).path("name").asString()).isEqualTo("gemma3:1b");
    assertThat(loaded.get(0).path("expires_at").asString()).isNotBlank();
    assertThat(loaded.get(0).path("context_length").asInt())
        .isEqualTo(ModelProfile.DEFAULT_NUM_CTX);
  }

  @Test
  void chatStreamsOneNdjsonLinePerTokenThenAFinalLineWithCountsAndDurations() {
    HttpResponse<String> r = client.post("/api/chat", chat("gemma2:1b", "red mug", true));

    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    List<JsonNode> lines = ndjson(r.body());
    assertThat(lines).hasSize(13);
    assertThat(lines.subList(0, 12))
        .allSatisfy(
            l -> {
              assertThat(keys(l)).containsExactly("model", "created_at", "message", "done");
              assertThat(l.path("done").asBoolean()).isFalse();
              assertThat(l.path("message").path("role").asString()).isEqualTo("assistant");
            });
    JsonNode last = lines.get(12);
    assertThat(keys(last)).containsExactlyElementsOf(FINAL_KEYS);
    assertThat(last.path("done_reason").asString()).isEqualTo("stop");
    assertThat(last.path("eval_count").asInt()).isEqualTo(12);
    assertThat(last.path("message").path("content").asString()).isEmpty();
    assertThat(content(lines))
        .isEqualTo(
            SimulatedAnswer.expectedText("gemma2:1b", null, "red mug", GenerationOptions.NONE));
  }

  @Test
  void chatWithStreamFalseAnswersOneObjectWithTheWholeText() {
    HttpResponse<String> r =
        client.post(
            "/api/chat",
            """
            {"model":"gemma2:1b","stream":false,
             "messages":[{"role":"system","content":"be brief"},{"role":"user","content":"red mug"}],
             "options":{"seed":42,"temperature":0.3}}""");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode o = json(r.body());
    assertThat(keys(o)).containsExactlyElementsOf(FINAL_KEYS);
    assertThat(o.path("message").path("content").asString())
        .isEqualTo(
            sim.expectedText(
                "gemma2:1b",
                "be brief",
                "red mug",
                GenerationOptions.of(Map.of("seed", 42, "temperature", 0.3))));
    assertThat(o.path("total_duration").asLong())
        .isGreaterThanOrEqualTo(o.path("eval_duration").asLong());
  }

  @Test
  void generateStreamsResponseFragments() {
    HttpResponse<String> r =
        client.post(
            "/api/generate", "{\"model\":\"gemma2:1b\",\"prompt\":\"blue cup\",\"system\":\"s\"}");

    List<JsonNode> lines = ndjson(r.body());
    assertThat(lines).hasSize(13);
    assertThat(keys(lines.get(0))).containsExactly("model", "created_at", "response", "done");
    assertThat(lines.get(12).path("done").asBoolean()).isTrue();
    assertThat(content(lines))
        .isEqualTo(
            SimulatedAnswer.expectedText("gemma2:1b", "s", "blue cup", GenerationOptions.NONE));
  }

  @Test
  void generateWithStreamFalseAnswersOneObject() {
    JsonNode o =
        json(
            client
                .post(
                    "/api/generate",
                    "{\"model\":\"gemma2:1b\",\"prompt\":\"blue cup\",\"stream\":false}")
                .body());

    assertThat(o.path("response").asString())
        .isEqualTo(
            SimulatedAnswer.expectedText("gemma2:1b", null, "blue cup", GenerationOptions.NONE));
    assertThat(o.path("done_reason").asString()).isEqualTo("stop");
    assertThat(o.path("eval_count").asInt()).isEqualTo(12);
  }

  @Test
  void numPredictLimitsTokensWithDoneReasonLength() {
    JsonNode o =
        json(
            client
                .post(
                    "/api/chat",
                    "{\"model\":\"gemma2:1b\",\"stream\":false,\"options\":{\"num_predict\":4},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}")
                .body());

    assertThat(o.path("eval_count").asInt()).isEqualTo(4);
    assertThat(o.path("done_reason").asString()).isEqualTo("length");
    assertThat(o.path("message").path("content").asString()).endsWith(" a b c");
  }

  @Test
  void aStopStringEndsTheAnswer() {
    List<JsonNode> lines =
        ndjson(
            client
                .post(
                    "/api/chat",
                    "{\"model\":\"gemma2:1b\",\"options\":{\"stop\":[\" c\"]},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}")
                .body());

    assertThat(content(lines)).endsWith(" a b").doesNotContain(" c");
    assertThat(lines.getLast().path("done_reason").asString()).isEqualTo("stop");
  }

  @Test
  void aNameWithoutTagFindsTheLatestTag() {
    HttpResponse<String> r = client.post("/api/chat", chat("llama3.2", "hi", false));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body()).path("model").asString()).isEqualTo("llama3.2");
  }

  @Test
  void anUnknownModelGets404WithOllamasMessage() {
    HttpResponse<String> r = client.post("/api/chat", chat("nope:7b", "hi", true));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r.body()).path("error").asString())
        .isEqualTo("model \"nope:7b\" not found, try pulling it first");
  }

  @Test
  void invalidJsonGets400() {
    HttpResponse<String> r = client.post("/api/chat", "{\"model\":");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").asString()).startsWith("invalid JSON in request body");
  }

  @Test
  void aMissingModelGets400() {
    HttpResponse<String> r = client.post("/api/generate", "{\"prompt\":\"x\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").asString()).isEqualTo("model is required");
  }

  @Test
  void anOptionOfTheWrongTypeGets400NamingIt() {
    HttpResponse<String> r =
        client.post(
            "/api/chat", "{\"model\":\"gemma2:1b\",\"options\":{\"seed\":\"x\"},\"messages\":[]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").asString()).contains("options.seed");
  }

  @Test
  void anEmptyMessageListLoadsTheModelAndKeepAliveZeroUnloadsIt() {
    JsonNode load =
        json(client.post("/api/chat", "{\"model\":\"gemma3:1b\",\"messages\":[]}").body());
    List<String> afterLoad = loadedModels();
    JsonNode unload =
        json(client.post("/api/generate", "{\"model\":\"gemma3:1b\",\"keep_alive\":0}").body());

    assertThat(load.path("done_reason").asString()).isEqualTo("load");
    assertThat(afterLoad).containsExactly("gemma3:1b");
    assertThat(unload.path("done_reason").asString()).isEqualTo("unload");
    assertThat(loadedModels()).isEmpty();
  }

  @Test
  void theFirstRequestLoadsTheModelAndTheNextFindsItLoaded() {
    JsonNode cold = json(client.post("/api/chat", chat("slowload:1b", "x", false)).body());
    JsonNode warm = json(client.post("/api/chat", chat("slowload:1b", "x", false)).body());

    assertThat(cold.path("load_duration").asLong()).isGreaterThanOrEqualTo(60_000_000L);
    assertThat(sim.requests()).extracting(RequestRecord::coldStart).containsExactly(true, false);
    assertThat(warm.path("eval_count").asInt()).isEqualTo(12);
  }

  @Test
  void aModelLoadsAgainAfterItsKeepAliveExpired() {
    client.post(
        "/api/chat",
        "{\"model\":\"slowload:1b\",\"stream\":false,\"keep_alive\":\"150ms\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    await().atMost(Duration.ofSeconds(10)).until(() -> loadedModels().isEmpty());

    JsonNode again = json(client.post("/api/chat", chat("slowload:1b", "x", false)).body());

    assertThat(again.path("load_duration").asLong()).isGreaterThanOrEqualTo(60_000_000L);
    assertThat(sim.requests()).extracting(RequestRecord::coldStart).containsExactly(true, true);
  }

  @Test
  void anOversizedBodyGets400SayingSo() {
    HttpResponse<String> r =
        client.post("/api/pull", "{\"model\":\"" + "x".repeat(1 << 20) + "\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").asString()).contains("larger than");
  }

  @Test
  void anUnknownPathGets404AndAWrongMethod405() {
    assertThat(client.get("/api/nothing").statusCode()).isEqualTo(404);
    assertThat(client.get("/api/chat").statusCode()).isEqualTo(405);
  }

  private List<String> loadedModels() {
    return json(client.get("/api/ps").body())
        .path("models")
        .valueStream()
        .map(m -> m.path("name").asString())
        .toList();
  }

  static String chat(String model, String user, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + user
        + "\"}]}";
  }
}
