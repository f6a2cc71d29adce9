package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.array;
import static dev.gollm.devstack.bench.Units.megabytes;
import static dev.gollm.devstack.bench.Units.millisBetween;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.Figure.Target;
import dev.gollm.devstack.ollama.RequestRecord;
import dev.gollm.devstack.process.ProcessorProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 7: what a processor costs from its first moment, as users meet it after a deploy. A
 * processor JVM is spawned with no warm-up, 100 ms tasks are submitted one every 200 ms (so it is
 * never short of a worker), and the run reports the time to /ready, the dispatch latency of every
 * task and of the first five, the process's whole CPU time and peak RSS; then the processor is
 * watched idle: CPU, RSS and each thread's wake-ups. Once with SSE, once polling (a stage each, so
 * the processor is alone on its manager). The Go original's figures for this run are in issue 13.
 */
final class ColdStart implements Scenario {
  static final String NAME = "8 cold start";

  /** The processor's workers, and the simulator's slots. */
  static final int WORKERS = 4;

  /** How many of the first tasks are reported one by one. */
  private static final int FIRST_TASKS = 5;

  /** How the processor learns of new tasks. */
  enum Intake {
    SSE("SSE", Map.of("WORKER_COUNT", Integer.toString(WORKERS))),
    POLLING("polling", Map.of("WORKER_COUNT", Integer.toString(WORKERS), "SSE_ENABLED", "false"));

    private final String label;
    private final Map<String, String> settings;

    Intake(String label, Map<String, String> settings) {
      this.label = label;
      this.settings = settings;
    }
  }

  private final Intake intake;
  private final BenchPlan plan;
  private final Progress progress;

  ColdStart(Intake intake, BenchPlan plan, Progress progress) {
    this.intake = intake;
    this.plan = plan;
    this.progress = progress;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    int n = plan.coldStartTasks();
    Duration spacing = plan.coldStartSpacing();
    progress.begin(
        NAME,
        intake.label
            + ": a new processor, "
            + n
            + " tasks of 100 ms one every "
            + spacing.toMillis()
            + " ms, then "
            + plan.coldStartIdle().toSeconds()
            + " s idle");
    String name = "bench-cold-" + intake.name().toLowerCase(Locale.ROOT);
    RunningProcessor p = stack.startProcessors(List.of(name), intake.settings).getFirst();
    ProcessorProcess process = p.process();
    double cpuAtReady = processCpuSeconds(process);

    List<String> texts = Workload.texts(name, n);
    Instant[] submitted = new Instant[n];
    List<String> ids = Workload.submitAtPace(stack, texts, spacing, submitted);
    if (!stack.completions().awaitAll(ids, Workload.TASK_TIMEOUT)) {
      throw new BenchException(
          stack.completions().missing(ids) + " of " + n + " tasks did not complete");
    }
    Busy busy = Busy.read(process);
    List<Double> latency = latencies(stack, texts, submitted);
    Idle idle = Idle.watch(process, plan.coldStartIdle());

    Summary s = Summary.of(latency);
    List<Double> first = latency.subList(0, Math.min(FIRST_TASKS, latency.size()));
    addFigures(results, p, cpuAtReady, s, first, busy, idle);
    ObjectNode d =
        results.details(
            "8_cold_start_" + intake.name().toLowerCase(Locale.ROOT),
            stack,
            intake.settings,
            Workload.TASK_100MS,
            WORKERS,
            0);
    d.put("tasks", n);
    d.put("submit_spacing_ms", spacing.toMillis());
    d.put("matched_requests", latency.size());
    d.put("ready_s", Units.seconds(p.readyAfter()));
    Summary.put(d, "cpu_s_at_ready", cpuAtReady);
    d.set("dispatch_ms", s.toJson());
    d.set("first_tasks_dispatch_ms", array(first));
    d.set("dispatch_samples_ms", array(latency));
    busy.describe(d.putObject("start_and_tasks"));
    idle.describe(d.putObject("idle"));
    progress.end(
        String.format(
            Locale.ROOT,
            "ready %.2f s, dispatch p50 %.1f ms p99 %.1f ms, %.2f CPU-s, peak RSS %.0f MiB;"
                + " idle %.3f CPU-s/min, %.0f wake-ups/min",
            Units.seconds(p.readyAfter()),
            s.p50(),
            s.p99(),
            busy.cpuSeconds,
            busy.peakRssMb,
            idle.cpuSecondsPerMinute(),
            idle.wakeUpsPerMinute()));
  }

