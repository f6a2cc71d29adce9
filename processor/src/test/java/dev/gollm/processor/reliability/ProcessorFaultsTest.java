package dev.gollm.processor.reliability;

import static dev.gollm.processor.testing.TaskInvariant.PATIENCE;
import static dev.gollm.processor.testing.TaskInvariant.assertHolds;
import static dev.gollm.processor.testing.TaskInvariant.assertRecovers;
import static dev.gollm.processor.testing.TaskInvariant.awaitCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.manager.TaskStatus;
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
 * or stopped while the manager is down. Nothing is lost, nothing is reported twice.
 *
 * <p>Generations are held at the simulator (its hang fault) until the test lifts the hold, so a
 * task is "running" for exactly as long as the test needs, and answers are fast otherwise.
 */
@Timeout(240)
class ProcessorFaultsTest {
  private static final String MODEL = "gemma2:1b";
  private static final Duration PROCESS_LIMIT = Duration.ofSeconds(120);

  @TempDir Path workingDirectory;

  private static OllamaSimulator.Options simulator() {
    return OllamaSimulator.Options.builder().slots(4).model(ModelProfile.fast(MODEL)).build();
  }

  /** From now on generations hold their slot without answering until {@link #release}. */
  private static void holdGenerations(TestStack stack) {
    stack.ollama.faults().hang(PROCESS_LIMIT);
  }

  private static void release(TestStack stack) {
    stack.ollama.faults().liftHang();
  }

  /**
   * Product data of the generations running in the simulator now: holding a slot (a request counts
   * as running from its arrival, before its body is read, so the start is what says it runs).
   */
  private static Set<String> runningInputs(TestStack stack) {
    return stack.ollama.requests().stream()
        .filter(
            r -> r.outcome() == RequestRecord.Outcome.RUNNING && !r.loadOnly() && r.start() != null)
        .map(RequestRecord::user)
        .collect(Collectors.toSet());
  }

  /** Tasks handed back by a stopping processor. */
  private static long handedBack(TestStack stack) {
    return stack.manager.allTasks().stream()
        .filter(t -> "processor shutting down".equals(t.errorMessage()))
        .count();
  }

  private static List<TaskRecord> heldBy(TestStack stack, List<String> ids, String processor) {
    return ids.stream()
        .map(stack.manager::requireTask)
        .filter(t -> t.status() == TaskStatus.PROCESSING && processor.equals(t.processorId()))
        .toList();
  }

  /**
   * A child processor with two workers and two prefetched tasks: it holds four at most. Its held
   * generations never time out.
   */
  private ProcessorProcess startChild(TestStack stack, String processorId) {
    TestConfig c = stack.config();
    c.processorId = processorId;
    c.workerCount = 2;
    c.prefetch = 2;
    c.shutdownGrace = PROCESS_LIMIT;
    c.requestTimeout = PROCESS_LIMIT;
    return ProcessorProcess.start(
        processorId,
        ClassPathProcessor.program().inDirectory(workingDirectory),
        c.environment(),
        List.of(),
        ClassPathProcessor.toTestLog(processorId));
  }

  /** Waits until the child holds four tasks and generates (is held on) two of them. */
  private static List<TaskRecord> awaitBusy(TestStack stack, List<String> ids, String processor) {
    await()
        .atMost(PROCESS_LIMIT)
        .until(() -> heldBy(stack, ids, processor).size() == 4 && runningInputs(stack).size() == 2);
    return heldBy(stack, ids, processor);
  }

  @Test
  void sigtermMidRunFinishesRunningTasksHandsBackWaitingOnesAndExitsZero() throws Exception {
    try (TestStack stack = new TestStack(simulator())) {
      List<String> ids = stack.manager.submitMany("drain", 8);
      holdGenerations(stack);
      Set<String> running;
      try (ProcessorProcess child = startChild(stack, "proc-child")) {
        awaitBusy(stack, ids, "proc-child");
        running = runningInputs(stack);

        child.handle().destroy(); // SIGTERM, without waiting for the exit
        await().atMost(PROCESS_LIMIT).until(() -> handedBack(stack) == 2);
        release(stack);

        assertThat(child.awaitExit(PROCESS_LIMIT)).isZero();
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
      assertThat(handedBack(stack)).as("the two waiting tasks were handed back").isEqualTo(2);
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
        new TestStack(ManagerOptions.builder().staleAfter(Duration.ofSeconds(2)), simulator())) {
      List<String> ids = stack.manager.submitMany("killed", 8);
      holdGenerations(stack);
      List<TaskRecord> orphans;
      try (ProcessorProcess child = startChild(stack, "proc-doomed")) {
        orphans = awaitBusy(stack, ids, "proc-doomed");
        child.kill();
      }
      release(stack);

      stack.startProcessor(
          c -> {
            c.processorId = "proc-survivor";
            c.cleanupInterval = Duration.ofMillis(250);
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
            simulator())) {
      List<String> ids = stack.manager.submitMany("killed", 8);
      holdGenerations(stack);
      List<TaskRecord> orphans;
      try (ProcessorProcess child = startChild(stack, "proc-doomed")) {
        orphans = awaitBusy(stack, ids, "proc-doomed");
        child.kill();
      }
      release(stack);

      stack.startProcessor(
          c -> {
            c.processorId = "proc-survivor";
            c.workStealingEnabled = true;
            c.workStealingInterval = Duration.ofMillis(200);
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
            simulator())) {
      List<String> ids = stack.manager.submitMany("stranded", 6);
      holdGenerations(stack);
      Processor stranded =
          stack.startProcessor(
              c -> {
                c.processorId = "proc-stranded";
                c.workerCount = 1;
                c.prefetch = 3;
                c.requestTimeout = PROCESS_LIMIT;
                c.shutdownGrace = Duration.ofMillis(500);
                c.reportDeadline = Duration.ofMillis(500);
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
      release(stack);

      stack.restartManager(b -> b);
      stack.startProcessor(
          c -> {
            c.processorId = "proc-next";
            c.cleanupInterval = Duration.ofMillis(250);
          });
      awaitCompleted(stack, ids);
      assertHolds(stack, ids);
      assertRecovers(stack, 2);
    }
  }
}
