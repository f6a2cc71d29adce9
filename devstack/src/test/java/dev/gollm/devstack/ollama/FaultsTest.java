package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.NativeEndpointsTest.chat;
import static dev.gollm.devstack.ollama.SimClient.json;
import static dev.gollm.devstack.ollama.SimClient.lines;
import static dev.gollm.devstack.ollama.SimClient.ndjson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.ollama.RequestRecord.Outcome;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Each run-time fault, switched through the Java API. */
class FaultsTest {
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
  void faultsAreOffByDefault() {
    assertThat(sim.faults().settings()).isEqualTo(Faults.Settings.NONE);
  }

  @Test
  void anErrorRateAnswersThatShareOfRequestsWithTheStatusSpreadEvenly() {
    sim.faults().errorRate(0.5, 500);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(client.post("/api/chat", chat("gemma2:1b", "x", false)).statusCode());
    }

    assertThat(statuses).containsExactly(200, 500, 200, 500);
    assertThat(sim.stats().errors()).isEqualTo(2);
  }

  @Test
  void anInjected503CarriesOllamasBusyMessageAndIsWrappedOnTheOpenAiEndpoint() {
    sim.faults().errorRate(1, 503);

    HttpResponse<String> r =
        client.post(
            "/v1/chat/completions",
            "{\"model\":\"gemma2:1b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(json(r.body()).path("error").path("message").asString()).isEqualTo(ApiError.BUSY);
    assertThat(json(r.body()).path("error").path("type").asString()).isEqualTo("api_error");
  }

  @Test
  void aHangHoldsTheRequestWithoutAnswerUntilLifted() throws Exception {
    sim.faults().hang(Duration.ofSeconds(30));
    CompletableFuture<HttpResponse<String>> call =
        client.postAsync("/api/chat", chat("gemma2:1b", "x", false));
    await().atMost(Duration.ofSeconds(10)).until(() -> sim.stats().active() == 1);

    assertThat(call).isNotDone();
    sim.faults().liftHang();

    assertThat(call.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aHangEndsByItselfAfterItsBound() throws Exception {
    sim.faults().hang(Duration.ofMillis(300));

    HttpResponse<String> r = client.post("/api/chat", chat("gemma2:1b", "x", false));

    assertThat(r.statusCode()).isEqualTo(200);
    RequestRecord rec = sim.requests().getFirst();
    assertThat(Duration.between(rec.start(), rec.firstToken()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aDisconnectDropsTheConnectionAfterNTokensWithoutTheFinalLine() throws Exception {
    sim.faults().disconnectAfterTokens(3);

    String received;
    try (RawConnection c = RawConnection.post(sim, "/api/chat", chat("gemma2:1b", "x", true))) {
      received = c.readToEnd();
    }

    assertThat(received).startsWith("HTTP/1.1 200");
    assertThat(received.split("\"done\":false", -1)).hasSize(4);
    assertThat(received).doesNotContain("\"done\":true").doesNotEndWith("0\r\n\r\n");
    assertThat(sim.requests().getFirst().outcome()).isEqualTo(Outcome.ERROR);
  }

  @Test
  void anHttpClientSeesTheDroppedStreamAsAnError() {
    sim.faults().disconnectAfterTokens(2);

    assertThatThrownBy(() -> client.post("/api/chat", chat("gemma2:1b", "x", true)))
        .hasRootCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void aMalformedLineAppearsAmongValidOnesAndTheStreamStillEnds() {
    sim.faults().malformedLineAfterTokens(2);

    List<String> body = lines(client.post("/api/chat", chat("gemma2:1b", "x", true)).body());

    assertThat(body).hasSize(14);
    assertThatThrownBy(() -> json(body.get(2))).isInstanceOf(JacksonException.class);
    assertThat(json(body.get(3)).path("done").asBoolean()).isFalse();
    assertThat(json(body.getLast()).path("done").asBoolean()).isTrue();
  }

  @Test
  void aMalformedFaultTruncatesANonStreamedAnswer() {
    sim.faults().malformedLineAfterTokens(0);

    String body = client.post("/api/chat", chat("gemma2:1b", "x", false)).body();

    assertThatThrownBy(() -> json(body)).isInstanceOf(JacksonException.class);
  }

  @Test
  void aStallPausesBetweenTokens() {
    sim.faults().stallAfterTokens(2, Duration.ofMillis(400));

    List<JsonNode> lines = ndjson(client.post("/api/chat", chat("gemma2:1b", "x", true)).body());

    assertThat(lines.getLast().path("eval_duration").asLong()).isGreaterThanOrEqualTo(400_000_000L);
    assertThat(lines).hasSize(13);
  }

  @Test
  void aSlowPullPausesBeforeEachProgressLine() {
    sim.faults().slowPull(Duration.ofMillis(60));

    List<JsonNode> lines = ndjson(client.post("/api/pull", "{\"model\":\"qwen2.5:0.5b\"}").body());

    assertThat(lines.getLast().path("status").asString()).isEqualTo("success");
    RequestRecord pull = sim.requests().getFirst();
    assertThat(pull.total().orElseThrow())
        .isGreaterThanOrEqualTo(Duration.ofMillis(60L * lines.size()));
  }

  @Test
  void aTransientPullFailureStopsWithANetworkErrorLineAndInstallsNothing() {
    sim.faults().failPulls(PullFailure.TRANSIENT);

    HttpResponse<String> streamed = client.post("/api/pull", "{\"model\":\"qwen2.5:0.5b\"}");
    HttpResponse<String> whole =
        client.post("/api/pull", "{\"model\":\"qwen2.5:0.5b\",\"stream\":false}");

    assertThat(streamed.statusCode()).isEqualTo(200);
    List<JsonNode> lines = ndjson(streamed.body());
    assertThat(lines.size()).isGreaterThan(2);
    assertThat(lines.getLast().path("error").asString()).contains("connection reset by peer");
    assertThat(whole.statusCode()).isEqualTo(500);
    assertThat(sim.modelNames()).doesNotContain("qwen2.5:0.5b");
  }

  @Test
  void aCutPullStreamEndsWithoutAnErrorLineOrSuccess() {
    sim.faults().failPulls(PullFailure.CUT);

    assertThatThrownBy(() -> client.post("/api/pull", "{\"model\":\"qwen2.5:0.5b\"}"))
        .hasRootCauseInstanceOf(java.io.IOException.class);
    assertThat(sim.modelNames()).doesNotContain("qwen2.5:0.5b");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.requests().getFirst().outcome() == Outcome.ERROR);
  }

  @Test
  void aFinalPullFailureSaysTheRegistryHasNoSuchModel() {
    sim.faults().failPulls(PullFailure.FINAL);

    List<JsonNode> lines = ndjson(client.post("/api/pull", "{\"model\":\"qwen2.5:0.5b\"}").body());

    assertThat(lines)
        .extracting(l -> l.path("status").asString(""))
        .containsExactly("pulling manifest", "");
    assertThat(lines.getLast().path("error").asString())
        .isEqualTo("pull model manifest: file does not exist");
    assertThat(sim.modelNames()).doesNotContain("qwen2.5:0.5b");
  }

  @Test
  void aLimitedNumberOfPullsFailThenPullsSucceed() {
    sim.faults().failPulls(PullFailure.TRANSIENT, 2);

    List<String> last = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<JsonNode> lines =
          ndjson(client.post("/api/pull", "{\"model\":\"qwen2.5:0.5b\"}").body());
      JsonNode end = lines.getLast();
      last.add(end.has("error") ? "error" : end.path("status").asString());
    }

    assertThat(last).containsExactly("error", "error", "success");
    assertThat(sim.faults().settings().pullFailures()).isZero();
    assertThat(sim.modelNames()).contains("qwen2.5:0.5b");
  }

  @Test
  void aModelThatDisappearsIsUnloadedGoneFromTagsAnd404UntilPulledAgain() {
    client.post("/api/chat", chat("gemma2:1b", "x", false));

    assertThat(sim.removeModel("gemma2:1b")).isTrue();

    assertThat(client.get("/api/tags").body()).doesNotContain("gemma2:1b");
    assertThat(client.get("/api/ps").body()).doesNotContain("gemma2:1b");
    assertThat(client.post("/api/chat", chat("gemma2:1b", "x", false)).statusCode()).isEqualTo(404);
    client.post("/api/pull", "{\"model\":\"gemma2:1b\",\"stream\":false}");
    assertThat(client.post("/api/chat", chat("gemma2:1b", "x", false)).statusCode()).isEqualTo(200);
  }

  @Test
  void clearTurnsEveryFaultOff() {
    sim.faults().errorRate(1, 500).disconnectAfterTokens(1).failPulls(PullFailure.FINAL);

    sim.faults().clear();

    assertThat(sim.faults().settings()).isEqualTo(Faults.Settings.NONE);
    assertThat(client.post("/api/chat", chat("gemma2:1b", "x", false)).statusCode()).isEqualTo(200);
  }
}
