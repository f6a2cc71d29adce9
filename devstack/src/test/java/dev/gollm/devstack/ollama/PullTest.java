package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.SimClient.json;
import static dev.gollm.devstack.ollama.SimClient.ndjson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /api/pull: progress like Ollama's, the model appearing afterwards, and failures. */
class PullTest {
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
  void aStreamedPullReportsProgressEndsInSuccessAndInstallsTheModel() {
    assertThat(tags()).doesNotContain("qwen2.5:0.5b");

    HttpResponse<String> r =
        client.post("/api/pull", "{\"model\":\"qwen2.5:0.5b\",\"stream\":true}");

    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    List<JsonNode> lines = ndjson(r.body());
    assertThat(lines.getFirst().path("status").asString()).isEqualTo("pulling manifest");
    assertThat(lines.getLast().path("status").asString()).isEqualTo("success");
    assertThat(lines)
        .filteredOn(l -> l.path("status").asString().startsWith("pulling "))
        .filteredOn(l -> l.has("digest"))
        .allSatisfy(l -> assertThat(l.path("digest").asString()).startsWith("sha256:"))
        .anySatisfy(
            l -> assertThat(l.path("completed").asLong()).isEqualTo(l.path("total").asLong()));
    assertThat(lines)
        .extracting(l -> l.path("status").asString())
        .contains("verifying sha256 digest", "writing manifest");
    assertThat(tags()).contains("qwen2.5:0.5b");
  }

  @Test
  void theDeprecatedNameFieldAndStreamFalseGiveOneSuccessObject() {
    HttpResponse<String> r =
        client.post("/api/pull", "{\"name\":\"qwen2.5:0.5b\",\"stream\":false}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body()).path("status").asString()).isEqualTo("success");
    assertThat(tags()).contains("qwen2.5:0.5b");
  }

  @Test
  void anUnknownNameFailsWithAnErrorLineAfterProgressBegan() {
    HttpResponse<String> r = client.post("/api/pull", "{\"model\":\"nothere:1b\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    List<JsonNode> lines = ndjson(r.body());
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).path("status").asString()).isEqualTo("pulling manifest");
    assertThat(lines.get(1).path("error").asString()).isEqualTo(PullService.UNKNOWN_MODEL);
    assertThat(tags()).doesNotContain("nothere:1b");
  }

  @Test
  void anUnknownNameWithoutStreamingFailsWithAnErrorStatus() {
    HttpResponse<String> r =
        client.post("/api/pull", "{\"model\":\"nothere:1b\",\"stream\":false}");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(json(r.body()).path("error").asString()).isEqualTo(PullService.UNKNOWN_MODEL);
  }

  @Test
  void aPullWithoutModelGets400() {
    HttpResponse<String> r = client.post("/api/pull", "{}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").asString()).isEqualTo("model is required");
  }

  @Test
  void pullsAreRecordedAndCountedApartFromGenerations() {
    client.post("/api/pull", "{\"model\":\"gemma2:1b\",\"stream\":false}");

    assertThat(sim.stats().pulls()).isEqualTo(1);
    assertThat(sim.stats().requests()).isZero();
    assertThat(sim.requests().getFirst().endpoint()).isEqualTo("/api/pull");
    assertThat(sim.requests().getFirst().outcome()).isEqualTo(RequestRecord.Outcome.DONE);
  }

  private List<String> tags() {
    return json(client.get("/api/tags").body())
        .path("models")
        .valueStream()
        .map(m -> m.path("name").asString())
        .toList();
  }
}
