package dev.gollm.processor.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.PullFailure;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.config.ProcessorConfig.NumCtx;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.http.HttpTransport;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.testing.TestTransport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client against the Ollama simulator: models loaded ahead of generations, keep_alive sent,
 * loads and slow first tokens kept out of the generation timeouts, cut prompts never answered,
 * transient pull failures retried.
 */
@Timeout(60)
class OllamaClientModelLifecycleTest {
  private static final String MODEL = "gemma2:1b";
  private static final Duration LOAD = Duration.ofMillis(300);

  private final HttpTransport http = TestTransport.create();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final Reachability reachability =
      new Reachability(Clock.systemUTC(), Duration.ofMinutes(1));
  private OllamaSimulator sim;

  private static final OllamaSettings SETTINGS =
      new OllamaSettings(
          MODEL,
          Duration.ofSeconds(10),
          false,
          Duration.ofSeconds(5),
          Duration.ofSeconds(20),
          Duration.ofSeconds(10),
          Duration.ofMinutes(30),
          NumCtx.SERVER);

  private OllamaClient client(ModelProfile profile, UnaryOperator<OllamaSettings> adjust) {
    sim =
        new OllamaSimulator(
                OllamaSimulator.Options.builder().model(profile).pullStep(Duration.ZERO).build())
            .start();
    return new OllamaClient(
        http, URI.create(sim.baseUrl()), adjust.apply(SETTINGS), timers, reachability.ollama());
  }

  private static ModelProfile slowLoading() {
    return ModelProfile.fast(MODEL).withLoadTime(LOAD);
  }

  private static ChatRequest chat(String user) {
    return new ChatRequest(MODEL, "be brief", user, Map.of());
  }

  private static ChatRequest ofWords(int words) {
    return chat(String.join(" ", Collections.nCopies(words, "mug")));
  }

  private List<RequestRecord> generations() {
    return sim.requests().stream().filter(r -> !r.loadOnly() && r.model() != null).toList();
  }

  private List<RequestRecord> loads() {
    return sim.requests().stream().filter(RequestRecord::loadOnly).toList();
  }

  @AfterEach
  void close() {
    if (sim != null) {
      sim.close();
    }
    timers.shutdownNow();
    http.close();
  }

  @Test
  void ensureModelLoadsTheModelSoTheFirstGenerationDoesNotPayTheLoad() {
    OllamaClient client = client(slowLoading(), s -> s);

    client.ensureModel(MODEL, new CancelSignal());
    Generation g = client.chat(chat("a red mug"), new CancelSignal());

    assertThat(loads()).singleElement().satisfies(r -> assertThat(r.coldStart()).isTrue());
    assertThat(generations()).singleElement().satisfies(r -> assertThat(r.coldStart()).isFalse());
    assertThat(g.loadDuration()).isLessThan(LOAD);
  }

  @Test
  void aModelFirstNeededByAGenerationIsLoadedBeforeIt() {
    OllamaClient client = client(slowLoading(), s -> s);

    client.chat(chat("a red mug"), new CancelSignal());
    client.chat(chat("a blue mug"), new CancelSignal());

    assertThat(loads()).hasSize(1);
    assertThat(generations()).extracting(RequestRecord::coldStart).containsExactly(false, false);
  }

  @Test
  void everyRequestCarriesTheKeepAliveSetting() {
    OllamaClient client = client(slowLoading(), s -> s);

    client.chat(chat("a red mug"), new CancelSignal());

    assertThat(sim.requests())
        .extracting(RequestRecord::keepAlive)
        .containsOnly(Duration.ofMinutes(30));
  }

  @Test
  void aModelUnloadedBehindTheClientsBackIsPaidByTheGenerationAndStillAnswers() {
    OllamaClient client = client(slowLoading(), s -> s);
    client.chat(chat("a red mug"), new CancelSignal());
    sim.removeModel(MODEL);
    sim.installModel(slowLoading());

    Generation g = client.chat(chat("a blue mug"), new CancelSignal());

    assertThat(g.loadDuration()).isGreaterThanOrEqualTo(LOAD);
    assertThat(loads()).hasSize(1);
  }

  @Test
  void aLoadLongerThanTheRequestTimeoutDoesNotFailTheGeneration() {
    OllamaClient client =
        client(
            ModelProfile.fast(MODEL).withLoadTime(Duration.ofSeconds(1)),
            s ->
                new OllamaSettings(
                    MODEL,
                    Duration.ofMillis(500),
                    s.stream(),
                    s.idleTimeout(),
                    s.pullTimeout(),
                    s.loadTimeout(),
                    s.keepAlive(),
                    s.numCtx()));

    Generation g = client.chat(chat("a red mug"), new CancelSignal());

    assertThat(g.text()).startsWith("sim-");
  }

  @Test
  void silenceBeforeTheFirstChunkIsNotAStreamStall() {
    OllamaClient client =
        client(
            ModelProfile.fast(MODEL).withTimeToFirstToken(Duration.ofMillis(800)),
            s ->
                new OllamaSettings(
                    MODEL,
                    s.requestTimeout(),
                    true,
                    Duration.ofMillis(200),
                    s.pullTimeout(),
                    s.loadTimeout(),
                    s.keepAlive(),
                    s.numCtx()));

    Generation g = client.chat(chat("a red mug"), new CancelSignal());

    assertThat(g.text()).startsWith("sim-");
  }

