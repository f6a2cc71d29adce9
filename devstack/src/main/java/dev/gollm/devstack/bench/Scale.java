package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 6: throughput as processors (2 workers each) are added to one stack with 16 slots, one
 * backlog of 100 ms tasks per step. The step with 8 processors is the {@link Fleet} of scenario 4.
 */
final class Scale implements Scenario {
  static final String NAME = "6 scale";

  static final int WORKERS_EACH = 2;

  /** The simulator's slots: one per worker of the fleet. */
  static final int SLOTS = BenchPlan.FLEET_PROCESSORS * WORKERS_EACH;

  private static final Map<String, String> SETTINGS =
      Map.of("WORKER_COUNT", Integer.toString(WORKERS_EACH));

  private final BenchPlan plan;
  private final Progress progress;
  private final Fleet fleet;

  Scale(BenchPlan plan, Progress progress, Fleet fleet) {
    this.plan = plan;
    this.progress = progress;
    this.fleet = fleet;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int steps() {
    return plan.scaleSteps().size();
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    ObjectNode d =
        results.details(
            "6_scale", stack, SETTINGS, Workload.TASK_100MS, SLOTS, plan.scaleWarmupTasks());
    ArrayNode steps = d.putArray("steps");
    ArrayNode readies = d.putArray("ready_s");
    double single = Double.NaN;
    for (int count : plan.scaleSteps()) {
      boolean isFleet = count == BenchPlan.FLEET_PROCESSORS;
      int workers = count * WORKERS_EACH;
      int n = isFleet ? plan.fleetTasks() : plan.tasksPerWorker() * workers;
      progress.begin(
          isFleet ? Fleet.NAME : NAME,
          count
              + " processor"
              + (count == 1 ? "" : "s")
              + " × "
              + WORKERS_EACH
              + " workers, "
              + SLOTS
              + " slots, "
              + n
              + " tasks of 100 ms: "
              + (isFleet ? "makespan" : "throughput"));
      for (RunningProcessor p : growTo(stack, count)) {
        readies.add(Units.seconds(p.readyAfter()));
      }
      Batch b = Batch.run(stack, "scale" + count, n, workers);
      if (count == 1) {
        single = b.throughput();
      }
      results.addAll(figures(count, b, single));
      ObjectNode step = steps.addObject();
      step.put("processors", count);
      b.describe(step);
      if (isFleet) {
        progress.end(fleet.report(stack, b, results));
      } else {
        progress.end(
            String.format(
                Locale.ROOT,
                "%.1f tasks/s = %.3f × ideal %.0f",
                b.throughput(),
                b.throughput() / b.idealThroughput(),
                b.idealThroughput()));
      }
    }
  }

  /** Starts processors until {@code count} run, and warms the new ones up; the new ones. */
  private List<RunningProcessor> growTo(BenchStack stack, int count) throws InterruptedException {
    List<String> names = new ArrayList<>();
    for (int i = stack.processors().size() + 1; i <= count; i++) {
      names.add("bench-fleet-" + i);
    }
    List<RunningProcessor> started = stack.startProcessors(names, SETTINGS);
    int warm = plan.scaleWarmupTasks() * names.size();
    stack.warmUp(
        "scale" + count,
        warm,
        Workload.batchTimeout(warm, Workload.TASK_100MS_MILLIS, count * WORKERS_EACH));
    return started;
  }

  /**
   * A step's figures: its throughput against {@code count} processors' ideal, and above one
   * processor its growth over the throughput of one ({@code single}), ideally {@code count}.
   */
  static List<Figure> figures(int count, Batch b, double single) {
    String who = count + " × " + WORKERS_EACH + " workers";
    Figure throughput =
        new Figure(
            "scale_" + count + "_tasks_per_s",
            NAME,
            who + ": throughput",
            b.throughput(),
            "tasks/s",
            b.idealThroughput(),
            null);
    if (count == 1) {
      return List.of(throughput);
    }
    return List.of(
        throughput,
        new Figure(
            "scale_" + count + "_growth",
            NAME,
            who + ": throughput ÷ throughput of 1 processor",
            b.throughput() / single,
            "×",
            (double) count,
            null));
  }
}
