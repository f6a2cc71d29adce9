package dev.gollm.devstack.bench;

import static dev.gollm.devstack.bench.Units.array;
import static dev.gollm.devstack.bench.Units.millisBetween;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.Figure.Target;
import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 2b: the gap between one task ending and the next starting on the same worker, under a
 * backlog. One worker and one simulator slot make the requests strictly sequential, so the gap is
 * exactly the arrival of request k+1 minus the end of request k. Beside it, how long the report of
 * a task (heartbeat, then complete) takes, which runs while the worker already sends the next
 * request.
 */
final class BacklogGap implements Scenario {
  static final String NAME = "2 polling";

  private static final Map<String, String> SETTINGS =
      Map.of(
          "SSE_ENABLED",
          "false",
          "POLL_INTERVAL",
          PollingDispatch.POLL_INTERVAL_TEXT,
          "WORKER_COUNT",
          "1");

  private final BenchPlan plan;
  private final Progress progress;
  private final CostReadings cost;

  BacklogGap(BenchPlan plan, Progress progress, CostReadings cost) {
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
    int n = plan.backlogTasks();
    progress.begin(
        NAME, "backlog of " + n + " tasks of 20 ms, one worker: end of a task → next request");
    RunningProcessor p = stack.startProcessors(List.of("bench-gap"), SETTINGS).getFirst();
    cost.singleStart(p.readyAfter());
    stack.warmUp(
        "gap",
        plan.warmupTasks(),
        Workload.batchTimeout(plan.warmupTasks(), Workload.TASK_20MS_MILLIS, 1));
    List<String> texts = Workload.texts("gap", n);
    Instant origin = Instant.now();
    List<String> ids = stack.submit(texts);
    boolean all =
        stack.completions().awaitAll(ids, Workload.batchTimeout(n, Workload.TASK_20MS_MILLIS, 1));
    List<RequestRecord> records = Workload.recordsFor(stack.ollama().requests(), texts);
    List<Double> gaps = SlotTimeline.of(records, origin).refillGapsMillis();
    Summary s = Summary.of(gaps);
    Map<String, String> idByText = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      idByText.put(texts.get(i), ids.get(i));
    }
    ReportTimes report =
        ReportTimes.of(records, text -> stack.completions().completedAt(idByText.get(text)));
    addFigures(results, s, report);
    ObjectNode d =
        results.details(
            "2_backlog_gap", stack, SETTINGS, Workload.TASK_20MS, 1, plan.warmupTasks());
    d.set("end_to_complete_accepted_ms", Summary.of(report.endToAccepted()).toJson());
    d.set(
        "complete_accepted_to_next_request_ms",
        Summary.of(report.acceptedToNextRequest()).toJson());
    d.put(
        "complete_accepted_to_next_request_definition",
        "arrival of request k+1 at the simulator − the manager accepting task k's complete;"
            + " negative when the worker sent its next request before its report of task k was"
            + " accepted (the report runs beside the next task)");
    d.put("tasks", n);
    d.put("all_completed", all);
    d.put("lost_tasks", stack.completions().missing(ids));
    d.put("ready_s", Units.seconds(p.readyAfter()));
    d.put(
        "definition",
        "WORKER_COUNT=1 and one simulator slot, so requests are strictly sequential: gap = arrival"
            + " of request k+1 at the simulator − end (final object written) of request k");
    d.set("gap_ms", s.toJson());
    d.set("gap_samples_ms", array(gaps));
    progress.end(String.format(Locale.ROOT, "gap p50 %.1f ms, p99 %.1f ms", s.p50(), s.p99()));
  }

  private static void addFigures(Results results, Summary s, ReportTimes report) {
    results.add(
        Figure.info(
            "backlog_gap_p50_ms",
            NAME,
            "backlog: end of a task → next request, same worker, p50",
            s.p50(),
            "ms"));
    results.add(
        new Figure(
            "backlog_gap_p99_ms",
            NAME,
            "backlog: end of a task → next request, same worker, p99",
            s.p99(),
            "ms",
            null,
            Target.atMost(5)));
    results.add(
        Figure.info(
            "backlog_gap_mean_ms",
            NAME,
            "backlog: end of a task → next request, same worker, mean",
            s.mean(),
            "ms"));
    results.add(
        Figure.info(
            "backlog_gap_report_p50_ms",
            NAME,
            "beside it: end of a task → its complete accepted by the manager (heartbeat +"
                + " complete), p50",
            Summary.of(report.endToAccepted()).p50(),
            "ms"));
    results.add(
        Figure.info(
            "backlog_gap_next_first_share",
            NAME,
            "next request at Ollama before the previous task's complete was accepted",
            report.nextRequestFirstPercent(),
            "% of tasks"));
  }

  /**
   * When each task's report was accepted, against the end of its generation and the next request.
   *
   * @param endToAccepted per task: end of its request → its complete accepted, in ms
   * @param acceptedToNextRequest per task: its complete accepted → the next request's arrival, in
   *     ms; negative when the next request came first
   */
  record ReportTimes(List<Double> endToAccepted, List<Double> acceptedToNextRequest) {

    /**
     * From the finished requests (any order) and when each one's task was accepted as complete,
     * looked up by the request's user text; tasks without an accepted complete, and the last
     * request, are left out.
     */
    static ReportTimes of(
        List<RequestRecord> records, Function<String, Optional<Instant>> acceptedAt) {
      List<RequestRecord> inOrder =
          records.stream()
              .filter(r -> r.end() != null)
              .sorted(Comparator.comparing(RequestRecord::arrival))
              .toList();
      List<Double> toAccepted = new ArrayList<>();
      List<Double> toNext = new ArrayList<>();
      for (int k = 0; k + 1 < inOrder.size(); k++) {
        RequestRecord done = inOrder.get(k);
        Optional<Instant> accepted = acceptedAt.apply(done.user());
        if (accepted.isPresent()) {
          toAccepted.add(millisBetween(done.end(), accepted.get()));
          toNext.add(millisBetween(accepted.get(), inOrder.get(k + 1).arrival()));
        }
      }
      return new ReportTimes(List.copyOf(toAccepted), List.copyOf(toNext));
    }

    /** The share of tasks whose next request arrived before their complete was accepted, 0..100. */
    double nextRequestFirstPercent() {
      if (acceptedToNextRequest.isEmpty()) {
        return Double.NaN;
      }
      long first = acceptedToNextRequest.stream().filter(ms -> ms < 0).count();
      return 100.0 * first / acceptedToNextRequest.size();
    }
  }
}