  /** Submit → arrival at the simulator, in submission order, of each task that arrived. */
  private static List<Double> latencies(BenchStack stack, List<String> texts, Instant[] submitted) {
    Map<String, RequestRecord> byText = Workload.firstRecordByText(stack.ollama().requests());
    List<Double> latency = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      RequestRecord r = byText.get(texts.get(i));
      if (r != null) {
        latency.add(millisBetween(submitted[i], r.arrival()));
      }
    }
    return latency;
  }

  /**
   * The process from its spawn to the last task's {@code complete}.
   *
   * @param cpuSeconds its whole CPU time (every thread, user and system)
   * @param byKind the same split by thread kind (threads that ended are missing), in ms
   * @param peakRssMb VmHWM
   */
  private record Busy(double cpuSeconds, Map<ThreadCpu.Kind, Double> byKind, double peakRssMb) {
    static Busy read(ProcessorProcess process) {
      return new Busy(
          processCpuSeconds(process),
          ThreadCpu.read(process.pid()).millisSince(ThreadCpu.none()),
          megabytes(process.peakRssBytes().orElse(-1)));
    }

    void describe(ObjectNode d) {
      Summary.put(d, "cpu_s", cpuSeconds);
      byKind.forEach(
          (kind, ms) ->
              Summary.put(d, kind.name().toLowerCase(Locale.ROOT) + "_threads_cpu_s", ms / 1000));
      Summary.put(d, "peak_rss_mb", peakRssMb);
    }
  }

  /**
   * The idle processor over {@code duration}: CPU, RSS at the end, and per thread its CPU and
   * wake-ups.
   */
  private record Idle(
      Duration duration,
      double cpuSeconds,
      double rssMb,
      List<ThreadCpu.Activity> threads,
      double peakRssMb) {
    static Idle watch(ProcessorProcess process, Duration duration) throws InterruptedException {
      double cpuBefore = processCpuSeconds(process);
      ThreadCpu before = ThreadCpu.read(process.pid());
      // A pause, not a poll: the processor is left alone while it is watched.
      Thread.sleep(duration);
      ThreadCpu after = ThreadCpu.read(process.pid());
      List<ThreadCpu.Activity> threads = after.activitySince(before);
      // Exact run times summed over the threads where the kernel keeps them: the process's time
      // comes in 10 ms ticks, a fifth of the target per minute. A thread that ended in between
      // loses its share (exits of idle pool threads: microseconds).
      double cpu =
          before.exact() && after.exact()
              ? threads.stream().mapToDouble(ThreadCpu.Activity::cpuMillis).sum() / 1000
              : processCpuSeconds(process) - cpuBefore;
      return new Idle(
          duration,
          cpu,
          megabytes(process.rssBytes().orElse(-1)),
          threads,
          megabytes(process.peakRssBytes().orElse(-1)));
    }

    double minutes() {
      return Units.seconds(duration) / 60;
    }

    double cpuSecondsPerMinute() {
      return cpuSeconds / minutes();
    }

    double wakeUpsPerMinute() {
      return threads.stream().mapToLong(ThreadCpu.Activity::wakeUps).sum() / minutes();
    }

    /** The threads that woke up, as "name ×N/min" with the busiest first. */
    String busiestThreads(int limit) {
      return threads.stream()
          .limit(limit)
          .map(t -> String.format(Locale.ROOT, "%s %.0f", t.name(), t.wakeUps() / minutes()))
          .collect(Collectors.joining(", "));
    }

    void describe(ObjectNode d) {
      d.put("seconds", duration.toSeconds());
      Summary.put(d, "cpu_s", cpuSeconds);
      Summary.put(d, "cpu_s_per_minute", cpuSecondsPerMinute());
      Summary.put(d, "rss_mb_at_end", rssMb);
      Summary.put(d, "peak_rss_mb", peakRssMb);
      Summary.put(d, "wake_ups_per_minute", wakeUpsPerMinute());
      ArrayNode list = d.putArray("threads");
      for (ThreadCpu.Activity t : threads) {
        ObjectNode o = list.addObject();
        o.put("name", t.name());
        o.put("wake_ups", t.wakeUps());
        Summary.put(o, "cpu_ms", t.cpuMillis());
      }
    }
  }

  /** The process's CPU time so far in s, NaN when the OS does not say. */
  private static double processCpuSeconds(ProcessorProcess process) {
    return process.cpuTime().map(Units::seconds).orElse(Double.NaN);
  }

  private void addFigures(
      Results results,
      RunningProcessor p,
      double cpuAtReady,
      Summary s,
      List<Double> first,
      Busy busy,
      Idle idle) {
    boolean sse = intake == Intake.SSE;
    String id = "cold_" + intake.name().toLowerCase(Locale.ROOT) + "_";
    String of = intake.label + ": ";
    results.add(
        new Figure(
            id + "ready_s",
            NAME,
            of + "JVM spawn → /ready 200",
            Units.seconds(p.readyAfter()),
            "s",
            null,
            Target.atMost(0.5)));
    results.add(
        Figure.info(
            id + "ready_cpu_s",
            NAME,
            of + "processor CPU until /ready (less swayed by other load than the time)",
            cpuAtReady,
            "s"));
    results.add(
        new Figure(
            id + "dispatch_p50_ms",
            NAME,
            of + "submit → request at Ollama, p50",
            s.p50(),
            "ms",
            null,
            sse ? Target.atMost(3) : null));
    results.add(
        new Figure(
            id + "dispatch_p99_ms",
            NAME,
            of + "submit → request at Ollama, p99",
            s.p99(),
            "ms",
            null,
            sse ? Target.atMost(10) : null));
    results.add(
        Figure.info(
            id + "dispatch_max_ms", NAME, of + "submit → request at Ollama, max", s.max(), "ms"));
    results.add(
        Figure.info(
            id + "first_tasks_dispatch_max_ms",
            NAME,
            of
                + "the first "
                + first.size()
                + " tasks, slowest (each: "
                + first.stream()
                    .map(v -> String.format(Locale.ROOT, "%.1f", v))
                    .collect(Collectors.joining(", "))
                + " ms)",
            Summary.of(first).max(),
            "ms"));
    results.add(
        new Figure(
            id + "cpu_s",
            NAME,
            of + "processor CPU for start-up and all " + s.count() + " tasks",
            busy.cpuSeconds,
            "s",
            null,
            Target.atMost(1.0)));
    results.add(
        new Figure(
            id + "peak_rss_mb",
            NAME,
            of + "peak RSS (VmHWM) after the tasks",
            busy.peakRssMb,
            "MiB",
            null,
            Target.atMost(64)));
    results.add(
        new Figure(
            id + "idle_cpu_s_per_min",
            NAME,
            of + "idle: CPU per minute (watched " + idle.duration.toSeconds() + " s)",
            idle.cpuSecondsPerMinute(),
            "s",
            null,
            Target.atMost(0.05)));
    results.add(
        Figure.info(
            id + "idle_wake_ups_per_min",
            NAME,
            of + "idle: thread wake-ups per minute (" + idle.busiestThreads(3) + ", ...)",
            idle.wakeUpsPerMinute(),
            "/min"));
    results.add(
        Figure.info(id + "idle_rss_mb", NAME, of + "idle: RSS at the end", idle.rssMb, "MiB"));
  }
}
