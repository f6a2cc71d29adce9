package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.bench.Figure.Target;
import dev.gollm.devstack.manager.TaskRecord;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.RequestRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark scenarios, run one after another on fresh {@link BenchStack}s (scenarios 1 and 3
 * share one, and its processor). Every task has a unique input text, so the simulator's record of
 * its request (whose {@code user} is that text) can be matched to the moment it was submitted.
 */
final class BenchRun {
  /** 20 ms of generation: first token after 5 ms, then 3 more at 200 tokens/s. */
  static final ModelProfile SHORT_TASK =
      ModelProfile.fast(BenchStack.MODEL)
          .withLoadTime(Duration.ZERO)
          .withTimeToFirstToken(Duration.ofMillis(5))
          .withTokensPerSecond(200)
          .withAnswerLength(AnswerLength.fixed(4));

  /** 100 ms of generation: first token after 10 ms, then 9 more at 100 tokens/s. */
  static final ModelProfile TASK_100MS =
      ModelProfile.fast(BenchStack.MODEL)
          .withLoadTime(Duration.ZERO)
          .withTimeToFirstToken(Duration.ofMillis(10))
          .withTokensPerSecond(100)
          .withAnswerLength(AnswerLength.fixed(10));

  static final double TASK_MS = 100;

  private static final String PRODUCT = "hand-thrown stoneware mug, 350 ml, matte glaze";
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  private static final String POLL_INTERVAL_TEXT = "1s";

  private static final String S0 = "0 baseline";
  private static final String S1 = "1 dispatch, SSE";
  private static final String S2 = "2 polling";
  private static final String S3 = "3 throughput";
  private static final String S4 = "4 fleet";
  private static final String S5 = "5 cost";
  private static final String S6 = "6 scale";

  private final BenchPlan plan;
  private final Path jar;
  private final List<String> jvmFlags;
  private final ProcessorLog log;
  private final ReadyProbe probe;
  private final Progress progress;
  private final List<Figure> figures = new ArrayList<>();
  private final ObjectNode scenarios = JsonNodeFactory.instance.objectNode();
  private final List<Chart.Panel> panels = new ArrayList<>();
  private final List<Double> singleStartReadyMs = new ArrayList<>();
  private final AtomicReference<BenchStack> current = new AtomicReference<>();
  private double throughputCpuMsPerTask = Double.NaN;
  private double throughputPeakRssMb = Double.NaN;
  private double throughputJitMsPerTask = Double.NaN;
  private double throughputGcMsPerTask = Double.NaN;
  private double fleetCpuMsPerTask = Double.NaN;
  private double spawnToFirstLogMs = Double.NaN;
  private double firstLogToReadyMs = Double.NaN;
  private double fleetPeakRssMb = Double.NaN;

  BenchRun(
      BenchPlan plan,
      Path jar,
      List<String> jvmFlags,
      ProcessorLog log,
      ReadyProbe probe,
      PrintStream out) {
    this.plan = plan;
    this.jar = jar;
    this.jvmFlags = jvmFlags;
    this.log = log;
    this.probe = probe;
    this.progress = new Progress(out, 4 + plan.scaleSteps().size());
  }

  /** Runs every scenario; the figures (scenario order), details and chart panels. */
  Result execute() throws InterruptedException {
    sseProcessor();
    dispatchPolling();
    backlogGap();
    scaleAndFleet();
    cost();
    List<Figure> ordered = new ArrayList<>(figures);
    ordered.sort(java.util.Comparator.comparing(Figure::scenario));
    List<Chart.Panel> orderedPanels = new ArrayList<>(panels);
    orderedPanels.sort(java.util.Comparator.comparing(Chart.Panel::title));
    return new Result(ordered, scenarios, orderedPanels);
  }

  /** What a run produced. */
  record Result(List<Figure> figures, ObjectNode scenarios, List<Chart.Panel> panels) {}

  /**
   * For an interrupted run: kills the processors of the scenario running now, then stops its
   * manager (deleting its temporary database) and simulator.
   */
  void abort() {
    BenchStack stack = current.get();
    if (stack != null) {
      stack.killProcessors();
      stack.close();
    }
  }

  private BenchStack open(int slots, ModelProfile model) {
    BenchStack stack = BenchStack.start(jar, jvmFlags, log, probe, slots, model);
    current.set(stack);
    return stack;
  }

  // ---- 0: what one HTTP round trip to the manager costs here and now -----------------------

