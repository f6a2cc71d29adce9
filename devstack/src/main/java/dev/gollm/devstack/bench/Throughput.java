package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.megabytes;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.Figure.Target;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 3: throughput under a backlog. Runs on the stage's processor (scenario 1's: warm, SSE, 4
 * workers) with the simulator switched to 100 ms tasks: one backlog submitted at once, its makespan
 * against the ideal. Its CPU and memory are scenario 5's main figures.
 */
final class Throughput implements Scenario {
  static final String NAME = "3 throughput";

  private final BenchPlan plan;
  private final Progress progress;
  private final CostReadings cost;

  Throughput(BenchPlan plan, Progress progress, CostReadings cost) {
    this.plan = plan;
    this.progress = progress;
    this.cost = cost;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    int n = plan.throughputTasks();
    int workers = SseDispatch.WORKERS;
    RunningProcessor p = stack.processors().getFirst();
    stack.ollama().installModel(Workload.TASK_100MS);
    progress.begin(
        NAME,
        n
            + " tasks of 100 ms, 1 processor × "
            + workers
            + " workers, "
            + workers
            + " slots: makespan");
    Batch b = Batch.run(stack, "throughput", n, workers);
    double peakRssMb = megabytes(p.process().peakRssBytes().orElse(-1));
    cost.throughput(b, peakRssMb);
    Summary gaps = Summary.of(b.timeline().refillGapsMillis());
    addFigures(results, b, gaps);
    results.addAll(b.coresFigures("throughput", NAME));
    ObjectNode d =
        results.details(
            "3_throughput",
            stack,
            p.settings(),
            Workload.TASK_100MS,
            workers,
            plan.warmupTasks() + plan.dispatchTasks());
    b.describe(d);
    d.put("ready_s", Units.seconds(p.readyAfter()));
    Summary.put(d, "peak_rss_mb", peakRssMb);
    d.set("refill_gap_ms", gaps.toJson());
    results.add(b.utilizationPanel("3 · Worker utilization, 1 processor × 4 workers", workers));
    progress.end(
        String.format(
            Locale.ROOT,
            "makespan %.2f s = %.3f × ideal %.2f s",
            b.makespanS(),
            b.makespanS() / b.idealMakespanS(),
            b.idealMakespanS()));
  }

  private static void addFigures(Results results, Batch b, Summary gaps) {
    results.add(
        new Figure(
            "throughput_makespan_s",
            NAME,
            b.tasks() + " tasks, 4 workers, 4 slots: makespan",
            b.makespanS(),
            "s",
            b.idealMakespanS(),
            Target.ratioAtMost(1.02)));
    results.add(
        new Figure(
            "throughput_tasks_per_s",
            NAME,
            "throughput",
            b.throughput(),
            "tasks/s",
            b.idealThroughput(),
            null));
    results.add(
        new Figure(
            "throughput_service_mean_ms",
            NAME,
            "simulator's own time per task (slot taken → final object), mean",
            Summary.of(b.timeline().serviceMillis()).mean(),
            "ms",
            Workload.TASK_100MS_MILLIS,
            null));
    results.add(
        Figure.info(
            "throughput_refill_gap_p50_ms",
            NAME,
            "a slot's end → next request (paired first in, first out), p50",
            gaps.p50(),
            "ms"));
    results.add(
        Figure.info(
            "throughput_refill_gap_p99_ms",
            NAME,
            "a slot's end → next request (paired first in, first out), p99",
            gaps.p99(),
            "ms"));
    results.add(Figure.info("throughput_lost_tasks", NAME, "lost tasks", b.lost(), "tasks"));
  }
}
