package dev.gollm.devstack.bench;

import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One measured backlog of 100 ms tasks: everything submitted at once, waited for, and read back:
 * the makespan, what was lost or done twice, the CPU the processors and the machine used, and the
 * simulator's timeline of the requests.
 *
 * @param tasks tasks submitted
 * @param concurrency workers (and simulator slots) serving them
 * @param makespanS submit → last first-accepted complete, in s; NaN when tasks were lost
 * @param lost tasks never completed
 * @param duplicates tasks accepted as complete more than once
 * @param duplicateGenerations tasks the simulator generated more than once
 * @param cpuMsPerTask processor CPU (every processor of the stack) per task, in ms
 * @param timeline the simulator's requests for these tasks, from the moment of submitting
 * @param makespanNanos the makespan in ns (up to the last completion even when some were lost)
 * @param processorCores cores the processors kept busy, on average
 * @param devstackCores cores this JVM (manager and simulator) kept busy, on average
 * @param machineBusyCores cores the whole machine kept busy, on average
 * @param jitMsPerTask JIT compiler threads' CPU per task, in ms
 * @param gcMsPerTask garbage collection CPU per task, in ms
 */
record Batch(
    int tasks,
    int concurrency,
    double makespanS,
    long lost,
    long duplicates,
    long duplicateGenerations,
    double cpuMsPerTask,
    SlotTimeline timeline,
    long makespanNanos,
    double processorCores,
    double devstackCores,
    double machineBusyCores,
    double jitMsPerTask,
    double gcMsPerTask) {

  /** Submits {@code n} tasks of 100 ms named {@code prefix-i} at once and waits for them. */
  static Batch run(BenchStack stack, String prefix, int n, int concurrency)
      throws InterruptedException {
    List<String> texts = Workload.texts(prefix, n);
    double cpuBefore = stack.processorsCpuMillis();
    CpuClock clockBefore = CpuClock.read();
    List<ThreadCpu> threadsBefore = stack.processorThreads();
    Instant origin = Instant.now();
    long t0 = System.nanoTime();
    List<String> ids = stack.submit(texts);
    stack
        .completions()
        .awaitAll(ids, Workload.batchTimeout(n, Workload.TASK_100MS_MILLIS, concurrency));
    long lost = stack.completions().missing(ids);
    long end = stack.completions().lastCompletedNanos(ids).orElse(t0);
    double cpuAfter = stack.processorsCpuMillis();
    CpuClock clockAfter = CpuClock.read();
    List<ThreadCpu> threadsAfter = stack.processorThreads();
    Map<ThreadCpu.Kind, Double> byKind = cpuByKind(threadsBefore, threadsAfter);
    double wallMs = (clockAfter.wallNanos() - clockBefore.wallNanos()) / 1e6;
    List<RequestRecord> records = Workload.recordsFor(stack.ollama().requests(), texts);
    return new Batch(
        n,
        concurrency,
        lost > 0 ? Double.NaN : (end - t0) / 1e9,
        lost,
        stack.completions().duplicated(ids),
        duplicateGenerations(records),
        (cpuAfter - cpuBefore) / n,
        SlotTimeline.of(records, origin),
        end - t0,
        (cpuAfter - cpuBefore) / wallMs,
        clockAfter.selfCoresSince(clockBefore),
        clockAfter.machineBusyShareSince(clockBefore) * Runtime.getRuntime().availableProcessors(),
        byKind.getOrDefault(ThreadCpu.Kind.JIT, Double.NaN) / n,
        byKind.getOrDefault(ThreadCpu.Kind.GC, Double.NaN) / n);
  }

  private static Map<ThreadCpu.Kind, Double> cpuByKind(
      List<ThreadCpu> before, List<ThreadCpu> after) {
    Map<ThreadCpu.Kind, Double> byKind = new EnumMap<>(ThreadCpu.Kind.class);
    for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
      after.get(i).millisSince(before.get(i)).forEach((k, v) -> byKind.merge(k, v, Double::sum));
    }
    return byKind;
  }

  /** Tasks with more than one request at the simulator. */
  static long duplicateGenerations(List<RequestRecord> records) {
    Map<String, Integer> generations = new HashMap<>();
    records.forEach(r -> generations.merge(r.user(), 1, Integer::sum));
    return generations.values().stream().filter(c -> c > 1).count();
  }

  /** Completed tasks per second of makespan. */
  double throughput() {
    return (tasks - lost) / makespanS;
  }

  /** The makespan of a worker that adds nothing to the 100 ms of each task, in s. */
  double idealMakespanS() {
    return tasks * Workload.TASK_100MS_MILLIS / concurrency / 1000;
  }

  /** The throughput of such a worker: each of the {@code concurrency} slots busy all the time. */
  double idealThroughput() {
    return concurrency * 1000 / Workload.TASK_100MS_MILLIS;
  }

  /** The batch's part of the JSON details. */
  void describe(ObjectNode d) {
    d.put("tasks", tasks);
    d.put("concurrency", concurrency);
    Summary.put(d, "makespan_s", makespanS);
    Summary.put(d, "ideal_makespan_s", idealMakespanS());
    Summary.put(d, "throughput_tasks_per_s", throughput());
    d.put("lost_tasks", lost);
    d.put("duplicate_completions", duplicates);
    d.put("duplicate_generations", duplicateGenerations);
    Summary.put(d, "processor_cpu_ms_per_task", cpuMsPerTask);
    Summary.put(d, "processor_jit_cpu_ms_per_task", jitMsPerTask);
    Summary.put(d, "processor_gc_cpu_ms_per_task", gcMsPerTask);
    ObjectNode cores = d.putObject("cpu_cores_busy");
    Summary.put(cores, "processors", processorCores);
    Summary.put(cores, "devstack", devstackCores);
    Summary.put(cores, "whole_machine", machineBusyCores);
    Summary.put(cores, "available", Runtime.getRuntime().availableProcessors());
    Summary.put(
        d, "slot_busy_share", timeline.busyShare(concurrency, 0, Math.max(1, makespanNanos)));
    d.set("service_ms", Summary.of(timeline.serviceMillis()).toJson());
  }

  /** Where the CPU went during the batch: the processors, devstack, and the machine as a whole. */
  List<Figure> coresFigures(String idPrefix, String scenario) {
    return List.of(
        Figure.info(
            idPrefix + "_cores_processors",
            scenario,
            "CPU cores busy during the batch: processor JVM(s)",
            processorCores,
            "cores"),
        Figure.info(
            idPrefix + "_cores_devstack",
            scenario,
            "CPU cores busy during the batch: manager and simulator (bench JVM)",
            devstackCores,
            "cores"),
        Figure.info(
            idPrefix + "_cores_machine",
            scenario,
            "CPU cores busy during the batch: whole machine, other users included (of "
                + Runtime.getRuntime().availableProcessors()
                + ")",
            machineBusyCores,
            "cores"));
  }

  /**
   * The share of {@code slots} generating over the batch, in bins of at least 100 ms (at most 150
   * of them), against the ideal: every slot busy until the ideal makespan.
   */
  Chart.Panel utilizationPanel(String title, int slots) {
    long to = Math.max(makespanNanos, 1);
    Duration bin = Duration.ofNanos(Math.max(Duration.ofMillis(100).toNanos(), to / 150));
    List<Chart.XY> points = new ArrayList<>();
    for (SlotTimeline.Point pt : timeline.utilization(slots, 0, to, bin)) {
      points.add(new Chart.XY(pt.seconds(), pt.busy()));
    }
    double idealS = idealMakespanS();
    return new Chart.Panel(
        title,
        "seconds after submitting the backlog",
        "share of slots generating",
        Math.max(to / 1e9, idealS) * 1.05,
        1.1,
        List.of(
            new Chart.Series("measured (" + bin.toMillis() + " ms bins)", "#1f77b4", false, points),
            new Chart.Series(
                "ideal",
                "#2ca02c",
                true,
                List.of(new Chart.XY(0, 1), new Chart.XY(idealS, 1), new Chart.XY(idealS, 0)))),
        List.of());
  }
}
