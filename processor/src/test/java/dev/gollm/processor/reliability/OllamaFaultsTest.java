package dev.gollm.processor.reliability;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.assertRecovers;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static dev.gollm.processor.testing.TaskInvariant.awaitFinal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.PullFailure;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.processor.testing.TestStack;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ollama misbehaves while a processor works: error statuses, a hang, broken, malformed and stalled
 * streams, a model that disappears, a pull that fails for good. After each, the shared invariant
 * holds and new tasks complete.
 */
@Timeout(180)
class OllamaFaultsTest {
  private static final String MODEL = "gemma2:1b";

  /** A quarter of a second per answer, so stream faults hit answers in progress. */
  private static final ModelProfile QUARTER_SECOND =
      ModelProfile.fast(MODEL).withTokensPerSecond(80).withAnswerLength(AnswerLength.fixed(20));

  private static TestStack stack(int slots) {
    return new TestStack(
        OllamaSimulator.Options.builder().slots(slots).model(QUARTER_SECOND).build());
  }

  private static long requests(TestStack stack, RequestRecord.Outcome outcome) {
    return stack.ollama.requests().stream().filter(r -> r.outcome() == outcome).count();
  }

  @Test
  void ollamaBusy503sAreRetriedUntilTheTasksComplete() {
    try (TestStack stack = stack(4)) {
      stack.ollama.faults().errorRate(1.0, 503);
      List<String> ids = stack.manager.submitMany("busy", 8);
      stack.startProcessor(c -> c.maxRetries = 6);
      await().atMost(PATIENCE).until(() -> stack.ollama.stats().errors() >= 4);

      stack.ollama.faults().clear();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertThat(stack.metrics(0).snapshot().tasksRetried()).isGreaterThanOrEqualTo(4);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void persistent500sFailEachTaskWithTheReasonAfterOneRequeue() {
    try (TestStack stack = stack(4)) {
      stack.ollama.faults().errorRate(1.0, 500);
      List<String> ids = stack.manager.submitMany("broken", 3);
      stack.startProcessor(c -> c.maxRetries = 1);

      awaitFinal(stack, ids);
      assertHolds(stack, ids);
      assertThat(ids)
          .allSatisfy(
              id -> {
                TaskRecord t = stack.manager.requireTask(id);
                assertThat(t.errorMessage()).contains("gave up after 2 attempts").contains("500");
                assertThat(t.retryCount()).as("requeued once before failing").isEqualTo(1);
              });

      stack.ollama.faults().clear();
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aHangingOllamaIsTimedOutAndRetriedOnceTheHangIsLifted() {
    try (TestStack stack = stack(4)) {
      stack.ollama.faults().hang(Duration.ofSeconds(60));
      List<String> ids = stack.manager.submitMany("hang", 8);
      stack.startProcessor(
          c -> {
            c.requestTimeout = Duration.ofSeconds(1);
            c.maxRetries = 8;
          });
      await().atMost(PATIENCE).until(() -> stack.metrics(0).snapshot().tasksRetried() >= 4);

      stack.ollama.faults().liftHang();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aStreamBrokenOffMidAnswerIsRetriedAndNoPartialAnswerIsReported() {
    try (TestStack stack = stack(4)) {
      stack.ollama.faults().disconnectAfterTokens(3);
      List<String> ids = stack.manager.submitMany("disconnect", 8);
      stack.startProcessor(c -> c.maxRetries = 6);
      await().atMost(PATIENCE).until(() -> requests(stack, RequestRecord.Outcome.ERROR) >= 4);

      stack.ollama.faults().clear();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids); // every result is the whole answer
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aMalformedLineInTheStreamIsRetriedAndNoPartialAnswerIsReported() {
    try (TestStack stack = stack(4)) {
      stack.ollama.faults().malformedLineAfterTokens(2);
      List<String> ids = stack.manager.submitMany("malformed", 8);
      stack.startProcessor(c -> c.maxRetries = 6);
      await().atMost(PATIENCE).until(() -> stack.metrics(0).snapshot().tasksRetried() >= 4);

      stack.ollama.faults().clear();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aStreamThatStallsBetweenTokensIsAbortedAndRetried() {
    try (TestStack stack = stack(16)) {
      stack.ollama.faults().stallAfterTokens(2, Duration.ofSeconds(2));
      List<String> ids = stack.manager.submitMany("stall", 8);
      stack.startProcessor(
          c -> {
            c.llmStream = true;
            c.streamIdleTimeout = Duration.ofMillis(500);
            c.maxRetries = 6;
          });
      await().atMost(PATIENCE).until(() -> stack.metrics(0).snapshot().tasksRetried() >= 4);

      stack.ollama.faults().clear();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aModelThatDisappearsIsPulledAgainAndTheTasksComplete() {
    try (TestStack stack = stack(4)) {
      List<String> ids = stack.manager.submitMany("vanishing model", 16);
      stack.startProcessor(c -> {});
      await().atMost(PATIENCE).until(() -> stack.ollama.stats().done() >= 4);

      assertThat(stack.ollama.removeModel(MODEL)).isTrue();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertThat(stack.ollama.stats().pulls()).isPositive();
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aPullThatFailsFinallyFailsTheTasksWithTheReasonAndALaterPullRecovers() {
    try (TestStack stack = stack(4)) {
      stack.ollama.faults().failPulls(PullFailure.FINAL);
      stack.ollama.removeModel(MODEL);
      List<String> ids = stack.manager.submitMany("unpullable", 3);
      stack.startProcessor(c -> {});

      awaitFinal(stack, ids);
      assertThat(ids)
          .allSatisfy(
              id ->
                  assertThat(stack.manager.requireTask(id).errorMessage())
                      .contains("cannot be pulled")
                      .contains("file does not exist"));

      stack.ollama.faults().failPulls(PullFailure.NONE);
      assertRecovers(stack, 4);
      assertHolds(stack, ids);
    }
  }
}
