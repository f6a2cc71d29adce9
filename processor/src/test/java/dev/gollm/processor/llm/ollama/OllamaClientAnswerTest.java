package dev.gollm.processor.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.GenerationOptions;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.testing.TestTransport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the client reads Ollama's answer: whole (the default) or streamed a line per token, over real
 * HTTP against the simulator, and the whole answer's parsing against the contract's fixture.
 */
@Timeout(60)
class OllamaClientAnswerTest {
  private static final String MODEL = "gemma2:1b";
  private static final ChatRequest REQUEST =
      new ChatRequest(MODEL, "be brief", "a red mug", Map.of());

  /** 20 tokens at 100 per second: a fifth of a second of generating. */
  private final OllamaSimulator sim =
      new OllamaSimulator(
              OllamaSimulator.Options.builder()
                  .model(
                      ModelProfile.fast(MODEL)
                          .withTokensPerSecond(100)
                          .withAnswerLength(AnswerLength.fixed(20)))
                  .build())
          .start();

  private final HttpTransport http = TestTransport.create();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() {
    sim.close();
    timers.shutdownNow();
    http.close();
  }

  private OllamaClient client(boolean stream, Duration requestTimeout) {
    return new OllamaClient(
        http,
        URI.create(sim.baseUrl()),
        new OllamaSettings(
            MODEL,
            requestTimeout,
            stream,
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            Duration.ofSeconds(10),
            Duration.ofMinutes(30),
            NumCtx.SERVER),
        timers,
        new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)).ollama());
  }

  private String expectedText() {
    return sim.expectedText(
        MODEL, REQUEST.system(), REQUEST.user(), GenerationOptions.of(Map.of()));
  }

  private RequestRecord theGeneration() {
    return sim.requests().stream().filter(r -> !r.loadOnly()).reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void unstreamedTheAnswerComesWholeWithTheServersCounts() {
    Generation g = client(false, Duration.ofSeconds(10)).chat(REQUEST, new CancelSignal());

    assertThat(theGeneration().stream()).as("asked for a stream").isFalse();
    assertThat(g.text()).isEqualTo(expectedText());
    assertThat(g.evalCount()).isEqualTo(20);
    assertThat(g.promptEvalCount()).isPositive();
    assertThat(g.evalDuration()).isPositive();
    assertThat(g.firstToken()).isPositive().isLessThan(g.elapsed());
  }

  @Test
  void streamedTheSameAnswerArrivesLineByLine() {
    Generation g = client(true, Duration.ofSeconds(10)).chat(REQUEST, new CancelSignal());

    assertThat(theGeneration().stream()).as("asked for a stream").isTrue();
    assertThat(g.text()).isEqualTo(expectedText());
    assertThat(g.evalCount()).isEqualTo(20);
    assertThat(g.firstToken()).isPositive().isLessThan(g.elapsed());
  }

  @Test
  void anUnstreamedAnswerCutShortIsABrokenAnswerToRetry() {
    sim.faults().malformedLineAfterTokens(5);

    assertThatThrownBy(
            () -> client(false, Duration.ofSeconds(10)).chat(REQUEST, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BROKEN_STREAM))
        .hasMessageStartingWith("malformed answer from Ollama");
  }

  @Test
  void anUnstreamedAnswerLaterThanTheRequestTimeoutIsAbortedAndRetryable() {
    OllamaClient client = client(false, Duration.ofMillis(100));

    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT));
  }

  @Test
  void theContractsWholeAnswerGivesTextReasonAndCounts() throws IOException {
    Generation g = OllamaClient.readWhole(fixture("ollama-chat-response.json"), System.nanoTime());

    assertThat(g.text()).startsWith("Glazed in calm matte blue").endsWith("when you are done.");
    assertThat(g.doneReason()).isEqualTo("stop");
    assertThat(g.evalCount()).isEqualTo(34);
    assertThat(g.promptEvalCount()).isEqualTo(58);
    assertThat(g.evalDuration()).isEqualTo(Duration.ofNanos(2_164_318_870L));
    assertThat(g.loadDuration()).isEqualTo(Duration.ofNanos(41_223_907L));
    assertThat(g.firstToken())
        .as("the server generated for longer than the client waited: no time to give")
        .isNull();
  }

  @Test
  void anErrorInPlaceOfTheAnswerIsAServerErrorToRetry() {
    assertThatThrownBy(() -> readWhole("{\"error\":\"llama runner process has terminated\"}"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
        .hasMessage("Ollama failed: llama runner process has terminated");
  }

  @Test
  void anAnswerThatIsNotFinalIsBroken() {
    assertThatThrownBy(
            () ->
                readWhole(
                    "{\"message\":{\"role\":\"assistant\",\"content\":\"Gla\"},\"done\":false}"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BROKEN_STREAM))
        .hasMessageStartingWith("Ollama's answer is not final");
  }

  private static Generation readWhole(String json) throws IOException {
    return OllamaClient.readWhole(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), System.nanoTime());
  }

  private static InputStream fixture(String name) {
    return Objects.requireNonNull(
        OllamaClientAnswerTest.class.getResourceAsStream(name), "no test resource " + name);
  }
}
