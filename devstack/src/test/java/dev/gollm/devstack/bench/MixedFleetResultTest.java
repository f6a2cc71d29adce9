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

  private static MixedFleetResult result(
      List<TaskOutcome> tasks,
      List<Generation> generations,
      List<LeaseEvent> events,
      Set<String> stranded) {
    return MixedFleetResult.of(
        START, START, CAP, tasks, generations, events, ORIGINAL, stranded, STEAL_AFTER, 5);
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
  void theRescueTargetIsOneStealRoundForTheLongestWait() {
    List<LeaseEvent> events = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      events.add(
          new LeaseEvent(
              "s" + i, TaskStatus.PENDING, TaskStatus.PROCESSING, null, ORIGINAL, null, ms(0)));
    }
    events.add(
        new LeaseEvent(
            "s0", TaskStatus.PROCESSING, TaskStatus.PROCESSING, ORIGINAL, "ours", ms(0), ms(70)));
    events.add(
        new LeaseEvent(
            "s1", TaskStatus.PROCESSING, TaskStatus.PROCESSING, ORIGINAL, "ours", ms(0), ms(71)));

    Map<String, Figure> figures =
        byId(
            result(List.of(), List.of(), events, Set.of("s0", "s1"))
                .figures("7 x", "k", "run", CAP, STEAL_INTERVAL));

    assertThat(figures.get("stealable_wait_max_s").value()).isEqualTo(11.0);
    assertThat(figures.get("stealable_wait_max_s").target().limit()).isEqualTo(10.0);
    assertThat(figures.get("stealable_wait_max_s").verdict()).isEqualTo(Figure.Verdict.MISS);
    assertThat(figures.get("rescued_by_steal").value()).isEqualTo(2);
    assertThat(figures.get("still_stranded").value()).isZero();
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
