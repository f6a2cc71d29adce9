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
 * processor does over SSE, and two of ours, on a backlog. The manager runs its steal the real way
 * (select, pause, unconditional update: two stealers can both be handed a task) and its thresholds
 * keep the real ratios shortened (steal after 2 s instead of 60 s, cleanup after 20 s instead of 5
 * min; owners keep 5 tasks out of reach of stealing), so what takes minutes there takes seconds
 * here. Ours steal every 500 ms (15 s on that scale) with the seed's WORK_STEALING_MAX_COUNT and
 * WORK_STEALING_MIN_CAPACITY, while the backlog keeps them busy: stealing, not the cleanup, must
 * rescue what the original strands.
 */
@Timeout(120)
class MixedFleetEndToEndTest {
  private static final Logger log = LoggerFactory.getLogger(MixedFleetEndToEndTest.class);
  private static final int BACKLOG = 150;
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Duration STEAL_AFTER = Duration.ofSeconds(2);
  private static final Duration STALE_AFTER = Duration.ofSeconds(20);
  private static final int OWNER_KEEPS = 5;

  @Test
  void oursRescueWhatTheOriginalStrandsBeforeTheCleanupAndEveryTaskIsCompletedOnce() {
    try (TestStack stack =
        new TestStack(
            ManagerOptions.builder()
                .stealAfter(STEAL_AFTER)
                .staleAfter(STALE_AFTER)
                .stealOwnerMinimum(OWNER_KEEPS),
            OllamaSimulator.Options.builder().slots(6).build())) {
      stack.manager.faults().splitSteals(Duration.ofMillis(50));
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
        // A cleanup requeue counts a retry: a stranded task with none was stolen before the
        // cleanup threshold. Only the tasks its owner keeps out of stealing's reach may wait.
        List<TaskRecord> afterCleanup = stranded.stream().filter(t -> t.retryCount() > 0).toList();
        assertThat(afterCleanup)
            .as("stranded tasks left to the cleanup (an owner keeps %d)", OWNER_KEEPS)
            .hasSizeLessThanOrEqualTo(OWNER_KEEPS);
        long duplicates = duplicateGenerations(stack, ids);
        report(drained, original.stats(), stranded.size(), afterCleanup.size(), duplicates, stack);
        // Issue 16's target. Two stealers handed the same task mostly find out by the confirming
        // heartbeat before generating; a whole heartbeat round stalled on a loaded machine may
        // cost one more.
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
    TaskInvariant.awaitCallsRecorded(stack, ids);
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
      Duration drained,
      StrandingStats original,
      int stranded,
      int afterCleanup,
      long duplicates,
      TestStack stack) {
    log.info(
        "mixed fleet: {} tasks drained {} ms after ours started; the original claimed {},"
            + " completed {}, stranded {}: {} stolen by ours, {} requeued by a cleanup;"
            + " duplicate generations {}; leases lost by ours {} and {}",
        BACKLOG,
        drained.toMillis(),
        original.claimed(),
        original.completed(),
        stranded,
        stranded - afterCleanup,
        afterCleanup,
        duplicates,
        leasesLost(stack, 0),
        leasesLost(stack, 1));
  }

  private static long leasesLost(TestStack stack, int processor) {
    return (long) stack.registry(processor).get("processor.leases.lost").counter().count();
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
