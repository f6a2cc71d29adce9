package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.processor.testing.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Intake end to end: push, polling, fallback, stealing, over real HTTP against devstack. */
@Timeout(120)
class IntakeEndToEndTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Duration NEVER = Duration.ofMinutes(10);

  @Test
  void aTaskSubmittedToAnIdlePushProcessorIsStartedWithoutWaitingForAPoll() {
    try (TestStack stack = new TestStack()) {
      stack.startProcessor(
          c -> {
            c.sseEnabled = true;
            c.pollInterval = NEVER;
            c.safetyPollInterval = NEVER;
          });
      await().atMost(PATIENCE).until(() -> stack.manager.sseConnectionCount() == 1);

      String id = stack.manager.submit("pushed mug");

      await()
          .atMost(PATIENCE)
          .until(() -> stack.manager.requireTask(id).status() == TaskStatus.COMPLETED);
    }
  }

  @Test
  void whenTheManagerKeepsDroppingTheStreamTasksStillArriveWithinTheSafetyPoll() {
    try (TestStack stack = new TestStack()) {
      stack.startProcessor(
          c -> {
            c.sseEnabled = true;
            c.pollInterval = NEVER;
            c.safetyPollInterval = Duration.ofSeconds(1);
          });
      await().atMost(PATIENCE).until(() -> stack.manager.sseConnectionCount() == 1);
      for (int round = 0; round < 5; round++) {
        stack.manager.dropSseConnections();
        stack.manager.submit("dropped round " + round);
        int done = round + 1;
        await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) == done);
      }
      await().atMost(PATIENCE).until(() -> stack.manager.sseConnectionCount() == 1);
    }
  }

  @Test
  void refusedPushFallsBackToPollingAndReturnsToPushWhenTheStreamIsBack() {
    try (TestStack stack = new TestStack()) {
      stack.manager.faults().refuseSse(true);
      stack.startProcessor(
          c -> {
            c.sseEnabled = true;
            c.sseMaxReconnectAttempts = 2;
            c.pollInterval = Duration.ofMillis(300);
            c.safetyPollInterval = NEVER;
          });

      String polled = stack.manager.submit("polled while push is refused");
      await()
          .atMost(PATIENCE)
          .until(() -> stack.manager.requireTask(polled).status() == TaskStatus.COMPLETED);

      stack.manager.faults().refuseSse(false);
      await().atMost(PATIENCE).until(() -> stack.manager.sseConnectionCount() == 1);
      // Back on push, the poll cadence is the safety one (never, here): only push can deliver.
      String pushed = stack.manager.submit("pushed once the stream is back");
      await()
          .atMost(PATIENCE)
          .until(() -> stack.manager.requireTask(pushed).status() == TaskStatus.COMPLETED);
    }
  }

  @Test
  void pollingUnderABacklogClaimsAsCapacityFreesNotByTheInterval() {
    try (TestStack stack = new TestStack(OllamaSimulator.Options.builder().slots(4).build())) {
      stack.manager.submitMany("backlog", 300);
      stack.startProcessor(
          c -> {
            c.workerCount = 4;
            c.pollInterval = NEVER;
          });
      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) == 300);
    }
  }

  @Test
  void theTasksOfAFrozenProcessorAreStolenByTheOthersAndCompletedExactlyOnce() throws Exception {
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder().stealAfter(Duration.ofSeconds(1)).stealOwnerMinimum(0),
            OllamaSimulator.Options.builder().slots(4).build())) {
      List<String> ids = stack.manager.submitMany("frozen", 8);
      claimAndFreeze(stack, "proc-frozen", 8);
      assertThat(stack.manager.count(TaskStatus.PROCESSING)).isEqualTo(8);

      for (String name : List.of("proc-a", "proc-b")) {
        stack.startProcessor(
            c -> {
              c.processorId = name;
              c.workerCount = 2;
              c.workStealingEnabled = true;
              c.workStealingInterval = Duration.ofMillis(300);
              c.workStealingMaxCount = 2;
            });
      }

      await().atMost(PATIENCE).until(() -> stack.manager.count(TaskStatus.COMPLETED) == 8);
      Map<String, Long> completions =
          stack.manager.completeCalls().stream()
              .filter(CompleteCall::accepted)
              .collect(Collectors.groupingBy(CompleteCall::taskId, Collectors.counting()));
      assertThat(completions).hasSize(8).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
      assertThat(ids)
          .allSatisfy(
              id -> {
                TaskRecord t = stack.manager.requireTask(id);
                assertThat(t.processorId()).isIn("proc-a", "proc-b");
                assertThat(t.result()).startsWith("sim-");
              });
    }
  }

  /** Claims tasks as a processor that then never heartbeats nor completes: a frozen one. */
  private static void claimAndFreeze(TestStack stack, String processor, int count)
      throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(stack.manager.baseUrl() + "/api/internal/claim"))
                  .header("Authorization", "Bearer " + stack.manager.apiKey())
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"processor_id\":\"" + processor + "\",\"batch_size\":" + count + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).contains("\"claimed_count\":" + count);
    }
  }
}
