package dev.gollm.processor.reliability;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.assertRecovers;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.Endpoint;
import dev.gollm.devstack.manager.EndpointFault;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.NewTask;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.devstack.process.ProcessorProcess;
import dev.gollm.processor.Processor;
import dev.gollm.processor.testing.ClassPathProcessor;
import dev.gollm.processor.testing.TestConfig;
import dev.gollm.processor.testing.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor itself fails: stopped by SIGTERM or killed by SIGKILL mid-run (each a child JVM),
 * or its lease taken away mid-generation. Nothing is lost, nothing is reported twice.
 */
@Timeout(240)
class ProcessorFaultsTest {
  private static final String MODEL = "gemma2:1b";
  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(120);

  /** Two seconds per answer: long enough to be caught mid-generation. */
  private static final ModelProfile TWO_SECONDS =
      ModelProfile.fast(MODEL).withTokensPerSecond(10).withAnswerLength(AnswerLength.fixed(20));

  @TempDir Path workingDirectory;

  private static OllamaSimulator.Options simulator(ModelProfile model) {
    return OllamaSimulator.Options.builder().slots(4).model(model).build();
  }

  /** Product data of the generations running in the simulator now. */
  private static Set<String> runningInputs(TestStack stack) {
    return stack.ollama.requests().stream()
        .filter(r -> r.outcome() == RequestRecord.Outcome.RUNNING && !r.loadOnly())
        .map(RequestRecord::user)
        .collect(Collectors.toSet());
  }

  private static List<TaskRecord> heldBy(TestStack stack, List<String> ids, String processor) {
    return ids.stream()
        .map(stack.manager::requireTask)
        .filter(t -> t.status() == TaskStatus.PROCESSING && processor.equals(t.processorId()))
        .toList();
  }

  /** A child processor with two workers and two prefetched tasks: it holds four at most. */
  private ProcessorProcess startChild(TestStack stack, String processorId) {
    TestConfig c = stack.config();
    c.processorId = processorId;
    c.workerCount = 2;
    c.prefetch = 2;
    c.shutdownGrace = Duration.ofSeconds(60);
    return ProcessorProcess.start(
        processorId,
        ClassPathProcessor.program().inDirectory(workingDirectory),
        c.environment(),
        List.of(),
        ClassPathProcessor.toTestLog(processorId));
  }

  /** Waits until the child holds four tasks and generates two of them. */
  private static List<TaskRecord> awaitBusy(TestStack stack, List<String> ids, String processor) {
    await()
        .atMost(PROCESS_LIMIT)
        .until(() -> heldBy(stack, ids, processor).size() == 4 && runningInputs(stack).size() == 2);
    return heldBy(stack, ids, processor);
  }

