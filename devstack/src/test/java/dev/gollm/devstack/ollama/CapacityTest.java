package dev.gollm.devstack.ollama;

import static dev.gollm.devstack.ollama.NativeEndpointsTest.chat;
import static dev.gollm.devstack.ollama.SimClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.ollama.RequestRecord.Outcome;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Parallel slots, the queue bound and cancellation. The hang fault holds requests in their slot so
 * that each state can be awaited instead of timed.
 */
class CapacityTest {
  private OllamaSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private SimClient start(OllamaSimulator.Options options) {
    sim = new OllamaSimulator(options).start();
    return new SimClient(sim);
  }

  @Test
  void requestsBeyondTheSlotsWaitAndBeyondTheQueueGet503() throws Exception {
    SimClient client = start(OllamaSimulator.Options.builder().slots(1).queue(1).build());
    sim.faults().hang(Duration.ofSeconds(30));

    CompletableFuture<HttpResponse<String>> first =
        client.postAsync("/api/chat", chat("gemma2:1b", "one", false));
    awaitOutcomes(Outcome.RUNNING);
    CompletableFuture<HttpResponse<String>> second =
        client.postAsync("/api/chat", chat("gemma2:1b", "two", false));
    awaitOutcomes(Outcome.RUNNING, Outcome.QUEUED);
    HttpResponse<String> third = client.post("/api/chat", chat("gemma2:1b", "three", false));

    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(json(third.body()).path("error").asString())
        .isEqualTo("server busy, please try again.  maximum pending requests exceeded");
    sim.faults().liftHang();
    assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(second.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    SimulatorStats stats = sim.stats();
    assertThat(stats.rejected()).isEqualTo(1);
    assertThat(stats.done()).isEqualTo(2);
    assertThat(stats.peakConcurrency()).isEqualTo(1);
    assertThat(stats.queuePeak()).isEqualTo(1);
    assertThat(sim.requests())
        .extracting(RequestRecord::outcome)
        .containsExactly(Outcome.DONE, Outcome.DONE, Outcome.REJECTED);
  }

  @Test
  void aQueuedRequestReceivesNoByteUntilItGetsASlot() throws Exception {
    SimClient client = start(OllamaSimulator.Options.builder().slots(1).build());
    sim.faults().hang(Duration.ofSeconds(30));
    CompletableFuture<HttpResponse<String>> holder =
        client.postAsync("/api/chat", chat("gemma2:1b", "one", true));
    awaitOutcomes(Outcome.RUNNING);

    try (RawConnection queued =
        RawConnection.post(sim, "/api/chat", chat("gemma2:1b", "two", true))) {
      awaitOutcomes(Outcome.RUNNING, Outcome.QUEUED);

      assertThat(queued.silentFor(Duration.ofMillis(300))).isTrue();
      sim.faults().liftHang();
      assertThat(queued.readToEnd()).startsWith("HTTP/1.1 200").contains("\"done\":true");
    }
    assertThat(holder.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void slotsServeThatManyRequestsAtOnce() throws Exception {
    SimClient client = start(OllamaSimulator.Options.builder().slots(2).build());
    sim.faults().hang(Duration.ofSeconds(30));

    List<CompletableFuture<HttpResponse<String>>> calls =
        List.of(
            client.postAsync("/api/chat", chat("gemma2:1b", "a", false)),
            client.postAsync("/api/chat", chat("gemma2:1b", "b", false)),
            client.postAsync("/api/chat", chat("gemma2:1b", "c", false)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sim.stats().active() == 2 && sim.stats().queued() == 1);
    sim.faults().liftHang();

    for (CompletableFuture<HttpResponse<String>> c : calls) {
      assertThat(c.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(sim.stats().peakConcurrency()).isEqualTo(2);
    assertThat(sim.stats().queuePeak()).isEqualTo(1);
  }

  @Test
  void aClientThatDisconnectsMidStreamFreesItsSlotForTheQueuedRequest() throws Exception {
    ModelProfile endless =
        ModelProfile.fast("long:1b")
            .withTokensPerSecond(50)
            .withAnswerLength(AnswerLength.fixed(5000));
    SimClient client = start(OllamaSimulator.Options.builder().slots(1).model(endless).build());

    RawConnection streaming = RawConnection.post(sim, "/api/chat", chat("long:1b", "one", true));
    streaming.readUntil("\"done\":false");
    CompletableFuture<HttpResponse<String>> waiting =
        client.postAsync(
            "/api/chat",
            "{\"model\":\"long:1b\",\"stream\":false,\"options\":{\"num_predict\":3},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"two\"}]}");
    awaitOutcomes(Outcome.RUNNING, Outcome.QUEUED);

    streaming.close();

    HttpResponse<String> served = waiting.get(20, TimeUnit.SECONDS);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(json(served.body()).path("eval_count").asInt()).isEqualTo(3);
    RequestRecord cancelled = sim.requests().getFirst();
    RequestRecord next = sim.requests().getLast();
    assertThat(cancelled.outcome()).isEqualTo(Outcome.CANCELLED);
    assertThat(next.start()).isAfterOrEqualTo(cancelled.end());
    assertThat(sim.stats().cancelled()).isEqualTo(1);
  }

  private void awaitOutcomes(Outcome... expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(sim.requests())
                    .extracting(RequestRecord::outcome)
                    .containsExactly(expected));
  }
}
