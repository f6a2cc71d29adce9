package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.Figure.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one mixed-fleet run came to, computed from what it left behind: the tasks and their accepted
 * completes, the simulator's generations, and the manager's lease changes. Everything after the cap
 * is ignored, so a run that did not drain is read as it stood at the cap.
 *
 * @param tasks tasks in the backlog
 * @param done tasks with an accepted complete by the cap
 * @param drainS start → the last task's first accepted complete, in s; NaN when not all were done
 * @param dispatchS per done task: created → its final owner's request at the simulator, in s
 * @param stranded tasks the stranding processor claimed and never took up
 * @param rescues how those got back to work
 * @param duplicateGenerations generations beyond the first of each task (completed ones, counted
 *     from the simulator's records)
 * @param duplicateCompletes tasks accepted as complete more than once
 */
record MixedFleetResult(
    int tasks,
    int done,
    double drainS,
    List<Double> dispatchS,
    int stranded,
    Rescues rescues,
    long duplicateGenerations,
    long duplicateCompletes) {

  /**
   * One task of the backlog as the run left it.
   *
   * @param id its id
   * @param text its product data, which is also its generation's user text
   * @param createdAt when the manager created it
   * @param firstAccepted when its first complete was accepted (null if none was)
   * @param acceptedCompletes how many of its completes were accepted
   */
  record TaskOutcome(
      String id, String text, Instant createdAt, Instant firstAccepted, int acceptedCompletes) {}

  /**
   * One request the simulator saw.
   *
   * @param text its user text
   * @param arrival when it arrived
   * @param completed whether it was answered in full (a generation done)
   */
  record Generation(String text, Instant arrival, boolean completed) {}

  MixedFleetResult {
    dispatchS = List.copyOf(dispatchS);
  }

  /**
   * Computes the run's figures.
   *
   * @param start when the measured run began (ours were started)
   * @param oursReady when the first of ours was ready
   * @param cap how long after {@code start} the run was read
   * @param taskOutcomes every task of the backlog
   * @param generations the simulator's requests (any text)
   * @param events the manager's lease changes
   * @param strandingOwner the stranding processor's id
   * @param strandedIds the tasks it claimed and never took up
   * @param stealAfter the manager's steal threshold
   * @param ownerMinimum the manager's: steals only from owners holding more than this
   */
  static MixedFleetResult of(
      Instant start,
      Instant oursReady,
      Duration cap,
      List<TaskOutcome> taskOutcomes,
      List<Generation> generations,
      List<LeaseEvent> events,
      String strandingOwner,
      Set<String> strandedIds,
      Duration stealAfter,
      int ownerMinimum) {
    Instant end = start.plus(cap);
    Map<String, List<Generation>> byText = new HashMap<>();
    for (Generation g : generations) {
      if (!g.arrival().isAfter(end)) {
        byText.computeIfAbsent(g.text(), t -> new ArrayList<>()).add(g);
      }
    }
    int done = 0;
    Instant last = start;
    long duplicateGenerations = 0;
    long duplicateCompletes = 0;
    List<Double> dispatch = new ArrayList<>();
    for (TaskOutcome t : taskOutcomes) {
      List<Generation> own = byText.getOrDefault(t.text(), List.of());
      duplicateGenerations += Math.max(0, own.stream().filter(Generation::completed).count() - 1);
      if (t.firstAccepted() == null || t.firstAccepted().isAfter(end)) {
        continue;
      }
      done++;
      if (t.firstAccepted().isAfter(last)) {
        last = t.firstAccepted();
      }
      if (t.acceptedCompletes() > 1) {
        duplicateCompletes++;
      }
      finalRequest(own, t.firstAccepted())
          .ifPresent(at -> dispatch.add(Units.seconds(Duration.between(t.createdAt(), at))));
    }

    return new MixedFleetResult(
        taskOutcomes.size(),
        done,
        done == taskOutcomes.size() ? Units.seconds(Duration.between(start, last)) : Double.NaN,
        dispatch,
        strandedIds.size(),
        Rescues.of(events, end, oursReady, strandingOwner, strandedIds, stealAfter, ownerMinimum),
        duplicateGenerations,
        duplicateCompletes);
  }

  /** The latest request for a task that arrived before its accepted complete: its final owner's. */
  private static Optional<Instant> finalRequest(Collection<Generation> own, Instant accepted) {
    return own.stream()
        .map(Generation::arrival)
        .filter(arrival -> !arrival.isAfter(accepted))
        .max(Instant::compareTo);
  }

  boolean drained() {
    return done == tasks;
  }

  int stillStranded() {
    return stranded - rescues.bySteal() - rescues.byCleanup();
  }

  /** A share of the backlog, in %. */
  double percentOfTasks(long count) {
    return 100.0 * count / tasks;
  }

  /**
   * The run's figures for the results table.
   *
   * @param scenario the scenario's name
   * @param key what tells the runs apart in the figure ids, e.g. {@code default_interval}
   * @param run what tells them apart in the labels, e.g. {@code steal every 120 s}
   * @param cap the cap the run had
   * @param stealInterval its processors' work-stealing interval (the rescue target)
   */
  List<Figure> figures(
      String scenario, String key, String run, Duration cap, Duration stealInterval) {
    String id = "mixed_fleet_" + key + "_";
    String p = run + ": ";
    double[] dispatch = sorted(dispatchS);
    double[] waits = sorted(rescues.stealableWaitS());
    String capText = String.format(Locale.ROOT, "%.0f s", Units.seconds(cap));
    return List.of(
        Figure.info(
            id + "drain_s",
            scenario,
            p
                + "backlog of "
                + tasks
                + (drained() ? " drained in" : " not drained within the " + capText + " cap"),
            drainS,
            "s"),
        Figure.info(
            id + "done_tasks",
            scenario,
            p + (drained() ? "tasks done" : "tasks done at the cap"),
            done,
            "tasks"),
        Figure.info(
            id + "dispatch_p50_s",
            scenario,
            p + "created → final owner's request at Ollama, p50 (done tasks)",
            percentile(dispatch, 50),
            "s"),
        Figure.info(
            id + "dispatch_p95_s",
            scenario,
            p + "created → final owner's request at Ollama, p95 (done tasks)",
            percentile(dispatch, 95),
            "s"),
        Figure.info(
            id + "stranded_tasks", scenario, p + "stranded by the original", stranded, "tasks"),
        Figure.info(
            id + "rescued_by_steal",
            scenario,
            p + "of which rescued by steal",
            rescues.bySteal(),
            "tasks"),
        Figure.info(
            id + "rescued_by_cleanup",
            scenario,
            p + "of which rescued by cleanup (requeued)",
            rescues.byCleanup(),
            "tasks"),
        Figure.info(
            id + "still_stranded",
            scenario,
            p + "of which still stranded at the end",
            stillStranded(),
            "tasks"),
        Figure.info(
            id + "stealable_wait_p50_s",
            scenario,
            p + "stranded task stealable → stolen, or no longer stealable unstolen, p50",
            percentile(waits, 50),
            "s"),
        new Figure(
            id + "stealable_wait_max_s",
            scenario,
            p
                + "stealable → stolen, or no longer stealable unstolen, max (target: one steal"
                + " round)",
            waits.length == 0 ? Double.NaN : waits[waits.length - 1],
            "s",
            null,
            Target.atMost(Units.seconds(stealInterval))),
        new Figure(
            id + "duplicate_generations_pct",
            scenario,
            p + "duplicate generations (" + duplicateGenerations + ")",
            percentOfTasks(duplicateGenerations),
            "%",
            null,
            Target.atMost(1)),
        new Figure(
            id + "duplicate_completes_pct",
            scenario,
            p + "tasks accepted as complete more than once (" + duplicateCompletes + ")",
            percentOfTasks(duplicateCompletes),
            "%",
            null,
            Target.atMost(1)),
        Figure.info(
            id + "double_hand_outs",
            scenario,
            p + "steals that handed out a task no longer stealable (double hand-outs)",
            rescues.doubleHandOuts(),
            "steals"));
  }

  /** The numbers behind the figures, for the JSON. */
  void describe(ObjectNode d) {
    d.put("tasks", tasks);
    d.put("done", done);
    Summary.put(d, "drain_s", drainS);
    d.set("dispatch_s", Summary.of(dispatchS).toJson());
    d.put("stranded", stranded);
    d.put("rescued_by_steal", rescues.bySteal());
    d.put("rescued_by_cleanup", rescues.byCleanup());
    d.put("still_stranded", stillStranded());
    d.set("stealable_wait_s", Summary.of(rescues.stealableWaitS()).toJson());
    d.set("stealable_wait_samples_s", Units.array(rescues.stealableWaitS()));
    d.put("not_stolen_while_stealable", rescues.notStolenWhileStealable());
    d.set(
        "last_heartbeat_plus_threshold_to_rescue_s",
        Summary.of(rescues.heartbeatRescueDelayS()).toJson());
    d.put("duplicate_generations", duplicateGenerations);
    d.put("duplicate_completes", duplicateCompletes);
    d.put("double_hand_outs", rescues.doubleHandOuts());
  }

  private static double[] sorted(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  private static double percentile(double[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : Summary.percentile(sorted, p);
  }
}
