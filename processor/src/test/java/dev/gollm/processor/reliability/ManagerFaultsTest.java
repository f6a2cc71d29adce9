package dev.gollm.processor.reliability;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.assertRecovers;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.EndpointFault;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.processor.testing.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager misbehaves while a processor works: error bursts, hangs, restarts, dropped streams, a
 * rotated key. After each, the shared invariant holds and new tasks complete.
 */
@Timeout(180)
class ManagerFaultsTest {
  private static final Duration NEVER = Duration.ofMinutes(10);

  /** A quarter of a second per answer, so faults land while tasks are held. */
  private static final ModelProfile QUARTER_SECOND =
      ModelProfile.fast("gemma2:1b")
          .withTokensPerSecond(80)
          .withAnswerLength(AnswerLength.fixed(20));

  private static TestStack stack(ManagerOptions.Builder manager) {
    return new TestStack(
        manager.faultSeed(7L),
        OllamaSimulator.Options.builder().slots(4).model(QUARTER_SECOND).build());
  }

  /**
   * What each endpoint's caller does with a 5xx is pinned by ClaimerTest, LeaseHeartbeaterTest and
   * OutcomeReporterTest; here the bursts hit claim, heartbeat and complete of a working processor.
   */
  @Test
  void burstsOf503And500OnEveryEndpointDelayTasksButLoseNone() {
    try (TestStack stack = stack(ManagerOptions.builder())) {
      List<String> ids = stack.manager.submitMany("burst", 12);
      stack.manager.faults().setAll(EndpointFault.failing(503, 1.0));
      stack.startProcessor(c -> {});
      await().atMost(PATIENCE).until(() -> stack.manager.faults().injectedCount() >= 2);

      stack.manager.faults().setAll(EndpointFault.failing(500, 0.5));
      await().atMost(PATIENCE).until(() -> stack.manager.faults().injectedCount() >= 8);
      stack.manager.faults().clearAll();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aHangingManagerTimesCallsOutAndWorkResumesOnceTheHangIsLifted() {
    try (TestStack stack =
        stack(
            ManagerOptions.builder()
                .staleAfter(Duration.ofSeconds(2))
                .hangLimit(Duration.ofSeconds(30)))) {
      List<String> ids = stack.manager.submitMany("hang", 12);
      stack.startProcessor(
          c -> {
            c.managerTimeout = Duration.ofSeconds(1);
            // A claim the manager executes after the processor gave up on it leaves tasks
            // claimed by nobody who knows: the cleanup trigger gets them back.
            c.cleanupInterval = Duration.ofMillis(250);
          });
      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) >= 2);

      stack.manager.faults().setAll(EndpointFault.hanging());
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  stack.reachability(0).problems().stream().anyMatch(p -> p.contains("TimedOut")));
      assertThat(stack.manager.faults().hangingRequests()).isPositive();
      stack.manager.faults().clearAll();

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aManagerRestartedOnItsDatabaseMidRunLosesNothing(@TempDir Path dir) {
    try (TestStack stack =
        stack(
            ManagerOptions.builder()
                .database(dir.resolve("manager.db"))
                .staleAfter(Duration.ofSeconds(2)))) {
      List<String> ids = stack.manager.submitMany("restart", 24);
      stack.startProcessor(
          c -> {
            c.sseEnabled = true;
            c.cleanupInterval = Duration.ofMillis(250);
            // The cleanup requeues a task whose heartbeats failed without a task_available event;
            // with push up, the safety poll is what claims it again.
            c.safetyPollInterval = Duration.ofSeconds(1);
          });
      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) >= 4);

      stack.restartManager(b -> b);
      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) >= 12);
      stack.restartManager(b -> b);

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      await().atMost(PATIENCE).until(() -> stack.manager.sseConnectionCount() == 1);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aTaskStreamDroppedAgainAndAgainStillDeliversEveryTask() {
    try (TestStack stack = stack(ManagerOptions.builder())) {
      stack.startProcessor(
          c -> {
            c.sseEnabled = true;
            // Only push brings work: a task submitted while the stream is down arrives with the
            // wake-up of the reconnect.
            c.pollInterval = NEVER;
            c.safetyPollInterval = NEVER;
            // Streams that die young count as failures and back off exponentially from this
            // step (a guard against a flapping manager); a small step keeps ten drops short.
            c.sseReconnectInterval = Duration.ofMillis(10);
          });
      List<String> ids = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        await().atMost(PATIENCE).until(() -> stack.manager.sseConnectionCount() == 1);
        stack.manager.dropSseConnections();
        ids.add(stack.manager.submit("dropped stream round " + round));
      }

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      await().atMost(PATIENCE).until(() -> stack.manager.sseConnectionCount() == 1);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void after401sFromARotatedKeyTheProcessorResumesOnceTheKeysMatchAgain(@TempDir Path dir) {
    try (TestStack stack =
        stack(
            ManagerOptions.builder()
                .database(dir.resolve("manager.db"))
                .staleAfter(Duration.ofSeconds(2)))) {
      List<String> ids = stack.manager.submitMany("rotation", 12);
      stack.startProcessor(
          c -> {
            c.sseEnabled = true;
            c.cleanupInterval = Duration.ofMillis(250);
            // The cleanup requeues a task whose heartbeats failed without a task_available event;
            // with push up, the safety poll is what claims it again.
            c.safetyPollInterval = Duration.ofSeconds(1);
          });
      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) >= 2);

      stack.restartManager(b -> b.apiKey("rotated-key"));
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  stack.reachability(0).problems().stream()
                      .anyMatch(p -> p.contains("rejects INTERNAL_API_KEY (401)")));
      stack.restartManager(b -> b.apiKey(ManagerOptions.DEFAULT_API_KEY));

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 4);
    }
  }

  @Test
  void aSlowAnswerToCompleteIsNotCountedAsALostLease() throws Exception {
    try (ManagerProxy proxy = ManagerProxy.start();
        TestStack stack = stack(ManagerOptions.builder())) {
      proxy.forwardTo(stack.manager.baseUri());
      // The manager stores the result at once; its answer reaches the processor later,
      // while lease heartbeats for the task go on and get 404 (the task is no longer processing).
      proxy.answerNext("complete", 4, ManagerProxy.forwardAndDelay(Duration.ofMillis(500)));
      List<String> ids = stack.manager.submitMany("slowly acknowledged", 4);
      stack.startProcessor(
          c -> {
            c.workerUrl = proxy.baseUri();
            c.heartbeatInterval = Duration.ofMillis(100);
          });

      awaitCompleted(stack, ids);
      await().atMost(PATIENCE).until(() -> proxy.scriptedLeft("complete") == 0);
      assertHolds(stack, ids);
      assertRecovers(stack, 2);
      assertThat(stack.registry(0).counter("processor.leases.lost").count())
          .as("leases counted lost")
          .isZero();
    }
  }
}
