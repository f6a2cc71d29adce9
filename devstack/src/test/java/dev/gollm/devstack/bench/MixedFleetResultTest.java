package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gollm.devstack.bench.MixedFleetResult.Generation;
import dev.gollm.devstack.bench.MixedFleetResult.TaskOutcome;
import dev.gollm.devstack.manager.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MixedFleetResultTest {
  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
  private static final Duration CAP = Duration.ofSeconds(300);
  private static final Duration STEAL_AFTER = Duration.ofSeconds(60);
  private static final Duration STEAL_INTERVAL = Duration.ofSeconds(10);
  private static final String ORIGINAL = "original";

  private static Instant at(double seconds) {
    return START.plusMillis(Math.round(seconds * 1000));
  }

  private static long ms(double seconds) {
    return at(seconds).toEpochMilli();
  }

  /** A task created at the start, completed once at {@code doneAt} s (null: never). */
  private static TaskOutcome task(String id, Double doneAt) {
    return new TaskOutcome(id, "text " + id, START, doneAt == null ? null : at(doneAt), 1);
  }

  private static Generation generation(String id, double arrival) {
    return new Generation("text " + id, at(arrival), true);
  }

  private static LeaseEvent steal(String id, String from, String to, double heartbeat, double at) {
    return new LeaseEvent(
        id, TaskStatus.PROCESSING, TaskStatus.PROCESSING, from, to, ms(heartbeat), ms(at));
  }

  private static LeaseEvent requeue(String id, double heartbeat, double at) {
    return new LeaseEvent(
        id, TaskStatus.PROCESSING, TaskStatus.PENDING, ORIGINAL, null, ms(heartbeat), ms(at));
  }

  private static MixedFleetResult result(
      List<TaskOutcome> tasks,
      List<Generation> generations,
      List<LeaseEvent> events,
      Set<String> stranded) {
    return result(START, tasks, generations, events, stranded);
  }

  private static MixedFleetResult result(
      Instant oursReady,
      List<TaskOutcome> tasks,
      List<Generation> generations,
      List<LeaseEvent> events,
      Set<String> stranded) {
    return MixedFleetResult.of(
        START, oursReady, CAP, tasks, generations, events, ORIGINAL, stranded, STEAL_AFTER);
  }

  private static Map<String, Figure> byId(List<Figure> figures) {
    return figures.stream()
        .collect(Collectors.toMap(f -> f.id().replace("mixed_fleet_k_", ""), Function.identity()));
  }

  @Test
  void theDrainTimeRunsFromTheStartToTheLastFirstAcceptedComplete() {
    MixedFleetResult r =
        result(
            List.of(task("a", 2.0), task("b", 95.5), task("c", 40.0)),
            List.of(generation("a", 1), generation("b", 95), generation("c", 39)),
            List.of(),
            Set.of());

    assertThat(r.drained()).isTrue();
    assertThat(r.done()).isEqualTo(3);
    assertThat(r.drainS()).isEqualTo(95.5);
  }

  @Test
  void aBacklogNotDoneByTheCapHasNoDrainTimeAndCountsOnlyWhatWasDoneByThen() {
    MixedFleetResult r =
        result(
            List.of(task("a", 2.0), task("b", 300.5), task("c", null)),
            List.of(generation("a", 1), generation("b", 300)),
            List.of(),
            Set.of());

    assertThat(r.drained()).isFalse();
    assertThat(r.done()).isEqualTo(1);
    assertThat(r.drainS()).isNaN();
    Map<String, Figure> figures = byId(r.figures("7 x", "k", "run", CAP, STEAL_INTERVAL));
    assertThat(figures.get("drain_s").label()).contains("not drained within the 300 s cap");
    assertThat(figures.get("done_tasks").value()).isEqualTo(1);
  }

  @Test
  void dispatchEndsAtTheLastRequestBeforeTheAcceptedCompleteTheFinalOwners() {
    // Generated at 10 s by an owner that lost it, at 70 s by its final owner, accepted at 71 s;
    // a late duplicate at 80 s is not the final owner's request.
    TaskOutcome a = new TaskOutcome("a", "text a", at(-5), at(71), 1);
    MixedFleetResult r =
        result(
            List.of(a),
            List.of(generation("a", 10), generation("a", 70), generation("a", 80)),
            List.of(),
            Set.of());

    assertThat(r.dispatchS()).containsExactly(75.0);
  }

  @Test
  void dispatchPercentilesAreNearestRankOverTheDoneTasks() {
    List<TaskOutcome> tasks = new ArrayList<>();
    List<Generation> generations = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      tasks.add(task("t" + i, i + 0.5));
      generations.add(generation("t" + i, i));
    }
    tasks.add(task("never", null));

    Map<String, Figure> figures =
        byId(
            result(tasks, generations, List.of(), Set.of())
                .figures("7 x", "k", "run", CAP, STEAL_INTERVAL));

    assertThat(figures.get("dispatch_p50_s").value()).isEqualTo(10.0);
    assertThat(figures.get("dispatch_p95_s").value()).isEqualTo(19.0);
  }

  @Test
  void strandedTasksAreSplitByTheirFirstRescueAndTimedFromWhenTheyBecameStealable() {
    MixedFleetResult r =
        result(
            List.of(),
            List.of(),
            List.of(
                steal("s1", ORIGINAL, "ours-a", 0.2, 64.2), // stealable at 60.2: 4 s
                steal("s2", ORIGINAL, "ours-b", 0.3, 70.3), // 10 s
                steal("s2", "ours-b", "ours-a", 70.3, 70.31), // a second hand-out, not a rescue
                requeue("s3", 0.4, 301.0), // after the cap: still stranded
                requeue("s4", 0.1, 250.1), // by cleanup: 190 s
                steal("x", ORIGINAL, "ours-a", 0.0, 61.0)), // not one it stranded
            Set.of("s1", "s2", "s3", "s4"));

    assertThat(r.stranded()).isEqualTo(4);
    assertThat(r.rescuedBySteal()).isEqualTo(2);
    assertThat(r.rescuedByCleanup()).isEqualTo(1);
    assertThat(r.stillStranded()).isEqualTo(1);
    assertThat(r.rescueDelayS()).containsExactly(4.0, 10.0, 190.0);
  }

  @Test
  void aTaskStealableBeforeOursWereReadyIsTimedFromTheirReadiness() {
    MixedFleetResult r =
        result(
            at(10),
            List.of(),
            List.of(),
            List.of(
                steal("s1", ORIGINAL, "ours-a", -55, 12), // stealable at 5 s, ours ready at 10 s
                steal("s2", ORIGINAL, "ours-a", -40, 23)), // stealable at 20 s
            Set.of("s1", "s2"));

    assertThat(r.rescueDelayS()).containsExactly(2.0, 3.0);
    assertThat(r.heartbeatRescueDelayS()).containsExactly(3.0, 7.0);
  }

  @Test
  void theRescueTargetIsOneStealRoundForTheSlowestRescue() {
    List<LeaseEvent> withinARound =
        List.of(steal("s1", ORIGINAL, "ours-a", 0, 64), steal("s2", ORIGINAL, "ours-a", 0, 70));
    List<LeaseEvent> oneLate =
        List.of(steal("s1", ORIGINAL, "ours-a", 0, 64), steal("s2", ORIGINAL, "ours-a", 0, 70.001));

    Figure met =
        byId(result(List.of(), List.of(), withinARound, Set.of("s1", "s2"))
                .figures("7 x", "k", "run", CAP, STEAL_INTERVAL))
            .get("rescue_max_s");
    Figure missed =
        byId(result(List.of(), List.of(), oneLate, Set.of("s1", "s2"))
                .figures("7 x", "k", "run", CAP, STEAL_INTERVAL))
            .get("rescue_max_s");

    assertThat(met.value()).isEqualTo(10.0);
    assertThat(met.verdict()).isEqualTo(Figure.Verdict.PASS);
    assertThat(missed.verdict()).isEqualTo(Figure.Verdict.MISS);
  }

  @Test
  void aStealThatHitATaskNoLongerStealableIsADoubleHandOut() {
    MixedFleetResult r =
        result(
            List.of(),
            List.of(),
            List.of(
                steal("s1", ORIGINAL, "ours-a", 0, 61),
                steal("s1", "ours-a", "ours-b", 61, 61.002),
                new LeaseEvent(
                    "s2",
                    TaskStatus.COMPLETED,
                    TaskStatus.COMPLETED,
                    ORIGINAL,
                    "ours-b",
                    ms(0),
                    ms(62))),
            Set.of("s1"));

    assertThat(r.doubleHandOuts()).isEqualTo(2);
  }

  @Test
  void duplicatesAreExtraCompletedGenerationsAndExtraAcceptedCompletesAsShareOfTheBacklog() {
    List<TaskOutcome> tasks = new ArrayList<>();
    List<Generation> generations = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tasks.add(new TaskOutcome("t" + i, "text t" + i, START, at(50), i == 7 ? 2 : 1));
      generations.add(generation("t" + i, 10));
    }
    generations.add(generation("t3", 20)); // generated twice
    generations.add(generation("t3", 30)); // and a third time
    generations.add(new Generation("text t4", at(25), false)); // cut off: no generation

    MixedFleetResult r = result(tasks, generations, List.of(), Set.of());
    Map<String, Figure> figures = byId(r.figures("7 x", "k", "run", CAP, STEAL_INTERVAL));

    assertThat(r.duplicateGenerations()).isEqualTo(2);
    assertThat(figures.get("duplicate_generations_pct").value()).isEqualTo(1.0);
    assertThat(figures.get("duplicate_generations_pct").verdict()).isEqualTo(Figure.Verdict.PASS);
    assertThat(r.duplicateCompletes()).isEqualTo(1);
    assertThat(figures.get("duplicate_completes_pct").value()).isEqualTo(0.5);
  }
}
