package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.NativeEndpointsTest.chat;
import static dev.gollm.devstack.ollama.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The /_sim admin endpoints: records, stats, reset, fault switches, server settings and model
 * profiles over HTTP.
 */
class AdminApiTest {
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
  void requestsListWhatEachRequestAskedAndWhenEachPhaseBegan() {
    client.post(
        "/api/chat",
        """
        {"model":"gemma2:1b","stream":false,"options":{"seed":5},
         "messages":[{"role":"system","content":"sys"},{"role":"user","content":"red mug"}]}""");

    JsonNode r = json(client.get("/_sim/requests").body()).path("requests").get(0);

    assertThat(r.path("endpoint").asString()).isEqualTo("/api/chat");
    assertThat(r.path("model").asString()).isEqualTo("gemma2:1b");
    assertThat(r.path("system").asString()).isEqualTo("sys");
    assertThat(r.path("user").asString()).isEqualTo("red mug");
    assertThat(r.path("options").path("seed").asInt()).isEqualTo(5);
    assertThat(r.path("outcome").asString()).isEqualTo("done");
    assertThat(r.path("done_reason").asString()).isEqualTo("stop");
    assertThat(r.path("eval_count").asInt()).isEqualTo(12);
    for (String at : new String[] {"arrival", "start", "first_token", "end"}) {
      assertThat(r.path(at).asString()).as(at).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }
  }

  @Test
  void statsCountRequestsAndResetStartsAfresh() {
    client.post("/api/chat", chat("gemma2:1b", "x", false));
    client.post("/api/chat", chat("nope:1b", "x", false));

    JsonNode before = json(client.get("/_sim/stats").body());
    HttpResponse<String> reset = client.post("/_sim/reset", "");
    JsonNode after = json(client.get("/_sim/stats").body());

    assertThat(before.path("requests").asInt()).isEqualTo(2);
    assertThat(before.path("done").asInt()).isEqualTo(1);
    assertThat(before.path("errors").asInt()).isEqualTo(1);
    assertThat(before.path("peak_concurrency").asInt()).isEqualTo(1);
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(after.path("requests").asInt()).isZero();
    assertThat(after.path("peak_concurrency").asInt()).isZero();
    assertThat(json(client.get("/_sim/requests").body()).path("requests").isEmpty()).isTrue();
  }

  @Test
  void faultsAreSwitchedOnReadAndClearedOverHttp() {
    HttpResponse<String> set =
        client.post(
            "/_sim/faults", "{\"error_rate\":1.0,\"error_status\":500,\"fail_pulls\":true}");

    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(json(client.get("/_sim/faults").body()).path("fail_pulls").asString())
        .isEqualTo("transient");
    assertThat(client.post("/api/chat", chat("gemma2:1b", "x", false)).statusCode()).isEqualTo(500);

    client.delete("/_sim/faults");

    assertThat(sim.faults().settings()).isEqualTo(Faults.Settings.NONE);
    assertThat(client.post("/api/chat", chat("gemma2:1b", "x", false)).statusCode()).isEqualTo(200);
  }

  @Test
  void aHangIsStartedAndLiftedOverHttp() throws Exception {
    client.post("/_sim/faults", "{\"hang_ms\":30000}");
    CompletableFuture<HttpResponse<String>> call =
        client.postAsync("/api/chat", chat("gemma2:1b", "x", false));
    org.awaitility.Awaitility.await().until(() -> sim.stats().active() == 1);

    client.post("/_sim/faults", "{\"hang_ms\":0}");

    assertThat(call.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void streamFaultsAndModelRemovalAreSetOverHttp() {
    client.post(
        "/_sim/faults",
        """
        {"disconnect_after_tokens":4,"malformed_after_tokens":2,"stall_after_tokens":1,
         "stall_ms":20,"pull_step_ms":7,"remove_model":"gemma3:1b"}""");

    Faults.Settings s = sim.faults().settings();
    assertThat(s.disconnectAfterTokens()).isEqualTo(4);
    assertThat(s.malformedAfterTokens()).isEqualTo(2);
    assertThat(s.stallAfterTokens()).isEqualTo(1);
    assertThat(s.stall().toMillis()).isEqualTo(20);
    assertThat(s.pullStep().toMillis()).isEqualTo(7);
    assertThat(sim.modelNames()).doesNotContain("gemma3:1b");
  }

  @Test
  void anInvalidFaultValueGets400AndChangesNothing() {
    HttpResponse<String> r = client.post("/_sim/faults", "{\"error_rate\":2,\"fail_pulls\":true}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").asString()).contains("error rate 2.0");
    assertThat(sim.faults().settings()).isEqualTo(Faults.Settings.NONE);
  }

  @Test
  void pullFailuresAreSwitchedByKindAndCountOverHttp() {
    HttpResponse<String> r =
        client.post("/_sim/faults", "{\"fail_pulls\":\"final\",\"fail_pulls_count\":2}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body()).path("fail_pulls").asString()).isEqualTo("final");
    assertThat(json(r.body()).path("fail_pulls_count").asInt()).isEqualTo(2);
    assertThat(sim.faults().settings().pullFailure()).isEqualTo(PullFailure.FINAL);
    assertThat(client.post("/_sim/faults", "{\"fail_pulls\":\"sometimes\"}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void theServerKeepAliveIsReadAndChangedOverHttp() {
    assertThat(json(client.get("/_sim/settings").body()).path("keep_alive").asString())
        .isEqualTo("300s");

    HttpResponse<String> r = client.post("/_sim/settings", "{\"keep_alive\":\"10m\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body()).path("keep_alive").asString()).isEqualTo("600s");
    assertThat(sim.defaultKeepAlive()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(client.post("/_sim/settings", "{\"keep_alive\":\"soon\"}").statusCode())
        .isEqualTo(400);
  }

  @Test
  void aModelsLoadTimeAndContextWindowAreChangedOverHttp() {
    HttpResponse<String> r =
        client.post("/_sim/models", "{\"model\":\"gemma2:1b\",\"load_ms\":300,\"num_ctx\":2048}");

    assertThat(r.statusCode()).isEqualTo(200);
    ModelProfile p = sim.model("gemma2:1b").orElseThrow();
    assertThat(p.loadTime()).isEqualTo(java.time.Duration.ofMillis(300));
    assertThat(p.numCtx()).isEqualTo(2048);
    assertThat(json(client.get("/_sim/models").body()).path("models").valueStream())
        .filteredOn(m -> m.path("model").asString().equals("gemma2:1b"))
        .singleElement()
        .satisfies(m -> assertThat(m.path("num_ctx").asInt()).isEqualTo(2048));
  }

  @Test
  void changingAModelThatIsNotInstalledGets404AndABadValue400() {
    assertThat(client.post("/_sim/models", "{\"model\":\"nope:1b\",\"load_ms\":1}").statusCode())
        .isEqualTo(404);
    HttpResponse<String> bad =
        client.post("/_sim/models", "{\"model\":\"gemma2:1b\",\"num_ctx\":100000}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad.body()).path("error").asString()).contains("numCtx 100000");
  }

  @Test
  void anUnknownAdminPathSaysWhatExists() {
    HttpResponse<String> r = client.get("/_sim/nothing");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r.body()).path("error").asString()).contains("GET /_sim/requests");
  }
}
