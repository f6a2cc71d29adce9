package dev.gollm.processor.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.llm.LlmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One run per key, awaited by every caller; abandoned only when nobody waits any more. */
@Timeout(20)
class SharedWorkTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private final SharedWork work = new SharedWork();

  @Test
  void callersAskingMeanwhileShareOneRunAndItsOutcome() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    SharedWork.Work job =
        abandoned -> {
          runs.incrementAndGet();
          started.countDown();
          await(release);
          throw new LlmException.Permanent("no such model", null);
        };

    CompletableFuture<Void> first =
        CompletableFuture.runAsync(() -> work.await("k", job, PATIENCE, new CancelSignal()));
    started.await(5, TimeUnit.SECONDS);
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(() -> work.await("k", job, PATIENCE, new CancelSignal()));
    Awaitility.await().until(() -> work.waiters("k") == 2);
    release.countDown();

    assertThatThrownBy(first::join).hasCauseInstanceOf(LlmException.Permanent.class);
    assertThatThrownBy(second::join).hasCauseInstanceOf(LlmException.Permanent.class);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aCallerThatStopsWaitingLeavesTheRunToTheOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> abandonedBy = new CompletableFuture<>();
    SharedWork.Work job =
        abandoned -> {
          abandoned.onCancel(() -> abandonedBy.complete(abandoned.reason()));
          await(release);
        };
    CancelSignal leaving = new CancelSignal();
    CompletableFuture<Void> staying =
        CompletableFuture.runAsync(() -> work.await("k", job, PATIENCE, new CancelSignal()));
    CompletableFuture<Void> left =
        CompletableFuture.runAsync(() -> work.await("k", job, PATIENCE, leaving));
    Awaitility.await().until(() -> work.waiters("k") == 2);

    leaving.cancel("lease lost");

    assertThatThrownBy(left::join).hasCauseInstanceOf(LlmException.Cancelled.class);
    release.countDown();
    staying.get(5, TimeUnit.SECONDS);
    assertThat(abandonedBy).isNotDone();
  }

  @Test
  void whenNobodyWaitsTheRunIsToldItIsAbandoned() throws Exception {
    CompletableFuture<String> abandonedBy = new CompletableFuture<>();
    SharedWork.Work job =
        abandoned -> {
          CountDownLatch gone = new CountDownLatch(1);
          abandoned.onCancel(gone::countDown);
          await(gone);
          abandonedBy.complete(abandoned.reason());
        };
    CancelSignal cancel = new CancelSignal();
    CompletableFuture<Void> only =
        CompletableFuture.runAsync(() -> work.await("k", job, PATIENCE, cancel));

    cancel.cancel("shutdown");

    assertThatThrownBy(only::join).hasCauseInstanceOf(LlmException.Cancelled.class);
    assertThat(abandonedBy.get(5, TimeUnit.SECONDS)).contains("nobody waits");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