  @Test
  void readinessReportsTheDefaultModelLoadingUntilItIsLoaded() {
    OllamaClient client =
        client(ModelProfile.fast(MODEL).withLoadTime(Duration.ofSeconds(2)), s -> s);

    CompletableFuture<Void> preload =
        CompletableFuture.runAsync(() -> client.ensureModel(MODEL, new CancelSignal()));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> reachability.problems().contains("ollama: model gemma2:1b loading"));
    preload.join();
    assertThat(reachability.problems()).noneMatch(p -> p.startsWith("ollama:"));
  }

  @Test
  void aPromptLongerThanTheReportedWindowFailsWithTheSizesWithoutBeingSent() {
    OllamaClient client = client(ModelProfile.fast(MODEL).withNumCtx(256), s -> s);
    client.ensureModel(MODEL, new CancelSignal());

    assertThatThrownBy(() -> client.chat(ofWords(300), new CancelSignal()))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("at least 310 tokens")
        .hasMessageContaining("context window of 256 tokens");
    assertThat(generations()).isEmpty();
  }

  @Test
  void aPromptOllamaCutIsNeverAnswered() {
    // The client learned a window of 4096; the server's model then runs with 256.
    OllamaClient client = client(ModelProfile.fast(MODEL), s -> s);
    client.ensureModel(MODEL, new CancelSignal());
    sim.installModel(ModelProfile.fast(MODEL).withNumCtx(256));

    assertThatThrownBy(() -> client.chat(ofWords(300), new CancelSignal()))
        .isInstanceOf(LlmException.class);
    assertThat(generations())
        .singleElement()
        .satisfies(r -> assertThat(r.cutTokens()).isPositive());
  }

  @Test
  void aFixedWindowIsSentWithEveryRequestAndTheLoad() {
    OllamaClient client =
        client(ModelProfile.fast(MODEL).withNumCtx(256), s -> withNumCtx(s, NumCtx.fixed(1024)));

    client.ensureModel(MODEL, new CancelSignal());
    Generation g = client.chat(ofWords(300), new CancelSignal());

    assertThat(g.promptEvalCount()).isEqualTo(310);
    assertThat(sim.requests()).extracting(r -> r.options().numCtx()).containsOnly(1024);
    assertThat(generations().getFirst().coldStart()).isFalse();
  }

  @Test
  void anAutomaticWindowMakesRoomForThePromptAndTheAnswer() {
    OllamaClient client =
        client(ModelProfile.fast(MODEL).withNumCtx(256), s -> withNumCtx(s, NumCtx.AUTO));

    Generation g =
        client.chat(
            new ChatRequest(MODEL, "be brief", ofWords(5000).user(), Map.of("num_predict", 10)),
            new CancelSignal());

    assertThat(g.promptEvalCount()).isEqualTo(5010);
    assertThat(generations().getFirst().numCtx()).isEqualTo(8192);
    assertThat(generations().getFirst().cutTokens()).isZero();
  }

  @Test
  void aPullThatFailsTransientlyIsRetriedForEveryoneWaiting() throws Exception {
    OllamaClient client = client(slowLoading(), s -> s);
    sim.removeModel(MODEL);
    sim.faults().failPulls(PullFailure.TRANSIENT, 1).slowPull(Duration.ofMillis(20));

    List<CompletableFuture<Void>> waiting =
        List.of(
            CompletableFuture.runAsync(() -> client.ensureModel(MODEL, new CancelSignal())),
            CompletableFuture.runAsync(() -> client.ensureModel(MODEL, new CancelSignal())));
    CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(sim.stats().pulls()).isEqualTo(2);
    assertThat(sim.modelNames()).contains(MODEL);
  }

  @Test
  void aCutPullStreamIsRetried() {
    OllamaClient client = client(slowLoading(), s -> s);
    sim.removeModel(MODEL);
    sim.faults().failPulls(PullFailure.CUT, 2);

    client.ensureModel(MODEL, new CancelSignal());

    assertThat(sim.stats().pulls()).isEqualTo(3);
  }

  @Test
  void aPullThatFailsFinallyFailsAtOnceWithTheReason() {
    OllamaClient client = client(slowLoading(), s -> s);
    sim.removeModel(MODEL);
    sim.faults().failPulls(PullFailure.FINAL);

    assertThatThrownBy(() -> client.ensureModel(MODEL, new CancelSignal()))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("file does not exist");
    assertThat(sim.stats().pulls()).isEqualTo(1);
    assertThat(reachability.problems())
        .anySatisfy(p -> assertThat(p).startsWith("ollama: model gemma2:1b not available"));
  }

  private static OllamaSettings withNumCtx(OllamaSettings s, NumCtx numCtx) {
    return new OllamaSettings(
        s.defaultModel(),
        s.requestTimeout(),
        s.stream(),
        s.idleTimeout(),
        s.pullTimeout(),
        s.loadTimeout(),
        s.keepAlive(),
        numCtx);
  }
}
