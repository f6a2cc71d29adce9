package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.megabytes;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.Figure.Target;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 4: a fleet of 8 processors × 2 workers on one manager, one backlog of 100 ms tasks. It
 * is the last step of {@link Scale}, which hands its batch here: the makespan against the ideal,
 * and whether any task was lost, completed twice or generated twice.
 */
final class Fleet {
  static final String NAME = "4 fleet";

  private final CostReadings cost;

  Fleet(CostReadings cost) {
    this.cost = cost;
  }

  /** Adds the fleet's figures and panel for batch {@code b}; the progress line's outcome. */
  String report(BenchStack stack, Batch b, Results results) {
    results.addAll(figures(b));
    results.addAll(b.coresFigures("fleet", NAME));
    double peakRssMb = 0;
    for (RunningProcessor p : stack.processors()) {
      peakRssMb = Math.max(peakRssMb, megabytes(p.process().peakRssBytes().orElse(-1)));
    }
    cost.fleet(b, peakRssMb);
    results.add(
        b.utilizationPanel("4 · Worker utilization, fleet of 8 × 2 workers", b.concurrency()));
    return String.format(
        Locale.ROOT,
        "makespan %.2f s = %.3f × ideal, %d duplicate(s), %d lost",
        b.makespanS(),
        b.makespanS() / b.idealMakespanS(),
        b.duplicates(),
        b.lost());
  }

  static List<Figure> figures(Batch b) {
    return List.of(
        new Figure(
            "fleet_makespan_s",
            NAME,
            b.tasks() + " tasks, 8 processors × 2 workers, 16 slots: makespan",
            b.makespanS(),
            "s",
            b.idealMakespanS(),
            Target.ratioAtMost(1.05)),
        new Figure(
            "fleet_duplicate_completions",
            NAME,
            "tasks completed more than once",
            b.duplicates(),
            "tasks",
            null,
            Target.atMost(0)),
        new Figure(
            "fleet_lost_tasks",
            NAME,
            "tasks never completed",
            b.lost(),
            "tasks",
            null,
            Target.atMost(0)),
        Figure.info(
            "fleet_duplicate_generations",
            NAME,
            "tasks generated more than once",
            b.duplicateGenerations(),
            "tasks"));
  }
}
