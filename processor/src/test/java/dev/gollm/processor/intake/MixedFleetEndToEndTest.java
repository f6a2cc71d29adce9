package dev.gollm.processor.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gollm.devstack.manager.CompleteCall;
import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.devstack.original.StrandingOptions;
import dev.gollm.devstack.original.StrandingProcessor;
import dev.gollm.devstack.original.StrandingStats;
import dev.gollm.processor.testing.TaskInvariant;
import dev.gollm.processor.testing.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mixed fleet on one manager: one processor that strands what it claims, as the original Go
 * processor does over SSE, and two of ours, on a backlog. The manager's thresholds are shortened
 * (steal after 2 s, cleanup after 6 s; owners keep 5 tasks out of reach of stealing, as on the real
 * one), so what takes minutes there takes seconds here.
 */
@Timeout(120)
class MixedFleetEndToEndTest {
  private static final Logger log = LoggerFactory.getLogger(MixedFleetEndToEndTest.class);
  private static final int BACKLOG = 150;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @Test
  void oursRescueWhatTheOriginalStrandsAndEveryTaskIsCompletedOnce() {
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder()
                .stealAfter(Duration.ofSeconds(2))
                .staleAfter(Duration.ofSeconds(6))
                .stealOwnerMinimum(5),
            OllamaSimulator.Options.builder().slots(6).build())) {
      List<String> ids = stack.manager.submitMany("fleet", BACKLOG);
      try (StrandingProcessor original = startOriginal(stack)) {
        // It reads the task stream first: the replay of 10 pending tasks makes it claim 50.
        await().atMost(PATIENCE).until(() -> original.stats().claimed() == 50);
        assertThat(original.stats().stranded()).isEqualTo(40);

        long started = System.nanoTime();
        startOurs(stack, "ours-a");
        startOurs(stack, "ours-b");
        TaskInvariant.awaitCompleted(stack, ids);
        Duration drained = Duration.ofNanos(System.nanoTime() - started);

        assertEveryTaskCompletedOnce(stack, ids);
        List<TaskRecord> stranded =
            original.strandedIds().stream().map(stack.manager::requireTask).toList();
        assertThat(stranded)
            .as("the tasks the original stranded, completed by ours")
            .allSatisfy(t -> assertThat(t.processorId()).isIn("ours-a", "ours-b"));
        long duplicates = duplicateGenerations(stack, ids);
        report(drained, original.stats(), stranded, duplicates);
        // Issue 16's target. None are expected here (the steal is atomic, heartbeats come 4 times
        // within the threshold), but a whole heartbeat round stalled on a loaded machine may cost
        // one.
        assertThat(duplicates).as("duplicate generations").isLessThanOrEqualTo(BACKLOG / 100);
      }
    }
  }

  private static void startOurs(TestStack stack, String name) {
    stack.startProcessor(
        c -> {
          c.processorId = name;
          c.workerCount = 4;
          c.sseEnabled = true;
          c.pollInterval = Duration.ofSeconds(1);
          c.safetyPollInterval = Duration.ofSeconds(2);
          c.workStealingEnabled = true;
          c.workStealingInterval = Duration.ofMillis(500);
          c.workStealingMaxCount = 2;
          c.cleanupInterval = Duration.ofSeconds(1);
        });
  }

  /** One accepted complete call per task; ours answered each task they completed correctly. */
  private static void assertEveryTaskCompletedOnce(TestStack stack, List<String> ids) {
    List<CompleteCall> accepted =
        stack.completeCalls().stream().filter(CompleteCall::accepted).toList();
    Map<String, Long> completions =
        accepted.stream()
            .collect(Collectors.groupingBy(CompleteCall::taskId, Collectors.counting()));
    assertThat(completions).as("accepted complete calls per task").hasSize(ids.size());
    assertThat(completions.values()).as("accepted complete calls per task").containsOnly(1L);
    // The original's answers come from another prompt: check ours only.
    List<String> completedByOurs =
        accepted.stream()
            .filter(call -> call.processorId() != null && call.processorId().startsWith("ours-"))
            .map(CompleteCall::taskId)
            .toList();
    TaskInvariant.assertHolds(stack, completedByOurs);
  }

  /**
   * Generations beyond the first of each task, from the simulator's records: a generation's user
   * text is its task's product data, with ours and with the original.
   */
  private static long duplicateGenerations(TestStack stack, List<String> ids) {
    Map<String, Long> generations =
        stack.ollama.requests().stream()
            .filter(r -> r.outcome() == RequestRecord.Outcome.DONE && r.user() != null)
            .collect(Collectors.groupingBy(RequestRecord::user, Collectors.counting()));
    long duplicates = 0;
    for (String id : ids) {
      String productData = stack.manager.requireTask(id).productData();
      assertThat(generations).as("generations of %s", productData).containsKey(productData);
      duplicates += generations.get(productData) - 1;
    }
    return duplicates;
  }

  private static void report(
      Duration drained, StrandingStats original, List<TaskRecord> stranded, long duplicates) {
    long afterCleanup = stranded.stream().filter(t -> t.retryCount() > 0).count();
    log.info(
        "mixed fleet: {} tasks drained {} ms after ours started; the original claimed {},"
            + " completed {}, stranded {}: {} stolen by ours, {} requeued by a cleanup;"
            + " duplicate generations {}",
        BACKLOG,
        drained.toMillis(),
        original.claimed(),
        original.completed(),
        stranded.size(),
        stranded.size() - afterCleanup,
        afterCleanup,
        duplicates);
  }

  private static StrandingProcessor startOriginal(TestStack stack) {
    return StrandingProcessor.start(
        StrandingOptions.builder(
                stack.manager.baseUri(), stack.manager.apiKey(), URI.create(stack.ollama.baseUrl()))
            .processorId("original")
            .workers(2)
            // Below the steal threshold, so only what it strands is taken from it.
            .heartbeatInterval(Duration.ofMillis(500))
            .build());
  }
}
