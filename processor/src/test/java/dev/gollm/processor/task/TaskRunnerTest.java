package dev.gollm.processor.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.lease.ClaimedTask;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.lease.Outcome;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.llm.LlmException;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.prompt.PromptBuilder;
import dev.gollm.processor.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30) // a hang guard only
class TaskRunnerTest {
  private static final int MAX_RETRIES = 2;
  private static final Generation ANSWER =
      new Generation(
          "a blue mug",
          "stop",
          7,
          Duration.ofMillis(300),
          12,
          Duration.ZERO,
          Duration.ofMillis(50),
          Duration.ofMillis(400));

  /** An LLM that answers each chat with the next scripted step. */
  private static final class ScriptedLlm implements LlmClient {
    interface Step {
      Generation answer(CancelSignal cancel);
    }

    final Deque<Step> chats = new ArrayDeque<>();
    final Deque<Step> ensures = new ArrayDeque<>();
    int chatCalls;

    ScriptedLlm then(Step step) {
      chats.add(step);
      return this;
    }

    @Override
    public void ping() {}

    @Override
    public void ensureModel(String model, CancelSignal cancel) {
      Step step = ensures.poll();
      if (step != null) {
        step.answer(cancel);
      }
    }

    @Override
    public Generation chat(ChatRequest request, CancelSignal cancel) {
      chatCalls++;
      Step step = chats.poll();
      if (step == null) {
        throw new AssertionError("no more chats expected");
      }
      return step.answer(cancel);
    }
  }

  private static Generation failing(CancelSignal c) {
    throw new LlmException.Retryable("Ollama answered 500", null);
  }

  private final ManualScheduler scheduler = new ManualScheduler().autoAdvance();
  private final LeaseLedger ledger = new LeaseLedger(4, 4, scheduler);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProcessorMetrics metrics = new ProcessorMetrics(registry, Clock.systemUTC());
  private final RequeueMemory requeued = new RequeueMemory(10);
  private final ScriptedLlm llm = new ScriptedLlm();

