package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.array;
import static dev.gollm.devstack.bench.Units.millisBetween;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.Figure.Target;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 1: dispatch latency with SSE on an idle processor. Starts the stage's processor (SSE, 4
 * workers; scenario 3 measures it next, warm), then submits 20 ms tasks one at a time, each after
 * the previous one completed and a short pause, and times submit → request at the simulator, split
 * at the claim.
 */
final class SseDispatch implements Scenario {
  static final String NAME = "1 dispatch, SSE";

  /** The processor's workers, and the simulator's slots. */
  static final int WORKERS = 4;

  static final Map<String, String> SETTINGS = Map.of("WORKER_COUNT", Integer.toString(WORKERS));

  private final BenchPlan plan;
  private final Progress progress;
  private final CostReadings cost;

  SseDispatch(BenchPlan plan, Progress progress, CostReadings cost) {
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
    progress.begin(
        NAME,
        "submit → request at Ollama, "
            + plan.dispatchTasks()
            + " tasks one at a time on an idle processor");
    RunningProcessor p = stack.startProcessors(List.of("bench-sse"), SETTINGS).getFirst();
    cost.singleStart(p.readyAfter());
    stack.warmUp(
        "sse",
        plan.warmupTasks(),
        Workload.batchTimeout(plan.warmupTasks(), Workload.TASK_20MS_MILLIS, WORKERS));
    int n = plan.dispatchTasks();
    List<String> texts = Workload.texts("sse", n);
    List<String> ids = new ArrayList<>();
    List<Instant> submitted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      submitted.add(Instant.now());
      String id = stack.manager().submit(texts.get(i));
      ids.add(id);
      if (!stack.completions().awaitAll(List.of(id), Workload.TASK_TIMEOUT)) {
        throw new BenchException("task " + i + " did not complete within " + Workload.TASK_TIMEOUT);
      }
      // A pause, not a poll: the processor settles to idle before the next task arrives.
      Thread.sleep(plan.idleBetweenTasks());
    }
    Latencies l = Latencies.of(stack, texts, ids, submitted);
    List<Double> latency = l.latency();
    Summary s = Summary.of(latency);
    Summary claim = Summary.of(l.toClaim());
    Summary start = Summary.of(l.claimToOllama());
    addFigures(results, s, claim, start);
    ObjectNode d =
        results.details(
            "1_dispatch_sse", stack, SETTINGS, Workload.TASK_20MS, WORKERS, plan.warmupTasks());
    d.put("tasks", n);
    d.put("matched_requests", latency.size());
    d.put("idle_between_tasks_ms", plan.idleBetweenTasks().toMillis());
    d.put("ready_s", Units.seconds(p.readyAfter()));
    d.set("latency_ms", s.toJson());
    d.set("submit_to_claim_ms", claim.toJson());
    d.set("claim_to_ollama_ms", start.toJson());
    d.set("latency_samples_ms", array(latency));
    results.add(latencyPanel(latency, s, n));
    progress.end(String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms", s.p50(), s.p99()));
  }

  /**
   * Per task that reached the simulator, in ms: submit → request there, and that split at the claim
   * (from the task's {@code processing_started_at}, 1 ms resolution).
   */
  private record Latencies(List<Double> latency, List<Double> toClaim, List<Double> claimToOllama) {
    static Latencies of(
        BenchStack stack, List<String> texts, List<String> ids, List<Instant> submitted) {
      Map<String, RequestRecord> byText = Workload.firstRecordByText(stack.ollama().requests());
      List<Double> latency = new ArrayList<>();
      List<Double> toClaim = new ArrayList<>();
      List<Double> claimToOllama = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        RequestRecord r = byText.get(texts.get(i));
        if (r == null) {
          continue;
        }
        latency.add(millisBetween(submitted.get(i), r.arrival()));
        TaskRecord task = stack.manager().requireTask(ids.get(i));
        if (task.processingStartedAt() != null) {
          toClaim.add((double) (task.processingStartedAt() - submitted.get(i).toEpochMilli()));
          claimToOllama.add((double) (r.arrival().toEpochMilli() - task.processingStartedAt()));
        }
      }
      return new Latencies(latency, toClaim, claimToOllama);
    }
  }

  private static void addFigures(Results results, Summary s, Summary claim, Summary start) {
    results.add(
        new Figure(
            "dispatch_sse_p50_ms",
            NAME,
            "submit → request at Ollama, p50",
            s.p50(),
            "ms",
            null,
            Target.atMost(5)));
    results.add(
        new Figure(
            "dispatch_sse_p99_ms",
            NAME,
            "submit → request at Ollama, p99",
            s.p99(),
            "ms",
            null,
            Target.atMost(25)));
    results.add(
        Figure.info(
            "dispatch_sse_mean_ms", NAME, "submit → request at Ollama, mean", s.mean(), "ms"));
    results.add(
        Figure.info(
            "dispatch_sse_claim_p50_ms",
            NAME,
            "of which submit → claimed at manager, p50 (1 ms resolution)",
            claim.p50(),
            "ms"));
    results.add(
        Figure.info(
            "dispatch_sse_start_p50_ms",
            NAME,
            "of which claimed → request at Ollama, p50 (1 ms resolution)",
            start.p50(),
            "ms"));
  }

  /** The distribution of the latency against the targets, cut at twice the p99 (at least 30 ms). */
  static Chart.Panel latencyPanel(List<Double> latency, Summary s, int tasks) {
    double xMax = Double.isNaN(s.max()) ? 30 : Math.max(30, Math.min(s.max(), s.p99() * 2) * 1.1);
    return new Chart.Panel(
        "1 · Dispatch latency, SSE, idle processor",
        "submit → request at Ollama (ms)",
        "share of tasks",
        xMax,
        1.0,
        List.of(
            new Chart.Series(
                "measured (" + tasks + " tasks)", "#1f77b4", false, Chart.cdf(latency))),
        List.of(new Chart.Marker(5, "p50 target"), new Chart.Marker(25, "p99 target")));
  }
}