  /**
   * Times sequential requests from this JVM to the manager: the catch-all (no database) and an
   * empty claim (one database transaction). Every dispatch needs at least a claim and a request to
   * Ollama, so these are the floor under the dispatch figures on this machine at this load.
   */
  private void baseline(BenchStack stack) throws InterruptedException {
    int n = plan.baselineRequests();
    URI base = stack.manager().baseUri();
    HttpRequest ping =
        HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(5)).GET().build();
    HttpRequest claim =
        HttpRequest.newBuilder(base.resolve("/api/internal/claim"))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + stack.manager().apiKey())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"processor_id\":\"bench-baseline\",\"batch_size\":1}"))
            .build();
    Summary pingMs;
    Summary claimMs;
    try (HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      roundTrips(http, ping, n / 2);
      pingMs = Summary.of(roundTrips(http, ping, n));
      roundTrips(http, claim, n / 2);
      claimMs = Summary.of(roundTrips(http, claim, n));
    }
    figures.add(
        Figure.info(
            "baseline_rtt_p50_ms", S0, "HTTP round trip to the manager, p50", pingMs.p50(), "ms"));
    figures.add(
        Figure.info(
            "baseline_rtt_p99_ms", S0, "HTTP round trip to the manager, p99", pingMs.p99(), "ms"));
    figures.add(
        Figure.info(
            "baseline_claim_p50_ms",
            S0,
            "empty claim (one SQLite transaction), p50",
            claimMs.p50(),
            "ms"));
    figures.add(
        Figure.info(
            "baseline_claim_p99_ms",
            S0,
            "empty claim (one SQLite transaction), p99",
            claimMs.p99(),
            "ms"));
    ObjectNode d = scenarios.putObject("0_baseline");
    d.put("requests", n);
    d.put(
        "method",
        "sequential requests from the bench JVM (JDK HttpClient, HTTP/1.1, one kept-alive"
            + " connection) to the manager in the same JVM, after n/2 unmeasured ones");
    d.set("round_trip_ms", pingMs.toJson());
    d.set("empty_claim_ms", claimMs.toJson());
  }

  private static List<Double> roundTrips(HttpClient http, HttpRequest request, int n)
      throws InterruptedException {
    List<Double> ms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      try {
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
          throw new BenchException(
              request.uri() + " answered " + response.statusCode() + " to the baseline request");
        }
      } catch (IOException e) {
        throw new BenchException("baseline request to " + request.uri() + " failed: " + e);
      }
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    return ms;
  }

  // ---- 1: dispatch latency with SSE, idle processor ------------------------------------------

  /**
   * Scenarios 1 and 3 share one processor (SSE, 4 workers) and stack: first idle dispatch with 20
   * ms tasks, then, with the simulator's model switched to 100 ms, the backlog.
   */
  private void sseProcessor() throws InterruptedException {
    progress.begin(
        "dispatch latency, SSE, idle processor: " + plan.dispatchTasks() + " tasks one at a time");
    Map<String, String> settings = Map.of("WORKER_COUNT", "4");
    try (BenchStack stack = open(4, SHORT_TASK)) {
      baseline(stack);
      RunningProcessor p = stack.startProcessors(List.of("bench-sse"), settings).getFirst();
      singleStartReadyMs.add(millis(p.readyAfter()));
      stack.warmUp("sse", plan.warmupTasks(), batchTimeout(plan.warmupTasks(), 20, 4));
      dispatchSse(stack, p, settings);
      stack.ollama().installModel(TASK_100MS);
      throughput(stack, p, settings);
    }
  }

  private void dispatchSse(BenchStack stack, RunningProcessor p, Map<String, String> settings)
      throws InterruptedException {
    int n = plan.dispatchTasks();
    List<String> texts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<Instant> submitted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String text = "sse-" + i + " " + PRODUCT;
      Instant at = Instant.now();
      String id = stack.manager().submit(text);
      texts.add(text);
      ids.add(id);
      submitted.add(at);
      if (!stack.completions().awaitAll(List.of(id), TASK_TIMEOUT)) {
        throw new BenchException("task " + i + " did not complete within " + TASK_TIMEOUT);
      }
      // A pause, not a poll: the processor settles to idle before the next task arrives.
      Thread.sleep(plan.idleBetweenTasks());
    }
    Map<String, RequestRecord> byText = firstRecordByText(stack.ollama().requests());
    List<Double> latency = new ArrayList<>();
    List<Double> toClaim = new ArrayList<>();
    List<Double> claimToOllama = new ArrayList<>();
    for (int i = 0; i < n; i++) {
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
    Summary s = Summary.of(latency);
    Summary claim = Summary.of(toClaim);
    Summary start = Summary.of(claimToOllama);
    figures.add(
        new Figure(
            "dispatch_sse_p50_ms",
            S1,
            "submit → request at Ollama, p50",
            s.p50(),
            "ms",
            null,
            Target.atMost(5)));
    figures.add(
        new Figure(
            "dispatch_sse_p99_ms",
            S1,
            "submit → request at Ollama, p99",
            s.p99(),
            "ms",
            null,
            Target.atMost(25)));
    figures.add(
        Figure.info(
            "dispatch_sse_mean_ms", S1, "submit → request at Ollama, mean", s.mean(), "ms"));
    figures.add(
        Figure.info(
            "dispatch_sse_claim_p50_ms",
            S1,
            "of which submit → claimed at manager, p50 (1 ms resolution)",
            claim.p50(),
            "ms"));
    figures.add(
        Figure.info(
            "dispatch_sse_start_p50_ms",
            S1,
            "of which claimed → request at Ollama, p50 (1 ms resolution)",
            start.p50(),
            "ms"));
    ObjectNode d = scenario("1_dispatch_sse", stack, settings, SHORT_TASK, 4, plan.warmupTasks());
    d.put("tasks", n);
    d.put("matched_requests", latency.size());
    d.put("idle_between_tasks_ms", plan.idleBetweenTasks().toMillis());
    d.put("ready_s", p.readyAfter().toNanos() / 1e9);
    d.set("latency_ms", s.toJson());
    d.set("submit_to_claim_ms", claim.toJson());
    d.set("claim_to_ollama_ms", start.toJson());
    d.set("latency_samples_ms", array(latency));
    panels.add(
        new Chart.Panel(
            "1 · Dispatch latency, SSE, idle processor",
            "submit → request at Ollama (ms)",
            "share of tasks",
            Math.max(30, Double.isNaN(s.max()) ? 30 : Math.min(s.max(), s.p99() * 2) * 1.1),
            1.0,
            List.of(
                new Chart.Series(
                    "measured (" + n + " tasks)", "#1f77b4", false, Chart.cdf(latency))),
            List.of(new Chart.Marker(5, "p50 target"), new Chart.Marker(25, "p99 target"))));
    progress.end(String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms", s.p50(), s.p99()));
  }

  // ---- 2: polling mode: dispatch latency, and the gap under a backlog ------------------------

  private void dispatchPolling() throws InterruptedException {
    int n = plan.pollingTasks();
    Duration spacing = plan.pollingSpacing();
    progress.begin(
        "dispatch latency, polling every "
            + POLL_INTERVAL_TEXT
            + ": "
            + n
            + " tasks, one every "
            + spacing.toMillis()
            + " ms");
    // Logging at info (one line per task: nothing next to half a second) to time the start-up.
    Map<String, String> settings =
        Map.of(
            "SSE_ENABLED",
            "false",
            "POLL_INTERVAL",
            POLL_INTERVAL_TEXT,
            "WORKER_COUNT",
            "16",
            "LOG_LEVEL",
            "info");
    try (BenchStack stack = open(16, SHORT_TASK)) {
      RunningProcessor p = stack.startProcessors(List.of("bench-poll"), settings).getFirst();
      singleStartReadyMs.add(millis(p.readyAfter()));
      startupSplit(p);
      stack.warmUp(
          "poll", plan.pollingWarmupTasks(), batchTimeout(plan.pollingWarmupTasks(), 20, 16));
      String[] texts = new String[n];
      String[] ids = new String[n];
      Instant[] submitted = new Instant[n];
      for (int i = 0; i < n; i++) {
        texts[i] = "poll-" + i + " " + PRODUCT;
      }
      CountDownLatch allSubmitted = new CountDownLatch(n);
      AtomicInteger next = new AtomicInteger();
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      ScheduledExecutorService pacer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("bench-pacer").daemon().factory());
      try {
        // A steady pace unrelated to the poll timer, so arrivals fall evenly across its phase.
        pacer.scheduleAtFixedRate(
            () -> {
              int i = next.getAndIncrement();
              if (i >= n) {
                return;
              }
              try {
                submitted[i] = Instant.now();
                ids[i] = stack.manager().submit(texts[i]);
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              } finally {
                allSubmitted.countDown();
              }
            },
            0,
            spacing.toNanos(),
            TimeUnit.NANOSECONDS);
        if (!allSubmitted.await(
            spacing.multipliedBy(n).plusSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
          throw new BenchException("the polling scenario could not submit its tasks in time");
        }
      } finally {
        pacer.shutdownNow();
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      List<String> idList = List.of(ids);
      boolean all = stack.completions().awaitAll(idList, batchTimeout(n, 20, 16));
      Map<String, RequestRecord> byText = firstRecordByText(stack.ollama().requests());
      List<Double> latency = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        RequestRecord r = byText.get(texts[i]);
        if (r != null) {
          latency.add(millisBetween(submitted[i], r.arrival()));
        }
      }
      Summary s = Summary.of(latency);
      double intervalMs = millis(POLL_INTERVAL);
      figures.add(
          new Figure(
              "dispatch_poll_mean_ms",
              S2,
              "polling every " + POLL_INTERVAL_TEXT + ": submit → request at Ollama, mean",
              s.mean(),
              "ms",
              intervalMs / 2,
              Target.atMost(0.55 * intervalMs)));
      figures.add(
          new Figure(
              "dispatch_poll_p99_ms",
              S2,
              "polling every " + POLL_INTERVAL_TEXT + ": submit → request at Ollama, p99",
              s.p99(),
              "ms",
              intervalMs * 0.99,
              null));
      ObjectNode d =
          scenario(
              "2_dispatch_polling", stack, settings, SHORT_TASK, 16, plan.pollingWarmupTasks());
      d.put("tasks", n);
      d.put("all_completed", all);
      d.put("matched_requests", latency.size());
      d.put("submit_spacing_ms", spacing.toMillis());
      d.put("poll_interval_ms", intervalMs);
      d.put("ready_s", p.readyAfter().toNanos() / 1e9);
      d.set("latency_ms", s.toJson());
      d.set("latency_samples_ms", array(latency));
      panels.add(
          new Chart.Panel(
              "2 · Dispatch latency, polling every " + POLL_INTERVAL_TEXT,
              "submit → request at Ollama (ms)",
              "share of tasks",
              intervalMs * 1.25,
              1.0,
              List.of(
                  new Chart.Series(
                      "measured (" + latency.size() + " tasks)",
                      "#1f77b4",
                      false,
                      Chart.cdf(latency)),
                  new Chart.Series(
                      "ideal (uniform wait)",
                      "#2ca02c",
                      true,
                      List.of(new Chart.XY(0, 0), new Chart.XY(intervalMs, 1)))),
              List.of(new Chart.Marker(0.55 * intervalMs, "mean target"))));
      progress.end(
          String.format(
              Locale.ROOT,
              "mean %.0f ms (%.2f × interval), p99 %.0f ms",
              s.mean(),
              s.mean() / intervalMs,
              s.p99()));
    }
  }

  private void backlogGap() throws InterruptedException {
    int n = plan.backlogTasks();
    progress.begin("end → next start on one worker, polling, backlog of " + n + " tasks of 20 ms");
    Map<String, String> settings =
        Map.of("SSE_ENABLED", "false", "POLL_INTERVAL", POLL_INTERVAL_TEXT, "WORKER_COUNT", "1");
    try (BenchStack stack = open(1, SHORT_TASK)) {
      RunningProcessor p = stack.startProcessors(List.of("bench-gap"), settings).getFirst();
      singleStartReadyMs.add(millis(p.readyAfter()));
      stack.warmUp("gap", plan.warmupTasks(), batchTimeout(plan.warmupTasks(), 20, 1));
      List<String> texts = texts("gap", n);
      Instant origin = Instant.now();
      List<String> ids = stack.submit(texts);
      boolean all = stack.completions().awaitAll(ids, batchTimeout(n, 20, 1));
      List<RequestRecord> records = recordsFor(stack.ollama().requests(), texts);
      SlotTimeline timeline = SlotTimeline.of(records, origin);
      List<Double> gaps = timeline.refillGapsMillis();
      Summary s = Summary.of(gaps);
      // Split each gap at the moment the manager accepted the task's complete call.
      Map<String, String> idByText = new HashMap<>();
      for (int i = 0; i < n; i++) {
        idByText.put(texts.get(i), ids.get(i));
      }
      List<RequestRecord> inOrder =
          records.stream()
              .filter(r -> r.end() != null)
              .sorted(java.util.Comparator.comparing(RequestRecord::arrival))
              .toList();
      List<Double> toReported = new ArrayList<>();
      List<Double> reportedToNext = new ArrayList<>();
      for (int k = 0; k + 1 < inOrder.size(); k++) {
        RequestRecord done = inOrder.get(k);
        Optional<Instant> reported = stack.completions().completedAt(idByText.get(done.user()));
        if (reported.isPresent()) {
          toReported.add(millisBetween(done.end(), reported.get()));
          reportedToNext.add(millisBetween(reported.get(), inOrder.get(k + 1).arrival()));
        }
      }
      Summary report = Summary.of(toReported);
      Summary next = Summary.of(reportedToNext);
      figures.add(
          Figure.info(
              "backlog_gap_p50_ms",
              S2,
              "backlog: end of a task → next request, same worker, p50",
              s.p50(),
              "ms"));
      figures.add(
          new Figure(
              "backlog_gap_p99_ms",
              S2,
              "backlog: end of a task → next request, same worker, p99",
              s.p99(),
              "ms",
              null,
              Target.atMost(5)));
      figures.add(
          Figure.info(
              "backlog_gap_mean_ms",
              S2,
              "backlog: end of a task → next request, same worker, mean",
              s.mean(),
              "ms"));
      figures.add(
          Figure.info(
              "backlog_gap_report_p50_ms",
              S2,
              "of which end → complete accepted by the manager (heartbeat + complete), p50",
              report.p50(),
              "ms"));
      figures.add(
          Figure.info(
              "backlog_gap_next_p50_ms",
              S2,
              "of which complete accepted → next request at Ollama, p50",
              next.p50(),
              "ms"));
      ObjectNode d = scenario("2_backlog_gap", stack, settings, SHORT_TASK, 1, plan.warmupTasks());
      d.set("end_to_complete_accepted_ms", report.toJson());
      d.set("complete_accepted_to_next_request_ms", next.toJson());
      d.put("tasks", n);
      d.put("all_completed", all);
      d.put("lost_tasks", stack.completions().missing(ids));
      d.put("ready_s", p.readyAfter().toNanos() / 1e9);
      d.put(
          "definition",
          "WORKER_COUNT=1 and one simulator slot, so requests are strictly sequential: gap = arrival"
              + " of request k+1 at the simulator − end (final object written) of request k");
      d.set("gap_ms", s.toJson());
      d.set("gap_samples_ms", array(gaps));
      progress.end(String.format(Locale.ROOT, "gap p50 %.1f ms, p99 %.1f ms", s.p50(), s.p99()));
    }
  }

  // ---- 3 (and 5): throughput under backlog, one processor with 4 workers ---------------------

  private void throughput(BenchStack stack, RunningProcessor p, Map<String, String> settings)
      throws InterruptedException {
    int n = plan.throughputTasks();
    int workers = 4;
    progress.begin(
        "throughput: "
            + n
            + " tasks of 100 ms, 1 processor × "
            + workers
            + " workers, "
            + workers
            + " slots");
    Batch b = runBatch(stack, "throughput", n, workers);
    throughputCpuMsPerTask = b.cpuMsPerTask();
    throughputJitMsPerTask = b.jitMsPerTask();
    throughputGcMsPerTask = b.gcMsPerTask();
    throughputPeakRssMb = megabytes(p.process().peakRssBytes().orElse(-1));
    double idealS = n * TASK_MS / workers / 1000;
    figures.add(
        new Figure(
            "throughput_makespan_s",
            S3,
            n + " tasks, 4 workers, 4 slots: makespan",
            b.makespanS(),
            "s",
            idealS,
            Target.ratioAtMost(1.02)));
    figures.add(
        new Figure(
            "throughput_tasks_per_s",
            S3,
            "throughput",
            b.throughput(),
            "tasks/s",
            workers * 1000 / TASK_MS,
            null));
    figures.add(
        new Figure(
            "throughput_service_mean_ms",
            S3,
            "simulator's own time per task (slot taken → final object), mean",
            Summary.of(b.timeline().serviceMillis()).mean(),
            "ms",
            TASK_MS,
            null));
    Summary gaps = Summary.of(b.timeline().refillGapsMillis());
    figures.add(
        Figure.info(
            "throughput_refill_gap_p50_ms",
            S3,
            "a slot's end → next request (paired first in, first out), p50",
            gaps.p50(),
            "ms"));
    figures.add(
        Figure.info(
            "throughput_refill_gap_p99_ms",
            S3,
            "a slot's end → next request (paired first in, first out), p99",
            gaps.p99(),
            "ms"));
    figures.add(Figure.info("throughput_lost_tasks", S3, "lost tasks", b.lost(), "tasks"));
    coresFigures("throughput", S3, b);
    ObjectNode d =
        scenario(
            "3_throughput",
            stack,
            settings,
            TASK_100MS,
            workers,
            plan.warmupTasks() + plan.dispatchTasks());
    b.describe(d);
    d.put("ready_s", p.readyAfter().toNanos() / 1e9);
    Summary.put(d, "peak_rss_mb", throughputPeakRssMb);
    d.set("refill_gap_ms", gaps.toJson());
    panels.add(
        utilizationPanel("3 · Worker utilization, 1 processor × 4 workers", b, workers, idealS));
    progress.end(
        String.format(
            Locale.ROOT,
            "makespan %.2f s = %.3f × ideal %.2f s",
            b.makespanS(),
            b.makespanS() / idealS,
            idealS));
  }

  /** Splits a start in two, from a processor logging at info: spawn → first log event → ready. */
  private void startupSplit(RunningProcessor p) {
    Optional<Instant> first = log.firstEvent(p.process().name());
    if (first.isPresent()) {
      spawnToFirstLogMs = millisBetween(p.process().startedAt(), first.get());
      firstLogToReadyMs = millis(p.readyAfter()) - spawnToFirstLogMs;
    }
  }

  // ---- 6 and 4: scale 1, 2, 4, 8 processors × 2 workers; 8 is the fleet ----------------------

  private void scaleAndFleet() throws InterruptedException {
    int workersEach = 2;
    int slots = BenchPlan.FLEET_PROCESSORS * workersEach;
    Map<String, String> settings = Map.of("WORKER_COUNT", Integer.toString(workersEach));
    try (BenchStack stack = open(slots, TASK_100MS)) {
      ObjectNode d =
          scenario("6_scale", stack, settings, TASK_100MS, slots, plan.scaleWarmupTasks());
      ArrayNode steps = d.putArray("steps");
      ArrayNode readies = d.putArray("ready_s");
      double single = Double.NaN;
      int running = 0;
      for (int count : plan.scaleSteps()) {
        int workers = count * workersEach;
        boolean fleet = count == BenchPlan.FLEET_PROCESSORS;
        int n = fleet ? plan.fleetTasks() : plan.tasksPerWorker() * workers;
        progress.begin(
            (fleet ? "fleet" : "scale")
                + ": "
                + count
                + " processor"
                + (count == 1 ? "" : "s")
                + " × "
                + workersEach
                + " workers, "
                + slots
                + " slots, "
                + n
                + " tasks of 100 ms");
        List<String> names = new ArrayList<>();
        for (int i = running + 1; i <= count; i++) {
          names.add("bench-fleet-" + i);
        }
        for (RunningProcessor p : stack.startProcessors(names, settings)) {
          readies.add(p.readyAfter().toNanos() / 1e9);
        }
        running = count;
        int warm = plan.scaleWarmupTasks() * names.size();
        stack.warmUp("scale" + count, warm, batchTimeout(warm, TASK_MS, workers));
        Batch b = runBatch(stack, "scale" + count, n, workers);
        double idealThroughput = workers * 1000 / TASK_MS;
        if (count == 1) {
          single = b.throughput();
        }
        String who = count + " × 2 workers";
        figures.add(
            new Figure(
                "scale_" + count + "_tasks_per_s",
                S6,
                who + ": throughput",
                b.throughput(),
                "tasks/s",
                idealThroughput,
                null));
        if (count > 1) {
          figures.add(
              new Figure(
                  "scale_" + count + "_growth",
                  S6,
                  who + ": throughput ÷ throughput of 1 processor",
                  b.throughput() / single,
                  "×",
                  (double) count,
                  null));
        }
        ObjectNode step = steps.addObject();
        step.put("processors", count);
        b.describe(step);
        if (fleet) {
          double idealS = n * TASK_MS / workers / 1000;
          figures.add(
              new Figure(
                  "fleet_makespan_s",
                  S4,
                  n + " tasks, 8 processors × 2 workers, 16 slots: makespan",
                  b.makespanS(),
                  "s",
                  idealS,
                  Target.ratioAtMost(1.05)));
          figures.add(
              new Figure(
                  "fleet_duplicate_completions",
                  S4,
                  "tasks completed more than once",
                  b.duplicates(),
                  "tasks",
                  null,
                  Target.atMost(0)));
          figures.add(
              new Figure(
                  "fleet_lost_tasks",
                  S4,
                  "tasks never completed",
                  b.lost(),
                  "tasks",
                  null,
                  Target.atMost(0)));
          figures.add(
              Figure.info(
                  "fleet_duplicate_generations",
                  S4,
                  "tasks generated more than once",
                  b.duplicateGenerations(),
                  "tasks"));
          coresFigures("fleet", S4, b);
          fleetCpuMsPerTask = b.cpuMsPerTask();
          double rss = 0;
          for (RunningProcessor p : stack.processors()) {
            rss = Math.max(rss, megabytes(p.process().peakRssBytes().orElse(-1)));
          }
          fleetPeakRssMb = rss;
          panels.add(
              utilizationPanel("4 · Worker utilization, fleet of 8 × 2 workers", b, slots, idealS));
          progress.end(
              String.format(
                  Locale.ROOT,
                  "makespan %.2f s = %.3f × ideal, %d duplicate(s), %d lost",
                  b.makespanS(),
                  b.makespanS() / idealS,
                  b.duplicates(),
                  b.lost()));
        } else {
          progress.end(
              String.format(
                  Locale.ROOT,
                  "%.1f tasks/s = %.3f × ideal %.0f",
                  b.throughput(),
                  b.throughput() / idealThroughput,
                  idealThroughput));
        }
      }
    }
  }

  // ---- 5: cost -------------------------------------------------------------------------------

  private void cost() {
    double readyMedian = Summary.of(singleStartReadyMs).p50();
    figures.add(
        new Figure(
            "cost_cpu_s_per_1000_tasks",
            S5,
            "processor CPU per 1,000 tasks (scenario 3; = CPU-ms per task)",
            throughputCpuMsPerTask,
            "s",
            null,
            Target.atMost(2)));
    figures.add(
        Figure.info(
            "cost_jit_cpu_s_per_1000_tasks",
            S5,
            "of which JIT compiler threads (warm-up not yet over)",
            throughputJitMsPerTask,
            "s"));
    figures.add(
        Figure.info(
            "cost_gc_cpu_s_per_1000_tasks",
            S5,
            "of which garbage collection",
            throughputGcMsPerTask,
            "s"));
    figures.add(
        Figure.info(
            "cost_cpu_without_jit_s_per_1000_tasks",
            S5,
            "without the JIT compiler threads (what a long-running processor pays)",
            throughputCpuMsPerTask - throughputJitMsPerTask,
            "s"));
    figures.add(
        Figure.info(
            "cost_fleet_cpu_s_per_1000_tasks",
            S5,
            "same, summed over the fleet of scenario 4",
            fleetCpuMsPerTask,
            "s"));
    figures.add(
        new Figure(
            "cost_peak_rss_mb",
            S5,
            "peak RSS (VmHWM) of the scenario 3 processor",
            throughputPeakRssMb,
            "MiB",
            null,
            Target.atMost(150)));
    figures.add(
        Figure.info(
            "cost_fleet_peak_rss_mb", S5, "largest peak RSS in the fleet", fleetPeakRssMb, "MiB"));
    figures.add(
        new Figure(
            "cost_ready_s",
            S5,
            "JVM spawn → /ready 200, median of " + singleStartReadyMs.size() + " single starts",
            readyMedian / 1000,
            "s",
            null,
            Target.atMost(1.5)));
    figures.add(
        Figure.info(
            "cost_startup_to_first_log_s",
            S5,
            "of a start: JVM spawn → first log event (JVM boot, classes, configuration)",
            spawnToFirstLogMs / 1000,
            "s"));
    figures.add(
        Figure.info(
            "cost_startup_first_log_to_ready_s",
            S5,
            "of a start: first log event → /ready 200 (health server, pipeline, first contacts)",
            firstLogToReadyMs / 1000,
            "s"));
    ObjectNode d = scenarios.putObject("5_cost");
    Summary.put(d, "jit_cpu_ms_per_task", throughputJitMsPerTask);
    Summary.put(d, "gc_cpu_ms_per_task", throughputGcMsPerTask);
    Summary.put(d, "startup_spawn_to_first_log_ms", spawnToFirstLogMs);
    Summary.put(d, "startup_first_log_to_ready_ms", firstLogToReadyMs);
    Summary.put(d, "cpu_ms_per_task", throughputCpuMsPerTask);
    Summary.put(d, "fleet_cpu_ms_per_task", fleetCpuMsPerTask);
    Summary.put(d, "peak_rss_mb", throughputPeakRssMb);
    Summary.put(d, "fleet_peak_rss_mb", fleetPeakRssMb);
    d.set("single_start_ready_ms", array(singleStartReadyMs));
    d.put(
        "method",
        "CPU: ProcessHandle totalCpuDuration (user+system, 10 ms ticks) of the processor JVM(s) before"
            + " and after the measured batch, after warm-up. RSS: VmHWM from /proc/<pid>/status at the"
            + " end. Ready: from just before the JVM is spawned to the first 200 from /ready, asked"
            + " every 10 ms.");
  }

  // ---- shared --------------------------------------------------------------------------------

  /** One measured backlog: everything submitted at once, waited for, and read back. */
  private record Batch(
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

    double throughput() {
      return (tasks - lost) / makespanS;
    }

    void describe(ObjectNode d) {
      d.put("tasks", tasks);
      d.put("concurrency", concurrency);
      Summary.put(d, "makespan_s", makespanS);
      Summary.put(d, "ideal_makespan_s", tasks * TASK_MS / concurrency / 1000);
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
  }

  private Batch runBatch(BenchStack stack, String prefix, int n, int concurrency)
      throws InterruptedException {
    List<String> texts = texts(prefix, n);
    double cpuBefore = stack.processorsCpuMillis();
    CpuClock clockBefore = CpuClock.read();
    List<ThreadCpu> threadsBefore = stack.processorThreads();
    Instant origin = Instant.now();
    long t0 = System.nanoTime();
    List<String> ids = stack.submit(texts);
    stack.completions().awaitAll(ids, batchTimeout(n, TASK_MS, concurrency));
    long lost = stack.completions().missing(ids);
    long end = stack.completions().lastCompletedNanos(ids).orElse(t0);
    double cpuAfter = stack.processorsCpuMillis();
    CpuClock clockAfter = CpuClock.read();
    List<ThreadCpu> threadsAfter = stack.processorThreads();
    Map<ThreadCpu.Kind, Double> byKind = new java.util.EnumMap<>(ThreadCpu.Kind.class);
    for (int i = 0; i < Math.min(threadsBefore.size(), threadsAfter.size()); i++) {
      threadsAfter
          .get(i)
          .millisSince(threadsBefore.get(i))
          .forEach((k, v) -> byKind.merge(k, v, Double::sum));
    }
    double wallMs = (clockAfter.wallNanos() - clockBefore.wallNanos()) / 1e6;
    List<RequestRecord> records = recordsFor(stack.ollama().requests(), texts);
    Map<String, Integer> generations = new HashMap<>();
    records.forEach(r -> generations.merge(r.user(), 1, Integer::sum));
    long duplicateGenerations = generations.values().stream().filter(c -> c > 1).count();
    double makespan = lost > 0 ? Double.NaN : (end - t0) / 1e9;
    return new Batch(
        n,
        concurrency,
        makespan,
        lost,
        stack.completions().duplicated(ids),
        duplicateGenerations,
        (cpuAfter - cpuBefore) / n,
        SlotTimeline.of(records, origin),
        end - t0,
        (cpuAfter - cpuBefore) / wallMs,
        clockAfter.selfCoresSince(clockBefore),
        clockAfter.machineBusyShareSince(clockBefore) * Runtime.getRuntime().availableProcessors(),
        byKind.getOrDefault(ThreadCpu.Kind.JIT, Double.NaN) / n,
        byKind.getOrDefault(ThreadCpu.Kind.GC, Double.NaN) / n);
  }

  /** Where the CPU went during a batch: the processors, devstack, and the machine as a whole. */
  private void coresFigures(String idPrefix, String scenario, Batch b) {
    figures.add(
        Figure.info(
            idPrefix + "_cores_processors",
            scenario,
            "CPU cores busy during the batch: processor JVM(s)",
            b.processorCores(),
            "cores"));
    figures.add(
        Figure.info(
            idPrefix + "_cores_devstack",
            scenario,
            "CPU cores busy during the batch: manager and simulator (bench JVM)",
            b.devstackCores(),
            "cores"));
    figures.add(
        Figure.info(
            idPrefix + "_cores_machine",
            scenario,
            "CPU cores busy during the batch: whole machine, other users included (of "
                + Runtime.getRuntime().availableProcessors()
                + ")",
            b.machineBusyCores(),
            "cores"));
  }

  private static Chart.Panel utilizationPanel(String title, Batch b, int slots, double idealS) {
    long to = Math.max(b.makespanNanos(), 1);
    Duration bin = Duration.ofNanos(Math.max(Duration.ofMillis(100).toNanos(), to / 150));
    List<Chart.XY> points = new ArrayList<>();
    for (SlotTimeline.Point pt : b.timeline().utilization(slots, 0, to, bin)) {
      points.add(new Chart.XY(pt.seconds(), pt.busy()));
    }
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

  private ObjectNode scenario(
      String key,
      BenchStack stack,
      Map<String, String> settings,
      ModelProfile model,
      int slots,
      int warmupTasks) {
    ObjectNode d = scenarios.putObject(key);
    ObjectNode env = d.putObject("processor_settings");
    new java.util.TreeMap<>(settings).forEach(env::put);
    ObjectNode sim = d.putObject("simulator");
    sim.put("slots", slots);
    sim.put("time_to_first_token_ms", millis(model.timeToFirstToken()));
    sim.put("tokens_per_second", model.tokensPerSecond());
    sim.put("tokens", model.answerLength().min());
    sim.put("load_ms", millis(model.loadTime()));
    d.put("processors", stack.processors().size());
    d.put("warmup_tasks", warmupTasks);
    return d;
  }

  private static List<String> texts(String prefix, int n) {
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      texts.add(prefix + "-" + i + " " + PRODUCT);
    }
    return texts;
  }

  /** The first simulator record per user text (each task's text is unique). */
  private static Map<String, RequestRecord> firstRecordByText(List<RequestRecord> records) {
    Map<String, RequestRecord> byText = new LinkedHashMap<>();
    for (RequestRecord r : records) {
      if (r.user() != null) {
        byText.putIfAbsent(r.user(), r);
      }
    }
    return byText;
  }

  private static List<RequestRecord> recordsFor(List<RequestRecord> records, List<String> texts) {
    Set<String> wanted = Set.copyOf(texts);
    return records.stream().filter(r -> r.user() != null && wanted.contains(r.user())).toList();
  }

  /** Generous: four times the ideal time plus a minute, so only a stuck run times out. */
  private static Duration batchTimeout(int tasks, double taskMs, int concurrency) {
    return Duration.ofMillis((long) (4 * tasks * taskMs / concurrency) + 60_000);
  }

  private static ArrayNode array(List<Double> values) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (double v : values) {
      a.add(Math.round(v * 1000) / 1000.0);
    }
    return a;
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }

  private static double millisBetween(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static double megabytes(long bytes) {
    return bytes < 0 ? Double.NaN : bytes / (1024.0 * 1024.0);
  }
}
