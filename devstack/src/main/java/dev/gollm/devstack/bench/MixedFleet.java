package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.MixedFleetResult.Generation;
import dev.gollm.devstack.bench.MixedFleetResult.TaskOutcome;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.devstack.original.StrandingProcessor;
import dev.gollm.devstack.original.StrandingStats;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 7: a mixed fleet on a manager at the real thresholds, with the real non-atomic steal.
 * One processor that strands what it claims, as the original Go processor does over SSE, takes its
 * share of a backlog first; then two of ours start. One run per work-stealing interval, each on a
 * fresh stack and capped: how long the backlog takes, how the stranded tasks got back (steal or
 * cleanup) and how soon after they became stealable, and what was done twice.
 */
final class MixedFleet implements Scenario {
  static final String NAME = "7 mixed fleet";

  static final int OURS = 2;
  static final int OUR_WORKERS = 3;
  static final int ORIGINAL_WORKERS = 2;

  /** The simulator's slots: one per worker of the fleet. */
  static final int SLOTS = ORIGINAL_WORKERS + OURS * OUR_WORKERS;

  private static final String ORIGINAL = "original";

  /** The replay at connect announces up to this many pending tasks: the original takes them up. */
  private static final int REPLAYED = 10;

  private static final Duration ORIGINAL_TIMEOUT = Duration.ofSeconds(60);

  private final MixedFleetPlan plan;
  private final Duration stealInterval;
  private final String key;
  private final Progress progress;

  /**
   * @param key what tells this run's figure ids apart, e.g. {@code default_interval}
   */
  MixedFleet(MixedFleetPlan plan, Duration stealInterval, String key, Progress progress) {
    this.plan = plan;
    this.stealInterval = stealInterval;
    this.key = key;
    this.progress = progress;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    String run = "steal every " + seconds(stealInterval);
    Map<String, String> settings = plan.processorSettings(OUR_WORKERS, stealInterval);
    progress.begin(
        NAME,
        run
            + ", 1 original + "
            + OURS
            + " × "
            + OUR_WORKERS
            + " workers, backlog of "
            + plan.backlog()
            + ", cap "
            + seconds(plan.cap())
            + ": drain");
    // The real manager's steal: select, then an unconditional update, no pause of our own.
    stack.manager().faults().splitSteals(Duration.ZERO);
    LeaseLog leases = LeaseLog.install(stack.manager().databasePath());
    String prefix = "mixed-" + key;
    List<String> texts = Workload.texts(prefix, plan.backlog());
    List<String> ids = stack.submit(texts);

    Instant start;
    Instant oursReady;
    StrandingStats originalStats;
    Set<String> stranded;
    try (StrandingProcessor original =
        StrandingProcessor.start(
            plan.strandingOptions(
                stack.manager().baseUri(),
                stack.manager().apiKey(),
                URI.create(stack.ollama().baseUrl()),
                ORIGINAL,
                ORIGINAL_WORKERS))) {
      awaitOriginalShare(stack, ids);
      start = Instant.now();
      long t0 = System.nanoTime();
      List<RunningProcessor> ours =
          stack.startProcessors(List.of(prefix + "-a", prefix + "-b"), settings);
      oursReady =
          start.plus(
              ours.stream()
                  .map(RunningProcessor::readyAfter)
                  .min(Duration::compareTo)
                  .orElseThrow());
      Duration left = plan.cap().minusNanos(System.nanoTime() - t0);
      stack.completions().awaitAll(ids, left.isNegative() ? Duration.ZERO : left);
      originalStats = original.stats();
      stranded = original.strandedIds();
    }
    MixedFleetResult result =
        MixedFleetResult.of(
            start,
            oursReady,
            plan.cap(),
            outcomes(stack, ids),
            generations(stack.ollama().requests()),
            leases.events(),
            ORIGINAL,
            stranded,
            plan.stealAfter(),
            MixedFleetPlan.OWNER_MINIMUM);
    results.addAll(result.figures(NAME, key, run, plan.cap(), stealInterval));
    ObjectNode d =
        results.details("7_mixed_fleet_" + key, stack, settings, Workload.TASK_100MS, SLOTS, 0);
    describeSetup(d, originalStats);
    ArrayNode ready = d.putArray("ours_ready_s");
    stack.processors().forEach(p -> ready.add(Units.seconds(p.readyAfter())));
    result.describe(d);
    progress.end(
        String.format(
            Locale.ROOT,
            "%s; %d stranded: %d stolen, %d requeued; %d duplicate generation(s)",
            result.drained()
                ? String.format(Locale.ROOT, "drained in %.1f s", result.drainS())
                : result.done() + " of " + result.tasks() + " done at the cap",
            result.stranded(),
            result.rescues().bySteal(),
            result.rescues().byCleanup(),
            result.duplicateGenerations()));
  }

  /**
   * Waits until the original has claimed its share and finished the tasks it takes up: the replay
   * at connect announces the oldest pending tasks, it claims 5 for each and works only on the
   * announced ones. Once those are completed all its claims have been answered.
   */
  private static void awaitOriginalShare(BenchStack stack, List<String> ids)
      throws InterruptedException {
    List<String> announced = ids.subList(0, Math.min(REPLAYED, ids.size()));
    if (!stack.completions().awaitAll(announced, ORIGINAL_TIMEOUT)) {
      throw new BenchException(
          "the stranding processor did not complete the "
              + announced.size()
              + " tasks announced to it in "
              + ORIGINAL_TIMEOUT
              + " ("
              + stack.completions().missing(announced)
              + " missing)");
    }
  }

  private void describeSetup(ObjectNode d, StrandingStats original) {
    ObjectNode m = d.putObject("manager");
    m.put("steal_after_s", Units.seconds(plan.stealAfter()));
    m.put("stale_after_s", Units.seconds(plan.staleAfter()));
    m.put("steal_owner_minimum", MixedFleetPlan.OWNER_MINIMUM);
    m.put("steal", "split, no added pause");
    d.put("time_scale", plan.scale());
    d.put("cap_s", Units.seconds(plan.cap()));
    d.put("work_stealing_interval_s", Units.seconds(stealInterval));
    ObjectNode o = d.putObject("original");
    o.put("workers", ORIGINAL_WORKERS);
    o.put("announced", original.announced());
    o.put("claimed", original.claimed());
    o.put("stranded", original.stranded());
    o.put("generated", original.generated());
    o.put("completed", original.completed());
    o.put("lost_on_heartbeat", original.lostOnHeartbeat());
  }

  private static List<TaskOutcome> outcomes(BenchStack stack, List<String> ids) {
    Map<String, TaskRecord> byId =
        stack.manager().allTasks().stream()
            .collect(Collectors.toMap(TaskRecord::id, Function.identity()));
    List<TaskOutcome> outcomes = new ArrayList<>(ids.size());
    CompletionTracker completions = stack.completions();
    for (String id : ids) {
      TaskRecord task = byId.get(id);
      if (task == null) {
        throw new BenchException("task " + id + " is missing from the manager's database");
      }
      outcomes.add(
          new TaskOutcome(
              id,
              task.productData(),
              Instant.ofEpochMilli(task.createdAt()),
              completions.completedAt(id).orElse(null),
              completions.acceptedCalls(id)));
    }
    return outcomes;
  }

  private static List<Generation> generations(List<RequestRecord> records) {
    return records.stream()
        .filter(r -> r.user() != null)
        .map(r -> new Generation(r.user(), r.arrival(), r.outcome() == RequestRecord.Outcome.DONE))
        .toList();
  }

  private static String seconds(Duration d) {
    return BenchReport.number(Units.seconds(d)) + " s";
  }
}
