package dev.gollm.processor.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.testing.TestTransport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against chunk sequences and error bodies shaped as vLLM, llama.cpp's llama-server,
 * OpenAI and proxies send them (fixtures under src/test/resources), over real HTTP.
 */
class OpenAiStreamContractTest {
  private static final ChatRequest REQUEST =
      new ChatRequest("m", "Describe.", "A mug", Map.of("temperature", 0.3));

  private final FixtureServer server = new FixtureServer();
  private final HttpTransport http = TestTransport.create();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void close() {
    server.close();
    http.close();
    timers.shutdownNow();
  }

  private OpenAiClient client() {
    return new OpenAiClient(
        http,
        server.url(),
        "",
        Duration.ofSeconds(5),
        true,
        Duration.ofSeconds(5),
        timers,
        new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)).ollama(),
        Clock.systemUTC());
  }

  private Generation chat(String streamFixture) {
    server.streaming(streamFixture, "openai-models.json");
    return client().chat(REQUEST, new CancelSignal());
  }

  @Test
  void vllmStreamGivesTheTextTheFinishReasonAndTheUsageChunksCounts() {
    Generation g = chat("vllm-stream.txt");

    assertThat(g.text()).isEqualTo("Glazed in calm matte blue.");
    assertThat(g.doneReason()).isEqualTo("stop");
    assertThat(g.promptEvalCount()).isEqualTo(21);
    assertThat(g.evalCount()).isEqualTo(5);
    assertThat(g.firstToken()).isNotNull();
  }

  @Test
  void llamaCppStreamWithoutUsageTakesCountsAndSpeedFromItsTimings() {
    Generation g = chat("llamacpp-stream.txt");

    assertThat(g.text()).isEqualTo("Glazed in calm matte blue.");
    assertThat(g.doneReason()).isEqualTo("stop");
    assertThat(g.promptEvalCount()).isEqualTo(18);
    assertThat(g.evalCount()).isEqualTo(6);
    assertThat(g.evalDuration()).isEqualTo(Duration.ofNanos(96_500_000));
  }

  @Test
  void openAiStreamWithExtraFieldsAndAnEmptyFinishDeltaReportsLength() {
    Generation g = chat("openai-stream.txt");

    assertThat(g.text()).isEqualTo("Glazed in calm matte blue.");
    assertThat(g.doneReason()).isEqualTo("length");
    assertThat(g.promptEvalCount()).isEqualTo(25);
    assertThat(g.evalCount()).isEqualTo(4);
  }

  @Test
  void commentsEventAndIdFieldsAndCrlfLineEndsFromAProxyAreTolerated() {
    Generation g = chat("proxied-crlf-stream.txt");

    assertThat(g.text()).isEqualTo("Glazed blue.");
    assertThat(g.doneReason()).isEqualTo("stop");
    assertThat(g.evalCount()).as("no usage: content chunks are counted").isEqualTo(2);
    assertThat(g.promptEvalCount()).isZero();
  }

  @Test
  void anErrorObjectInTheStreamIsAFailedAttemptNotAResult() {
    assertThatThrownBy(() -> chat("error-mid-stream.txt"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
        .hasMessageContaining("CUDA error: out of memory");
  }

  @Test
  void vllmsErrorObjectInTheStreamIsAFailedAttempt() {
    assertThatThrownBy(() -> chat("vllm-error-mid-stream.txt"))
        .isInstanceOf(LlmException.Retryable.class)
        .hasMessageContaining("The engine has died");
  }

  @Test
  void aStreamThatEndsWithoutDoneIsAFailedAttemptEvenAfterAFinishReason() {
    assertThatThrownBy(() -> chat("ended-without-done.txt"))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BROKEN_STREAM))
        .hasMessageContaining("without [DONE]");
  }

  @Test
  void aContextLengthErrorFailsTheTaskWithOpenAisMessage() {
    assertStatusError(400, "openai-error-400.json", LlmException.Permanent.class)
        .hasMessageContaining("maximum context length is 8192 tokens");
  }

  @Test
  void vllmsFlatErrorBodyGivesItsMessage() {
    assertStatusError(400, "vllm-error-400.json", LlmException.Permanent.class)
        .hasMessageContaining("maximum context length is 4096 tokens");
  }

  @Test
  void tgisValidationErrorFailsTheTaskWithItsMessage() {
    assertStatusError(422, "tgi-error-422.json", LlmException.Permanent.class)
        .hasMessageContaining("Input validation error");
  }

  @Test
  void aProxysHtmlBadGatewayIsRetried() {
    assertStatusError(502, "proxy-502.html", LlmException.Retryable.class)
        .hasMessageContaining("502 Bad Gateway");
  }

  @Test
  void anUnknownModelOrPathFailsTheTask() {
    assertStatusError(404, "openai-error-400.json", LlmException.Permanent.class)
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void aRejectedKeyIsRetriedAsAConfigurationProblem() {
    assertThatThrownBy(() -> statusError(401, "openai-error-400.json", Map.of()))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.UNAUTHORIZED))
        .hasMessageContaining("LLM_API_KEY");
  }

  @Test
  void aRateLimitIsBusyAndCarriesRetryAfter() {
    assertThatThrownBy(() -> statusError(429, "openai-error-400.json", Map.of("Retry-After", "7")))
        .isInstanceOfSatisfying(
            LlmException.Retryable.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.BUSY);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
            });
  }

  private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertStatusError(
      int status, String bodyFixture, Class<? extends LlmException> type) {
    return assertThatThrownBy(() -> statusError(status, bodyFixture, Map.of())).isInstanceOf(type);
  }

  private void statusError(int status, String bodyFixture, Map<String, String> headers) {
    server.answer(
        "/v1/models", 200, "application/json", FixtureServer.fixture("openai-models.json"));
    server.answer(
        "/v1/chat/completions",
        new FixtureServer.Answer(
            status, "application/json", FixtureServer.fixture(bodyFixture), headers));
    client().chat(REQUEST, new CancelSignal());
  }

  @Test
  void theKeyIsSentAsABearerTokenAndNeverInAMessage() {
    server.streaming("vllm-stream.txt", "vllm-models.json");
    OpenAiClient client =
        new OpenAiClient(
            http,
            server.url(),
            "sk-test-123",
            Duration.ofSeconds(5),
            true,
            Duration.ofSeconds(5),
            timers,
            new Reachability(Clock.systemUTC(), Duration.ofMinutes(1)).ollama(),
            Clock.systemUTC());

    client.ping();
    client.chat(REQUEST, new CancelSignal());

    assertThat(server.seen())
        .allSatisfy(s -> assertThat(s.authorization()).isEqualTo("Bearer sk-test-123"));
    server.answer(
        "/v1/chat/completions",
        401,
        "application/json",
        "{\"error\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> client.chat(REQUEST, new CancelSignal()))
        .hasMessageNotContaining("sk-test-123");
  }

  @Test
  void aModelTheServerDoesNotListFailsAtOnceNamingWhatItOffers() {
    server.streaming("vllm-stream.txt", "vllm-models.json");

    assertThatThrownBy(() -> client().ensureModel("gemma3:1b", new CancelSignal()))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("gemma3:1b")
        .hasMessageContaining("Qwen/Qwen2.5-1.5B-Instruct");
  }

  @Test
  void vllmGetsTopKAndRepetitionPenaltyAGenericServerDoesNot() {
    ChatRequest request =
        new ChatRequest(
            "Qwen/Qwen2.5-1.5B-Instruct",
            "Describe.",
            "A mug",
            Map.of("top_k", 40, "repeat_penalty", 1.1, "num_predict", 64, "num_ctx", 4096));
    server.streaming("vllm-stream.txt", "vllm-models.json");
    OpenAiClient vllm = client();
    vllm.ping();
    vllm.chat(request, new CancelSignal());
    String vllmBody = lastChatBody();

    server.streaming("vllm-stream.txt", "openai-models.json");
    OpenAiClient generic = client();
    generic.ping();
    generic.chat(request, new CancelSignal());
    String genericBody = lastChatBody();

    assertThat(vllmBody)
        .contains("\"top_k\":40", "\"repetition_penalty\":1.1", "\"max_tokens\":64")
        .doesNotContain("num_ctx");
    assertThat(genericBody)
        .contains("\"max_tokens\":64", "\"stream_options\":{\"include_usage\":true}")
        .doesNotContain("top_k", "repet", "num_ctx");
  }

  private String lastChatBody() {
    return server.seen().stream()
        .filter(s -> s.path().equals("/v1/chat/completions"))
        .reduce((a, b) -> b)
        .orElseThrow()
        .body();
  }

  @Test
  void llamaCppIsRecognisedFromItsModelList() {
    assertThat(
            OpenAiClient.parseListing(
                    new String(
                        FixtureServer.fixture("llamacpp-models.json"), StandardCharsets.UTF_8))
                .family())
        .isEqualTo(ServerFamily.LLAMA_CPP);
  }
}
