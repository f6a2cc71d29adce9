package dev.gollm.processor.llm.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.health.Reachability;
import dev.gollm.processor.health.Reachability.Dependency;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.llm.LlmException.Failure;
import dev.gollm.processor.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EndpointRouterTest {
  private static final ChatRequest REQUEST = new ChatRequest("m", "s", "u", Map.of());

  private final ManualClock clock = new ManualClock();
  private final Reachability reachability = new Reachability(clock, Duration.ofMinutes(1));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private volatile int queued = Integer.MAX_VALUE;

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private EndpointRouter router(Object... urlCapacityBackend) {
    List<EndpointRouter.Route> routes = new ArrayList<>();
    for (int i = 0; i < urlCapacityBackend.length; i += 3) {
      routes.add(
          new EndpointRouter.Route(
              (String) urlCapacityBackend[i],
              (Integer) urlCapacityBackend[i + 1],
              (Backend) urlCapacityBackend[i + 2]));
    }
    return new EndpointRouter(
        routes, clock, new EndpointMetrics(registry), reachability.ollama(), () -> queued);
  }

  private static LlmException.Retryable busy() {
    return new LlmException.Retryable(Failure.BUSY, "HTTP 503 busy", null);
  }

  private static LlmException.Retryable refused() {
    return new LlmException.Retryable(Failure.UNREACHABLE, "connection refused", null);
  }

  private static Generation chat(EndpointRouter router) {
    return router.chat(REQUEST, new CancelSignal());
  }

  @Test
  void aGenerationGoesToTheEndpointWithMostFreeSlotsAndNamesIt() {
    FakeBackend a = new FakeBackend("a");
    FakeBackend b = new FakeBackend("b");
    EndpointRouter router = router("http://a", 2, a, "http://b", 4, b);

    Generation g = chat(router);

    assertThat(g.text()).isEqualTo("b");
    assertThat(g.endpoint()).isEqualTo("http://b");
  }

  @Test
  void aFreeQuickerEndpointIsChosenOverASlowerOneWithMoreFreeSlots() {
    FakeBackend quick = new FakeBackend("quick").taking(Duration.ofMillis(100));
    FakeBackend slow = new FakeBackend("slow").taking(Duration.ofMillis(200));
    EndpointRouter router = router("http://quick", 1, quick, "http://slow", 4, slow);

    assertThat(chat(router).text()).as("neither timed: most free slots").isEqualTo("slow");
    assertThat(chat(router).text()).as("one not timed yet counts as quickest").isEqualTo("quick");
    assertThat(chat(router).text()).as("both timed: the quicker").isEqualTo("quick");
  }

  @Test
  void eachEndpointShowsItsTypicalGenerationTimePerModel() {
    FakeBackend a = new FakeBackend("a").taking(Duration.ofMillis(120));
    EndpointRouter router = router("http://a", 1, a);

    chat(router);

    assertThat(router.describe().getFirst().get("typical_ms")).isEqualTo(Map.of("m", 120L));
  }

  /** quick (1 slot, 100 ms) and slow (1 slot, 300 ms), both timed; quick busy since now. */
  private EndpointRouter quickOneBusy(FakeBackend quick, FakeBackend slow) {
    EndpointRouter router = router("http://quick", 1, quick, "http://slow", 1, slow);
    chat(router);
    chat(router);
    quick.holding();
    threads.submit(() -> chat(router));
    await().until(() -> quick.running.get() == 1);
    return router;
  }

  @Test
  void theLastTasksWaitForAQuickerEndpointThatCanFinishThemAllSooner() throws Exception {
    FakeBackend quick = new FakeBackend("quick").taking(Duration.ofMillis(100));
    FakeBackend slow = new FakeBackend("slow").taking(Duration.ofMillis(300));
    EndpointRouter router = quickOneBusy(quick, slow);
    // At 50 ms slow would finish a task by 350 ms; quick frees at 100 ms and finishes two by 300.
    queued = 1;
    clock.advance(Duration.ofMillis(50));

    Future<Generation> last = threads.submit(() -> chat(router));
    await().during(Duration.ofMillis(200)).until(() -> slow.chats.get() == 1);

    quick.release();
    assertThat(last.get().text()).isEqualTo("quick");
  }

  @Test
  void whenMoreTasksWaitThanAQuickerEndpointCanFinishSoonerAFreeSlowerOneIsUsedAtOnce() {
    FakeBackend quick = new FakeBackend("quick").taking(Duration.ofMillis(100));
    FakeBackend slow = new FakeBackend("slow").taking(Duration.ofMillis(300));
    EndpointRouter router = quickOneBusy(quick, slow);
    queued = 2;
    clock.advance(Duration.ofMillis(50));

    assertThat(chat(router).text()).isEqualTo("slow");
    quick.release();
  }

  @Test
  void whileTheManagerLikelyHoldsMoreTasksAFreeSlowerEndpointIsUsedAtOnce() {
    FakeBackend quick = new FakeBackend("quick").taking(Duration.ofMillis(100));
    FakeBackend slow = new FakeBackend("slow").taking(Duration.ofMillis(300));
    EndpointRouter router = quickOneBusy(quick, slow);
    queued = Integer.MAX_VALUE;
    clock.advance(Duration.ofMillis(50));

    assertThat(chat(router).text()).isEqualTo("slow");
    quick.release();
  }

  @Test
  void theLastTaskStopsWaitingOnceTheQuickerEndpointCouldNoLongerFinishItSooner() throws Exception {
    FakeBackend quick = new FakeBackend("quick").taking(Duration.ofMillis(100));
    FakeBackend slow = new FakeBackend("slow").taking(Duration.ofMillis(300));
    EndpointRouter router = quickOneBusy(quick, slow);
    queued = 0;
    Future<Generation> last = threads.submit(() -> chat(router));
    await().during(Duration.ofMillis(100)).until(() -> slow.chats.get() == 1);

    // Arrived at 0: slow would finish at 300 ms, quick only if it starts by 200 ms.
    clock.advance(Duration.ofMillis(201));

    assertThat(last.get().text()).isEqualTo("slow");
    quick.release();
  }

  @Test
  void aBusyEndpointIsSkippedUntilItsWaitIsOverThenProbedAndClosedByAnAnswer() {
    FakeBackend a = new FakeBackend("a").failNext(busy());
    FakeBackend b = new FakeBackend("b");
    EndpointRouter router = router("http://a", 4, a, "http://b", 2, b);

    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);
    assertThat(chat(router).text()).as("a is open: b takes the retry").isEqualTo("b");
    assertThat(chat(router).text()).isEqualTo("b");

    clock.advance(Circuit.FIRST_WAIT);
    assertThat(chat(router).text()).as("a's wait is over: it is probed").isEqualTo("a");
    assertThat(chat(router).text()).as("the probe answered: a is closed").isEqualTo("a");
    assertThat(router.describe()).allSatisfy(e -> assertThat(e.get("state")).isEqualTo("up"));
  }

  @Test
  void aFailedProbeDoublesTheWait() {
    FakeBackend a = new FakeBackend("a").failNext(refused()).failNext(refused());
    FakeBackend b = new FakeBackend("b");
    EndpointRouter router = router("http://a", 4, a, "http://b", 1, b);

    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);
    clock.advance(Circuit.FIRST_WAIT);
    assertThatThrownBy(() -> chat(router)).as("the probe fails").hasMessage("connection refused");

    clock.advance(Circuit.FIRST_WAIT);
    assertThat(chat(router).text()).as("still open after 1 s").isEqualTo("b");
    clock.advance(Circuit.FIRST_WAIT);
    assertThat(chat(router).text()).as("probed after 2 s").isEqualTo("a");
  }

  @Test
  void aRetryAfterLongerThanTheWaitIsHonoured() {
    FakeBackend a =
        new FakeBackend("a")
            .failNext(
                new LlmException.Retryable(Failure.BUSY, "429", null, Duration.ofSeconds(20)));
    FakeBackend b = new FakeBackend("b");
    EndpointRouter router = router("http://a", 4, a, "http://b", 1, b);

    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);
    clock.advance(Duration.ofSeconds(19));
    assertThat(chat(router).text()).isEqualTo("b");
    clock.advance(Duration.ofSeconds(1));
    assertThat(chat(router).text()).isEqualTo("a");
  }

  @Test
  void aModelOnlyOneEndpointListsGoesToThatEndpoint() {
    FakeBackend a = new FakeBackend("a").offering("other");
    FakeBackend b = new FakeBackend("b").offering("m");
    EndpointRouter router = router("http://a", 8, a, "http://b", 1, b);

    assertThat(chat(router).text()).isEqualTo("b");
    assertThat(a.chats).hasValue(0);
  }

  @Test
  void aModelNoEndpointOffersFailsTheTaskNamingWhatEachOffers() {
    FakeBackend a = new FakeBackend("a").offering("x");
    FakeBackend b = new FakeBackend("b").offering("y");
    EndpointRouter router = router("http://a", 1, a, "http://b", 1, b);

    assertThatThrownBy(() -> chat(router))
        .isInstanceOf(LlmException.Permanent.class)
        .hasMessageContaining("no endpoint can serve model m")
        .hasMessageContaining("a offers [x]")
        .hasMessageContaining("b offers [y]");
  }

  @Test
  void whenEveryEndpointIsOpenTheAttemptGoesToTheOneDueSoonest() {
    FakeBackend a = new FakeBackend("a").failNext(refused());
    FakeBackend b = new FakeBackend("b").failNext(refused());
    EndpointRouter router = router("http://a", 1, a, "http://b", 1, b);
    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);
    clock.advance(Duration.ofMillis(500));
    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);

    assertThat(chat(router).text()).as("a opened first, so it is due first").isEqualTo("a");
  }

  @Test
  void aSingleOpenEndpointStillGetsTheAttemptSoTheTasksOwnBackoffPacesIt() {
    FakeBackend a = new FakeBackend("a").failNext(busy());
    EndpointRouter router = router("http://a", 2, a);

    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);

    assertThat(chat(router).text()).isEqualTo("a");
  }

  @Test
  void whenEveryEndpointIsFullAWorkerWaitsUntilASlotIsReleased() throws Exception {
    FakeBackend a = new FakeBackend("a").holding();
    EndpointRouter router = router("http://a", 1, a);
    Future<Generation> first = threads.submit(() -> chat(router));
    await().until(() -> a.running.get() == 1);

    Future<Generation> second = threads.submit(() -> chat(router));
    await().during(Duration.ofMillis(200)).until(() -> a.chats.get() == 1);

    a.release();
    assertThat(first.get().text()).isEqualTo("a");
    assertThat(second.get().text()).isEqualTo("a");
    assertThat(a.chats).hasValue(2);
  }

  @Test
  void aWorkerWaitingForASlotStopsWhenItsTaskIsCancelled() throws Exception {
    FakeBackend a = new FakeBackend("a").holding();
    EndpointRouter router = router("http://a", 1, a);
    threads.submit(() -> chat(router));
    await().until(() -> a.running.get() == 1);
    CancelSignal cancel = new CancelSignal();
    CompletableFuture<Throwable> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                router.chat(REQUEST, cancel);
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            },
            threads);

    cancel.cancel("lease lost");

    assertThat(waiting.get()).isInstanceOf(LlmException.Cancelled.class).hasMessage("lease lost");
    a.release();
  }

  @Test
  void aSlotFreedOnAnotherEndpointWakesAWaitingWorker() throws Exception {
    FakeBackend a = new FakeBackend("a").holding();
    FakeBackend b = new FakeBackend("b").holding();
    EndpointRouter router = router("http://a", 1, a, "http://b", 1, b);
    threads.submit(() -> chat(router));
    threads.submit(() -> chat(router));
    await().until(() -> a.running.get() == 1 && b.running.get() == 1);
    Future<Generation> third = threads.submit(() -> chat(router));

    b.release();

    assertThat(third.get().text()).isEqualTo("b");
    a.release();
  }

  @Test
  void anEndpointThatCannotBeReachedIsLeftForOneThatCanSoNoTaskFailsForIt() {
    FakeBackend a = new FakeBackend("a").failNext(refused());
    FakeBackend b = new FakeBackend("b");
    EndpointRouter router = router("http://a", 4, a, "http://b", 1, b);

    List<String> answers = new ArrayList<>();
    for (int attempt = 0; attempt < 2; attempt++) { // as TaskRunner retries
      try {
        answers.add(chat(router).text());
        break;
      } catch (LlmException.Retryable e) {
        answers.add("failed: " + e.failure());
      }
    }

    assertThat(answers).containsExactly("failed: UNREACHABLE", "b");
    assertThat(reachability.isReachable(Dependency.OLLAMA)).isTrue();
  }

  @Test
  void theLlmIsUnreachableOnlyWhenNoEndpointAnswers() {
    FakeBackend a = new FakeBackend("a").failNext(refused());
    FakeBackend b = new FakeBackend("b").failNext(refused());
    EndpointRouter router = router("http://a", 1, a, "http://b", 1, b);
    router.ping();
    assertThat(reachability.isReachable(Dependency.OLLAMA)).isTrue();
    clock.advance(Duration.ofMillis(1));

    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);
    assertThat(reachability.isReachable(Dependency.OLLAMA)).as("b still answers").isTrue();
    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);

    assertThat(reachability.isReachable(Dependency.OLLAMA)).isFalse();
  }

  @Test
  void eachEndpointsWorkIsCountedPerModelAndErrorsByKind() {
    FakeBackend a = new FakeBackend("a").failNext(busy());
    EndpointRouter router = router("http://a", 1, a);
    assertThatThrownBy(() -> chat(router)).isInstanceOf(LlmException.Retryable.class);
    chat(router);

    assertThat(registry.get("processor.llm.completion_tokens").tag("model", "m").counter().count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("processor.llm.prompt_tokens")
                .tag("endpoint", "http://a")
                .counter()
                .count())
        .isEqualTo(7);
    assertThat(registry.get("processor.llm.errors").tag("kind", "busy").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("processor.llm.tokens_per_second").summary().mean()).isEqualTo(100);
    assertThat(router.describeWithTotals().get(0))
        .containsEntry("generations", 1L)
        .containsEntry("errors", 1L)
        .containsEntry("state", "up");
  }
}
