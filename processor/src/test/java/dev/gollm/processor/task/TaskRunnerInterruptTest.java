package dev.gollm.processor.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.processor.cancel.CancelSignal;
import dev.gollm.processor.lease.Lease;
import dev.gollm.processor.lease.LeaseLedger;
import dev.gollm.processor.llm.ChatRequest;
import dev.gollm.processor.llm.Generation;
import dev.gollm.processor.llm.LlmClient;
import dev.gollm.processor.manager.ManagerApi;
import dev.gollm.processor.manager.ManagerException;
import dev.gollm.processor.manager.ManagerTask;
import dev.gollm.processor.metrics.ProcessorMetrics;
import dev.gollm.processor.prompt.PromptBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A hand-back whose thread is interrupted (a shutdown giving up on it) stops retrying. */
class TaskRunnerInterruptTest {
  /** A manager that is down: every call fails as unreachable, until it gives up failing. */
  private static final class DownManager implements ManagerApi {
    private final AtomicInteger calls = new AtomicInteger();

    private void call() {
      // Answers after many calls, so that a runner that does not stop still ends the test.
      if (calls.incrementAndGet() < 500) {
        throw new ManagerException.Unavailable("requeue: ConnectException", null);
      }
    }

    @Override
    public List<ManagerTask> claim(int batchSize) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void heartbeat(String taskId) {
      call();
    }

    @Override
    public void complete(String taskId, TaskReport report) {
      call();
    }

    @Override
    public void requeue(String taskId, String reason) {
      call();
    }

    @Override
    public List<ManagerTask> steal(int maxCount) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void processorHeartbeat(ProcessorLoad load) {}

    @Override
    public CleanupResult cleanup() {
      throw new UnsupportedOperationException();
    }
  }

  private static final LlmClient NO_LLM =
      new LlmClient() {
        @Override
        public void ping() {}

        @Override
        public void ensureModel(String model, CancelSignal cancel) {}

        @Override
        public Generation chat(ChatRequest request, CancelSignal cancel) {
          throw new UnsupportedOperationException();
        }
      };

  @Test
  void anInterruptedHandBackGivesUpInsteadOfRetryingWithoutPause() {
    DownManager manager = new DownManager();
    LeaseLedger ledger = new LeaseLedger(4, 4);
    Backoff backoff =
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1));
    TaskRunner runner =
        new TaskRunner(
            manager,
            NO_LLM,
            new PromptBuilder("gemma2:1b"),
            ledger,
            new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
            new RequeueMemory(10),
            3,
            backoff,
            backoff);
    ledger.reserve(1);
    Lease lease = ledger.admit(new ManagerTask("t-1", "a mug", 0, null, null));

    Thread handBack =
        Thread.ofVirtual()
            .start(
                () -> {
                  Thread.currentThread().interrupt();
                  runner.handBack(lease, "processor shutting down");
                });

    await().atMost(Duration.ofSeconds(60)).until(() -> !handBack.isAlive());
    assertThat(manager.calls.get()).as("manager calls").isEqualTo(1);
    assertThat(ledger.heldCount()).isZero();
  }
}
