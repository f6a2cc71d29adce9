package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.Figure.Target;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 5: what a processor costs, read from the other scenarios: CPU per task (scenario 3's
 * batch, split by thread kind, and the fleet's), peak RSS, and the time from spawning a JVM to its
 * first 200 on /ready (the single starts, one of them split at the first log event). It runs
 * nothing itself.
 */
final class Cost {
  static final String NAME = "5 cost";

  private final CostReadings readings;

  Cost(CostReadings readings) {
    this.readings = readings;
  }

  void report(Results results) {
    results.addAll(figures(readings));
    ObjectNode d = results.details("5_cost");
    Summary.put(d, "jit_cpu_ms_per_task", readings.throughputJitMsPerTask());
    Summary.put(d, "gc_cpu_ms_per_task", readings.throughputGcMsPerTask());
    Summary.put(d, "startup_spawn_to_first_log_ms", readings.spawnToFirstLogMs());
    Summary.put(d, "startup_first_log_to_ready_ms", readings.firstLogToReadyMs());
    Summary.put(d, "cpu_ms_per_task", readings.throughputCpuMsPerTask());
    Summary.put(d, "fleet_cpu_ms_per_task", readings.fleetCpuMsPerTask());
    Summary.put(d, "peak_rss_mb", readings.throughputPeakRssMb());
    Summary.put(d, "fleet_peak_rss_mb", readings.fleetPeakRssMb());
    d.set("single_start_ready_ms", Units.array(readings.singleStartReadyMs()));
    d.put(
        "method",
        "CPU: ProcessHandle totalCpuDuration (user+system, 10 ms ticks) of the processor JVM(s) before"
            + " and after the measured batch, after warm-up. RSS: VmHWM from /proc/<pid>/status at the"
            + " end. Ready: from just before the JVM is spawned to the first 200 from /ready, asked"
            + " every 10 ms.");
  }

  /** The cost figures; CPU-ms per task is the same number as CPU-s per 1,000 tasks. */
  static List<Figure> figures(CostReadings r) {
    List<Double> starts = r.singleStartReadyMs();
    return List.of(
        new Figure(
            "cost_cpu_s_per_1000_tasks",
            NAME,
            "processor CPU per 1,000 tasks (scenario 3; = CPU-ms per task warm)",
            r.throughputCpuMsPerTask(),
            "s",
            null,
            Target.atMost(1.5)),
        Figure.info(
            "cost_jit_cpu_s_per_1000_tasks",
            NAME,
            "of which JIT compiler threads (warm-up not yet over)",
            r.throughputJitMsPerTask(),
            "s"),
        Figure.info(
            "cost_gc_cpu_s_per_1000_tasks",
            NAME,
            "of which garbage collection",
            r.throughputGcMsPerTask(),
            "s"),
        Figure.info(
            "cost_cpu_without_jit_s_per_1000_tasks",
            NAME,
            "without the JIT compiler threads (what a long-running processor pays)",
            r.throughputCpuMsPerTask() - r.throughputJitMsPerTask(),
            "s"),
        Figure.info(
            "cost_fleet_cpu_s_per_1000_tasks",
            NAME,
            "same, summed over the fleet of scenario 4",
            r.fleetCpuMsPerTask(),
            "s"),
        new Figure(
            "cost_peak_rss_mb",
            NAME,
            "peak RSS (VmHWM) of the scenario 3 processor",
            r.throughputPeakRssMb(),
            "MiB",
            null,
            Target.atMost(150)),
        Figure.info(
            "cost_fleet_peak_rss_mb",
            NAME,
            "largest peak RSS in the fleet",
            r.fleetPeakRssMb(),
            "MiB"),
        new Figure(
            "cost_ready_s",
            NAME,
            "JVM spawn → /ready 200, median of " + starts.size() + " single starts",
            Summary.of(starts).p50() / 1000,
            "s",
            null,
            Target.atMost(1.5)),
        Figure.info(
            "cost_startup_to_first_log_s",
            NAME,
            "of a start: JVM spawn → first log event (JVM boot, classes, configuration)",
            r.spawnToFirstLogMs() / 1000,
            "s"),
        Figure.info(
            "cost_startup_first_log_to_ready_s",
            NAME,
            "of a start: first log event → /ready 200 (health server, pipeline, first contacts)",
            r.firstLogToReadyMs() / 1000,
            "s"));
  }
}
