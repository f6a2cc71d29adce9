package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.SimClient.json;
import static dev.gollm.devstack.ollama.SimClient.keys;
import static dev.gollm.devstack.ollama.SimClient.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /v1/chat/completions as the original processor used it, plain and streamed. */
class OpenAiEndpointTest {
  /** What Ollama applies when temperature and top_p are absent on the compatibility endpoint. */
  private static final GenerationOptions OPENAI_DEFAULTS =
      GenerationOptions.NONE.withTemperature(1.0).withTopP(1.0);

  private OllamaSimulator sim;
  private SimClient client;

  @BeforeEach
  void start() {
    sim = new OllamaSimulator().start();
    client = new SimClient(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void aPlainRequestGetsOneChatCompletionInTheFixturesShape() {
    HttpResponse<String> r =
        client.post(
            "/v1/chat/completions",
            """
            {"model":"gemma2:1b","messages":[{"role":"system","content":"sys"},
             {"role":"user","content":"red mug"}]}""");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode o = json(r.body());
    assertThat(keys(o))
        .containsExactly(
            "id", "object", "created", "model", "system_fingerprint", "choices", "usage");
    assertThat(o.path("id").asString()).startsWith("chatcmpl-");
    assertThat(o.path("object").asString()).isEqualTo("chat.completion");
    JsonNode choice = o.path("choices").get(0);
    assertThat(choice.path("message").path("content").asString())
        .isEqualTo(SimulatedAnswer.expectedText("gemma2:1b", "sys", "red mug", OPENAI_DEFAULTS));
    assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    assertThat(o.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
    assertThat(o.path("usage").path("total_tokens").asInt())
        .isEqualTo(o.path("usage").path("prompt_tokens").asInt() + 12);
  }

  @Test
  void topLevelSamplingFieldsAreHonouredExceptTopKAndRepeatPenalty() {
    JsonNode o =
        json(
            client
                .post(
                    "/v1/chat/completions",
                    """
                    {"model":"gemma2:1b","messages":[{"role":"user","content":"red mug"}],
                     "temperature":0.3,"top_p":0.9,"top_k":40,"repeat_penalty":1.1,"seed":7,
                     "max_tokens":5}""")
                .body());

    GenerationOptions applied =
        GenerationOptions.NONE.withTemperature(0.3).withTopP(0.9).withSeed(7L).withNumPredict(5);
    assertThat(o.path("choices").get(0).path("message").path("content").asString())
        .isEqualTo(SimulatedAnswer.expectedText("gemma2:1b", null, "red mug", applied));
    assertThat(o.path("choices").get(0).path("finish_reason").asString()).isEqualTo("length");
  }

  @Test
  void aStreamedRequestGetsSseChunksEndedByDone() {
    HttpResponse<String> r =
        client.post(
            "/v1/chat/completions",
            """
            {"model":"gemma2:1b","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":[{"type":"text","text":"red mug"}]}]}""");

    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(r.body()).endsWith("data: [DONE]\n\n");
    List<JsonNode> events = sseData(r.body());
    assertThat(events).hasSize(14);
    StringBuilder text = new StringBuilder();
    for (JsonNode e : events.subList(0, 12)) {
      assertThat(e.path("object").asString()).isEqualTo("chat.completion.chunk");
      assertThat(e.path("choices").get(0).path("finish_reason").isNull()).isTrue();
      text.append(e.path("choices").get(0).path("delta").path("content").asString());
    }
    assertThat(text.toString())
        .isEqualTo(SimulatedAnswer.expectedText("gemma2:1b", null, "red mug", OPENAI_DEFAULTS));
    assertThat(events.get(12).path("choices").get(0).path("finish_reason").asString())
        .isEqualTo("stop");
    assertThat(events.get(13).path("choices").isEmpty()).isTrue();
    assertThat(events.get(13).path("usage").path("completion_tokens").asInt()).isEqualTo(12);
  }

  @Test
  void errorsAreWrappedTheOpenAiWay() {
    HttpResponse<String> missing =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    HttpResponse<String> bad = client.post("/v1/chat/completions", "not json");

    assertThat(missing.statusCode()).isEqualTo(404);
    JsonNode error = json(missing.body()).path("error");
    assertThat(keys(error)).containsExactly("message", "type", "param", "code");
    assertThat(error.path("type").asString()).isEqualTo("not_found_error");
    assertThat(error.path("message").asString()).contains("\"nope\" not found");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad.body()).path("error").path("type").asString())
        .isEqualTo("invalid_request_error");
  }

  @Test
  void modelsAreListedTheOpenAiWay() {
    JsonNode o = json(client.get("/v1/models").body());

    assertThat(o.path("data").valueStream().map(m -> m.path("id").asString()))
        .contains("gemma2:1b");
  }
}
