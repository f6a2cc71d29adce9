package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.array;
import static dev.gollm.devstack.bench.Units.millis;
import static dev.gollm.devstack.bench.Units.millisBetween;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.Figure.Target;
import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 2a: dispatch latency in polling mode. 20 ms tasks arrive at a steady pace unrelated to
 * the poll timer, so arrivals fall evenly over its phase, with enough workers and slots that none
 * queues: the mean wait should be half an interval. Its processor logs at info, which times the
 * start-up split of scenario 5.
 */
final class PollingDispatch implements Scenario {
  static final String NAME = "2 polling";

  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  static final String POLL_INTERVAL_TEXT = "1s";

  /** The processor's workers, and the simulator's slots. */
  static final int WORKERS = 16;

  // Logging at info (one line per task: nothing next to half a second) to time the start-up.
  private static final Map<String, String> SETTINGS =
      Map.of(
          "SSE_ENABLED",
          "false",
          "POLL_INTERVAL",
          POLL_INTERVAL_TEXT,
          "WORKER_COUNT",
          Integer.toString(WORKERS),
          "LOG_LEVEL",
          "info");

  private final BenchPlan plan;
  private final Progress progress;
  private final ProcessorLog log;
  private final CostReadings cost;

  PollingDispatch(BenchPlan plan, Progress progress, ProcessorLog log, CostReadings cost) {
    this.plan = plan;
    this.progress = progress;
    this.log = log;
    this.cost = cost;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    int n = plan.pollingTasks();
    Duration spacing = plan.pollingSpacing();
    progress.begin(
        NAME,
        "polling every "
            + POLL_INTERVAL_TEXT
            + ": submit → request at Ollama, "
            + n
            + " tasks, one every "
            + spacing.toMillis()
            + " ms");
    RunningProcessor p = stack.startProcessors(List.of("bench-poll"), SETTINGS).getFirst();
    cost.singleStart(p.readyAfter());
    startupSplit(p);
    stack.warmUp(
        "poll",
        plan.pollingWarmupTasks(),
        Workload.batchTimeout(plan.pollingWarmupTasks(), Workload.TASK_20MS_MILLIS, WORKERS));
    List<String> texts = Workload.texts("poll", n);
    Instant[] submitted = new Instant[n];
    List<String> ids = Workload.submitAtPace(stack, texts, spacing, submitted);
    boolean all =
        stack
            .completions()
            .awaitAll(ids, Workload.batchTimeout(n, Workload.TASK_20MS_MILLIS, WORKERS));
    List<Double> latency = latencies(stack, texts, submitted);
    Summary s = Summary.of(latency);
    double intervalMs = millis(POLL_INTERVAL);
    addFigures(results, s, intervalMs);
    ObjectNode d =
        results.details(
            "2_dispatch_polling",
            stack,
            SETTINGS,
            Workload.TASK_20MS,
            WORKERS,
            plan.pollingWarmupTasks());
    d.put("tasks", n);
    d.put("all_completed", all);
    d.put("matched_requests", latency.size());
    d.put("submit_spacing_ms", spacing.toMillis());
    d.put("poll_interval_ms", intervalMs);
    d.put("ready_s", Units.seconds(p.readyAfter()));
    d.set("latency_ms", s.toJson());
    d.set("latency_samples_ms", array(latency));
    results.add(latencyPanel(latency, intervalMs));
    progress.end(
        String.format(
            Locale.ROOT,
            "mean %.0f ms (%.2f × interval), p99 %.0f ms",
            s.mean(),
            s.mean() / intervalMs,
            s.p99()));
  }

  /** Submit → arrival at the simulator of each task that arrived, in ms. */
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

  private static void addFigures(Results results, Summary s, double intervalMs) {
    results.add(
        new Figure(
            "dispatch_poll_mean_ms",
            NAME,
            "polling every " + POLL_INTERVAL_TEXT + ": submit → request at Ollama, mean",
            s.mean(),
            "ms",
            intervalMs / 2,
            Target.atMost(0.55 * intervalMs)));
    results.add(
        new Figure(
            "dispatch_poll_p99_ms",
            NAME,
            "polling every " + POLL_INTERVAL_TEXT + ": submit → request at Ollama, p99",
            s.p99(),
            "ms",
            intervalMs * 0.99,
            null));
  }

  /** Splits a start in two, from a processor logging at info: spawn → first log event → ready. */
  private void startupSplit(RunningProcessor p) {
    Optional<Instant> first = log.firstEvent(p.process().name());
    if (first.isPresent()) {
      double spawnToFirstLogMs = millisBetween(p.process().startedAt(), first.get());
      cost.startupSplit(spawnToFirstLogMs, millis(p.readyAfter()) - spawnToFirstLogMs);
    }
  }

  /** The distribution of the latency against the ideal uniform wait, up to 1.25 intervals. */
  private static Chart.Panel latencyPanel(List<Double> latency, double intervalMs) {
    return new Chart.Panel(
        "2 · Dispatch latency, polling every " + POLL_INTERVAL_TEXT,
        "submit → request at Ollama (ms)",
        "share of tasks",
        intervalMs * 1.25,
        1.0,
        List.of(
            new Chart.Series(
                "measured (" + latency.size() + " tasks)", "#1f77b4", false, Chart.cdf(latency)),
            new Chart.Series(
                "ideal (uniform wait)",
                "#2ca02c",
                true,
                List.of(new Chart.XY(0, 0), new Chart.XY(intervalMs, 1)))),
        List.of(new Chart.Marker(0.55 * intervalMs, "mean target")));
  }
}
