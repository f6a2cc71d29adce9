package dev.gollm.processor.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.testing.TestTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OpenAI client's guarantees against the simulator as an OpenAI-only server, over real HTTP:
 * timeouts, aborts and broken streams, as the Ollama client has them.
 */
@Timeout(60)
class OpenAiClientTest {
  private static final String MODEL = "gemma2:1b";
  private static final ChatRequest REQUEST =
      new ChatRequest(MODEL, "Describe.", "a red mug", Map.of("temperature", 0.3));

  /** 40 tokens at 20 per second: two seconds of streaming. */
  private final OllamaSimulator sim =
      new OllamaSimulator(
              OllamaSimulator.Options.builder()
                  .openAiOnly(true)
                  .model(
                      ModelProfile.fast(MODEL)
                          .withTokensPerSecond(20)
                          .withAnswerLength(AnswerLength.fixed(40)))
                  .build())
          .start();

  private final HttpTransport http = TestTransport.create();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() {
    sim.close();
    http.close();
    timers.shutdownNow();
  }

  private OpenAiClient client(Duration requestTimeout, Duration idleTimeout) {
    return new OpenAiClient(
        http,
        URI.create(sim.baseUrl() + "/v1"),
        null,
        requestTimeout,
        true,
        idleTimeout,
        timers,
        new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)).ollama(),
        Clock.systemUTC());
  }

  private OpenAiClient wholeClient(Duration requestTimeout) {
    return new OpenAiClient(
        http,
        URI.create(sim.baseUrl() + "/v1"),
        null,
        requestTimeout,
        false,
        Duration.ofSeconds(5),
        timers,
        new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)).ollama(),
        Clock.systemUTC());
  }

  @Test
  void aWholeAnswerStreamsWithUsageFromTheServer() {
    OpenAiClient client = client(Duration.ofSeconds(20), Duration.ofSeconds(5));
    client.ensureModel(MODEL, new CancelSignal());

    Generation g = client.chat(REQUEST, new CancelSignal());

    assertThat(g.evalCount()).isEqualTo(40);
    assertThat(g.promptEvalCount()).isPositive();
    assertThat(g.text()).startsWith("sim-");
    assertThat(g.evalDuration()).isPositive();
  }

  @Test
  void unstreamedTheAnswerComesWholeWithUsageFromTheServer() {
    OpenAiClient client = wholeClient(Duration.ofSeconds(20));

    Generation g = client.chat(REQUEST, new CancelSignal());

    assertThat(sim.requests())
        .filteredOn(r -> r.model() != null)
        .singleElement()
        .satisfies(r -> assertThat(r.stream()).as("asked for a stream").isFalse());
    assertThat(g.text()).startsWith("sim-");
    assertThat(g.evalCount()).isEqualTo(40);
    assertThat(g.promptEvalCount()).isPositive();
  }

  @Test
  void anUnstreamedAnswerCutShortIsABrokenAnswerToRetry() {
    sim.faults().malformedLineAfterTokens(5);
    OpenAiClient client = wholeClient(Duration.ofSeconds(20));

    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BROKEN_STREAM))
        .hasMessageStartingWith("malformed answer");
  }

  @Test
  void anUnstreamedAnswerLaterThanTheRequestTimeoutIsAbortedAndRetryable() {
    OpenAiClient client = wholeClient(Duration.ofMillis(300));

    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT));
  }

  @Test
  void aStreamSilentLongerThanTheIdleTimeoutIsAbortedAndRetryable() {
    sim.faults().stallAfterTokens(2, Duration.ofSeconds(20));
    OpenAiClient client = client(Duration.ofSeconds(30), Duration.ofMillis(300));

    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT))
        .hasMessageContaining("stalled");
  }

  @Test
  void anAnswerLongerThanTheRequestTimeoutIsAbortedAndRetryable() {
    sim.faults().hang(Duration.ofSeconds(30));
    OpenAiClient client = client(Duration.ofMillis(500), Duration.ofSeconds(5));

    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT));
  }

  @Test
  void aCancelClosesTheStreamAndTheServerSeesTheRequestEnd() {
    OpenAiClient client = client(Duration.ofSeconds(20), Duration.ofSeconds(5));
    CancelSignal cancel = new CancelSignal();
    CompletableFuture<Throwable> chat =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                client.chat(REQUEST, cancel);
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    await()
        .until(
            () ->
                sim.requests().stream()
                    .anyMatch(r -> r.outcome() == RequestRecord.Outcome.RUNNING));

    cancel.cancel("lease lost");

    assertThat(chat.join()).isInstanceOf(LlmException.Cancelled.class).hasMessage("lease lost");
    await().until(() -> sim.requests().getFirst().outcome() == RequestRecord.Outcome.CANCELLED);
  }

  @Test
  void aStreamCutOffMidAnswerIsABrokenAttemptNotAResult() {
    sim.faults().disconnectAfterTokens(3);
    OpenAiClient client = client(Duration.ofSeconds(20), Duration.ofSeconds(5));

    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .isInstanceOf(LlmException.Retryable.class);
  }

  @Test
  void aServerThatIsNotThereIsUnreachable() {
    String url = sim.baseUrl();
    sim.close();
    OpenAiClient client =
        new OpenAiClient(
            http,
            URI.create(url),
            null,
            Duration.ofSeconds(5),
            false,
            Duration.ofSeconds(5),
            timers,
            new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)).ollama(),
            Clock.systemUTC());

    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.UNREACHABLE));
  }

  @Test
  void anAnswerPastTheBoundFailsTheTaskInsteadOfFillingMemory() {
    OpenAiAnswer stream = new OpenAiAnswer(10);
    stream.accept(chunk("0123456789"));

    assertThatThrownBy(() -> stream.accept(chunk("x")))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("max_tokens");
  }

  private static String chunk(String content) {
    return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"}}]}";
  }
}