  @Test
  void sigtermMidRunFinishesRunningTasksHandsBackWaitingOnesAndExitsZero() throws Exception {
    try (TestStack stack = new TestStack(simulator(TWO_SECONDS))) {
      List<String> ids = stack.manager.submitMany("drain", 8);
      Set<String> running;
      try (ProcessorProcess child = startChild(stack, "proc-child")) {
        awaitBusy(stack, ids, "proc-child");
        running = runningInputs(stack);

        assertThat(child.terminate(PROCESS_LIMIT)).isZero();
        assertThat(child.output())
            .anySatisfy(line -> assertThat(line).contains("shutdown complete: nothing held"));
      }
      for (String id : ids) {
        TaskRecord t = stack.manager.requireTask(id);
        if (running.contains(t.productData())) {
          assertThat(t.status())
              .as("%s was running", t.productData())
              .isEqualTo(TaskStatus.COMPLETED);
        } else {
          assertThat(t.status())
              .as("%s was not running", t.productData())
              .isEqualTo(TaskStatus.PENDING);
        }
      }
      assertThat(stack.manager.allTasks())
          .filteredOn(t -> "processor shutting down".equals(t.errorMessage()))
          .as("the two waiting tasks were handed back")
          .hasSize(2);
      assertHolds(stack, ids);

      stack.startProcessor(c -> c.processorId = "proc-next");
      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 2);
    }
  }

  @Test
  void theTasksOfAProcessorKilledMidRunAreReturnedByTheCleanupAndCompletedByAnother()
      throws Exception {
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder().staleAfter(Duration.ofSeconds(2)), simulator(TWO_SECONDS))) {
      List<String> ids = stack.manager.submitMany("killed", 8);
      List<TaskRecord> orphans;
      try (ProcessorProcess child = startChild(stack, "proc-doomed")) {
        orphans = awaitBusy(stack, ids, "proc-doomed");
        child.kill();
      }

      stack.startProcessor(
          c -> {
            c.processorId = "proc-survivor";
            c.cleanupInterval = Duration.ofMillis(500);
            c.workStealingEnabled = false;
          });

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      for (TaskRecord orphan : orphans) {
        TaskRecord t = stack.manager.requireTask(orphan.id());
        assertThat(t.processorId()).isEqualTo("proc-survivor");
        assertThat(t.retryCount()).as("requeued by the manager's cleanup").isEqualTo(1);
        assertThat(stack.manager.completeCallsFor(t.id()))
            .extracting(CompleteCall::processorId)
            .containsOnly("proc-survivor");
      }
      assertRecovers(stack, 2);
    }
  }

  @Test
  void theTasksOfAProcessorKilledMidRunAreStolenAndCompletedByAnother() throws Exception {
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder().stealAfter(Duration.ofSeconds(1)).stealOwnerMinimum(0),
            simulator(TWO_SECONDS))) {
      List<String> ids = stack.manager.submitMany("killed", 8);
      List<TaskRecord> orphans;
      try (ProcessorProcess child = startChild(stack, "proc-doomed")) {
        orphans = awaitBusy(stack, ids, "proc-doomed");
        child.kill();
      }

      stack.startProcessor(
          c -> {
            c.processorId = "proc-survivor";
            c.workStealingEnabled = true;
            c.workStealingInterval = Duration.ofMillis(300);
          });

      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      for (TaskRecord orphan : orphans) {
        TaskRecord t = stack.manager.requireTask(orphan.id());
        assertThat(t.processorId()).isEqualTo("proc-survivor");
        assertThat(t.retryCount()).as("stolen, never requeued").isZero();
        assertThat(stack.manager.completeCallsFor(t.id()))
            .extracting(CompleteCall::processorId)
            .containsOnly("proc-survivor");
      }
      assertRecovers(stack, 2);
    }
  }

  @Test
  void aProcessorStoppedWhileTheManagerIsDownStillStopsAndTheCleanupRecoversItsTasks() {
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder()
                .database(workingDirectory.resolve("manager.db"))
                .staleAfter(Duration.ofSeconds(2)),
            simulator(TWO_SECONDS))) {
      List<String> ids = stack.manager.submitMany("stranded", 6);
      Processor stranded =
          stack.startProcessor(
              c -> {
                c.processorId = "proc-stranded";
                c.workerCount = 1;
                c.prefetch = 3;
                c.shutdownGrace = Duration.ofSeconds(1);
              });
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  heldBy(stack, ids, "proc-stranded").size() == 4
                      && runningInputs(stack).size() == 1);

      stack.stopManager();
      // Nothing can be handed back now; the stop must still end, leaving the tasks to cleanup.
      Thread stopping = Thread.ofVirtual().start(stranded::close);
      await().atMost(PATIENCE).until(() -> !stopping.isAlive());

      stack.restartManager(b -> b);
      stack.startProcessor(
          c -> {
            c.processorId = "proc-next";
            c.cleanupInterval = Duration.ofMillis(500);
          });
      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 2);
    }
  }

  @Test
  void aLeaseLostMidGenerationIsCancelledAndOnlyTheNewOwnerReports() {
    // The contested task runs on a slow model, so it is caught mid-generation; others stay fast.
    ModelProfile sixSeconds =
        ModelProfile.fast("slow:1b")
            .withTokensPerSecond(10)
            .withAnswerLength(AnswerLength.fixed(60));
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder().stealAfter(Duration.ofSeconds(1)).stealOwnerMinimum(0),
            OllamaSimulator.Options.builder().slots(4).model(sixSeconds).build())) {
      String id =
          stack
              .manager
              .submit(NewTask.of("a contested mug").withOllamaParams("{\"model\":\"slow:1b\"}"))
              .getFirst();
      stack.startProcessor(
          c -> {
            c.processorId = "proc-a";
            c.workerCount = 1;
          });
      await().atMost(PATIENCE).until(() -> runningInputs(stack).size() == 1);

      // proc-a's heartbeats fail, so its lease goes stale and proc-b takes the task over.
      stack.manager.faults().set(Endpoint.HEARTBEAT, EndpointFault.failing(503, 1.0));
      stack.startProcessor(
          c -> {
            c.processorId = "proc-b";
            c.workStealingEnabled = true;
            c.workStealingInterval = Duration.ofMillis(300);
          });
      await()
          .atMost(PATIENCE)
          .until(() -> "proc-b".equals(stack.manager.requireTask(id).processorId()));
      stack.manager.faults().clearAll();

      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  stack.ollama.requests().stream()
                      .anyMatch(r -> r.outcome() == RequestRecord.Outcome.CANCELLED));
      awaitCompleted(stack, List.of(id));
      assertHolds(stack, List.of(id));
      assertThat(stack.registry(0).counter("processor.leases.lost").count()).isPositive();
      assertThat(stack.manager.completeCallsFor(id))
          .extracting(CompleteCall::processorId)
          .containsOnly("proc-b");
      assertRecovers(stack, 2);
    }
  }
}