  private TaskRunner runner(ManualScheduler time) {
    return new TaskRunner(
        llm,
        new PromptBuilder("gemma2:1b"),
        metrics,
        requeued,
        MAX_RETRIES,
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1)),
        time);
  }

  private Lease running(String id, String productData) {
    ledger.reserve(1);
    Lease lease = ledger.admit(new ClaimedTask(id, productData, 0, null), 0L);
    ledger.start(lease);
    return lease;
  }

  @Test
  void aGeneratedAnswerCompletesTheTaskWithItsFigures() {
    llm.then(c -> ANSWER);

    Outcome outcome = runner(scheduler).run(running("t", "a mug"));

    assertThat(outcome).isEqualTo(new Outcome.Completed("a blue mug", 7, Duration.ofMillis(400)));
  }

  @Test
  void anInvalidTaskFailsAtOnceWithoutAskingTheLlm() {
    Outcome outcome = runner(scheduler).run(running("t", "   "));

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome).kind()).isEqualTo(Outcome.Kind.INVALID_TASK);
    assertThat(((Outcome.Failed) outcome).reason()).contains("product_data is empty");
    assertThat(llm.chatCalls).isZero();
  }

  @Test
  void aPermanentLlmErrorFailsTheTaskAtOnce() {
    llm.then(
        c -> {
          throw new LlmException.Permanent("model nope:7b cannot be pulled", null);
        });

    Outcome outcome = runner(scheduler).run(running("t", "a mug"));

    assertThat(outcome)
        .isEqualTo(new Outcome.Failed(Outcome.Kind.REJECTED, "model nope:7b cannot be pulled"));
    assertThat(metrics.snapshot().tasksRetried()).isZero();
  }

  @Test
  void retryableErrorsAreRetriedWithBackoffThenTheAnswerCompletes() {
    llm.then(TaskRunnerTest::failing).then(TaskRunnerTest::failing).then(c -> ANSWER);

    Outcome outcome = runner(scheduler).run(running("t", "a mug"));

    assertThat(outcome).isInstanceOf(Outcome.Completed.class);
    assertThat(scheduler.requestedDelays()).hasSize(2);
    assertThat(metrics.snapshot().tasksRetried()).isEqualTo(2);
  }

  @Test
  void retriesAreCountedByTheKindOfFailure() {
    llm.then(
            c -> {
              throw new LlmException.Retryable(
                  LlmException.Failure.BUSY, "Ollama answered 503", null);
            })
        .then(TaskRunnerTest::failing)
        .then(c -> ANSWER);

    runner(scheduler).run(running("t", "a mug"));

    assertThat(registry.counter("processor.task.retries", "kind", "busy").count()).isEqualTo(1);
    assertThat(registry.counter("processor.task.retries", "kind", "other").count()).isEqualTo(1);
  }

  @Test
  void retriesExhaustedHandTheTaskBackTheFirstTimeAndFailItTheSecond() {
    TaskRunner runner = runner(scheduler);
    for (int i = 0; i < MAX_RETRIES + 1; i++) {
      llm.then(TaskRunnerTest::failing);
    }
    Lease first = running("t", "a mug");

    assertThat(runner.run(first))
        .isEqualTo(new Outcome.HandBack("gave up after 3 attempts: Ollama answered 500"));

    ledger.finish(first, new Outcome.Drop("handed back")); // the manager hands it out again
    for (int i = 0; i < MAX_RETRIES + 1; i++) {
      llm.then(TaskRunnerTest::failing);
    }
    assertThat(runner.run(running("t", "a mug")))
        .isEqualTo(
            new Outcome.Failed(
                Outcome.Kind.RETRIES_EXHAUSTED, "gave up after 3 attempts: Ollama answered 500"));
  }

  @Test
  void aTaskThatSucceedsAfterAHandBackIsForgotten() {
    requeued.remember("t", "earlier failure");
    llm.then(c -> ANSWER);

    runner(scheduler).run(running("t", "a mug"));

    assertThat(requeued.wasRequeued("t")).isFalse();
  }

  @Test
  void aModelMissingIsPulledOnceMoreThenFailsTheTask() {
    llm.then(
            c -> {
              throw new LlmException.ModelMissing("model gone");
            })
        .then(
            c -> {
              throw new LlmException.ModelMissing("model gone");
            });

    Outcome outcome = runner(scheduler).run(running("t", "a mug"));

    assertThat(outcome)
        .isEqualTo(
            new Outcome.Failed(
                Outcome.Kind.MODEL_MISSING,
                "model gemma2:1b is missing even after a pull: model gone"));
    assertThat(llm.chatCalls).isEqualTo(2);
  }

  @Test
  void aLeaseLostMidGenerationDropsTheTask() {
    Lease lease = running("t", "a mug");
    llm.then(
        c -> {
          ledger.lose(lease, "lease lost: 404"); // what the heartbeater does
          throw new LlmException.Cancelled(c.reason());
        });

    assertThat(runner(scheduler).run(lease)).isEqualTo(new Outcome.Drop("lease lost: 404"));
  }

  @Test
  void aShutdownMidGenerationHandsTheTaskBack() {
    Lease lease = running("t", "a mug");
    llm.then(
        c -> {
          lease.cancel().cancel("shutdown grace period over");
          throw new LlmException.Cancelled(c.reason());
        });

    assertThat(runner(scheduler).run(lease))
        .isEqualTo(new Outcome.HandBack(TaskRunner.SHUTDOWN_REASON));
  }

  @Test
  void aLeaseLostDuringTheBackoffEndsTheWaitAndDropsTheTask() throws Exception {
    ManualScheduler manual = new ManualScheduler(); // the backoff never ends by itself
    Lease lease = running("t", "a mug");
    llm.then(TaskRunnerTest::failing);
    CompletableFuture<Outcome> outcome =
        CompletableFuture.supplyAsync(() -> runner(manual).run(lease), Thread::startVirtualThread);
    manual.awaitPending(1);

    ledger.lose(lease, "lease lost: 404");

    assertThat(outcome.get()).isEqualTo(new Outcome.Drop("lease lost: 404"));
  }

  @Test
  void aLeaseLostWhileWaitingForAModelPullStopsTheWait() throws Exception {
    Lease lease = running("t", "a mug");
    CountDownLatch waitingForPull = new CountDownLatch(1);
    llm.ensures.add(
        cancel -> {
          // Like the model catalog: wait for the shared pull, or until this task is cancelled.
          CountDownLatch cancelled = new CountDownLatch(1);
          cancel.onCancel(cancelled::countDown);
          waitingForPull.countDown();
          try {
            cancelled.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new LlmException.Cancelled(cancel.reason());
        });
    CompletableFuture<Outcome> outcome =
        CompletableFuture.supplyAsync(
            () -> runner(scheduler).run(lease), Thread::startVirtualThread);
    waitingForPull.await();

    ledger.lose(lease, "lease lost: 404");

    await().until(outcome::isDone);
    assertThat(outcome.get()).isEqualTo(new Outcome.Drop("lease lost: 404"));
    assertThat(llm.chatCalls).isZero();
    assertThat(List.copyOf(llm.chats)).isEmpty();
  }
}
