package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.TwoBackendsResult.Backend;
import dev.gollm.devstack.ollama.AnswerLength;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.OllamaSimulator;
import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 9: one processor on two LLM servers of different speed (LLM_ENDPOINTS with each one's
 * capacity), a backlog: does it keep both busy to the end, so the backlog takes no longer than at
 * their combined capacity, and is no task generated twice? Once with Ollama's API, once with the
 * OpenAI-compatible one (servers that answer only /v1/*, LLM_API=openai), a stage each. The
 * scenario runs its own two simulators; the stack's stays idle.
 */
final class TwoBackends implements Scenario {
  static final String NAME = "9 two backends";

  /** 200 ms of generation: first token after 20 ms, then 9 more at 50 tokens/s. */
  static final ModelProfile TASK_200MS =
      ModelProfile.fast(BenchStack.MODEL)
          .withLoadTime(Duration.ZERO)
          .withTimeToFirstToken(Duration.ofMillis(20))
          .withTokensPerSecond(50)
          .withAnswerLength(AnswerLength.fixed(10));

  /**
   * One simulated server.
   *
   * @param name what the figures call it
   * @param slots generations at once, given to the processor as its capacity
   * @param model its speed
   * @param taskMillis the length of one task at that speed
   */
  private record Server(String name, int slots, ModelProfile model, double taskMillis) {
    double tasksPerSecond() {
      return slots * 1000 / taskMillis;
    }
  }

  private static final List<Server> SERVERS =
      List.of(
          new Server("fast", 4, Workload.TASK_100MS, Workload.TASK_100MS_MILLIS),
          new Server("slow", 2, TASK_200MS, 200));

  /** The processor's workers: the servers' capacities together. */
  static final int WORKERS = SERVERS.stream().mapToInt(Server::slots).sum();

  /** The API the servers speak. */
  enum Api {
    OLLAMA("Ollama API", "ollama"),
    OPENAI("OpenAI API", "openai");

    private final String label;
    private final String setting;

    Api(String label, String setting) {
      this.label = label;
      this.setting = setting;
    }
  }

  private final Api api;
  private final BenchPlan plan;
  private final Progress progress;

  TwoBackends(Api api, BenchPlan plan, Progress progress) {
    this.api = api;
    this.plan = plan;
    this.progress = progress;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    int n = plan.twoBackendsTasks();
    progress.begin(
        NAME,
        api.label
            + ": 1 processor × "
            + WORKERS
            + " workers, 4 × 100 ms + 2 × 200 ms slots, "
            + n
            + " tasks");
    List<OllamaSimulator> servers = new ArrayList<>();
    try {
      for (Server s : SERVERS) {
        servers.add(start(s));
      }
      Map<String, String> settings = settings(servers);
      String key = api.name().toLowerCase(Locale.ROOT);
      String prefix = "two-backends-" + key;
      stack.startProcessors(List.of(prefix), settings);
      stack.warmUp(
          prefix, plan.warmupTasks(), Workload.batchTimeout(plan.warmupTasks(), 20, WORKERS));
      servers.forEach(OllamaSimulator::reset);

      List<String> texts = Workload.texts(prefix, n);
      long t0 = System.nanoTime();
      Instant submitted = Instant.now();
      List<String> ids = stack.submit(texts);
      Duration timeout = Workload.batchTimeout(n, Workload.TASK_100MS_MILLIS, WORKERS);
      if (!stack.completions().awaitAll(ids, timeout)) {
        throw new BenchException(
            stack.completions().missing(ids)
                + " of "
                + n
                + " tasks did not complete in "
                + timeout);
      }
      double makespanS = (stack.completions().lastCompletedNanos(ids).orElseThrow() - t0) / 1e9;
      Set<String> backlog = Set.copyOf(texts);
      List<Backend> backends = new ArrayList<>();
      ObjectNode d = results.details("9_two_backends_" + key);
      ObjectNode gaps = d.putObject("refill_gap_ms");
      for (int i = 0; i < SERVERS.size(); i++) {
        List<RequestRecord> records = servers.get(i).requests();
        backends.add(backend(SERVERS.get(i), records, backlog, submitted));
        gaps.set(
            SERVERS.get(i).name(),
            Summary.of(SlotTimeline.of(records, submitted).refillGapsMillis()).toJson());
      }
      TwoBackendsResult result = new TwoBackendsResult(n, makespanS, backends);
      results.addAll(result.figures(NAME, key, api.label + ": "));
      ObjectNode env = d.putObject("processor_settings");
      new TreeMap<>(settings).forEach(env::put);
      d.put("warmup_tasks", plan.warmupTasks());
      result.describe(d);
      progress.end(
          String.format(
              Locale.ROOT,
              "%.2f s (ideal %.2f s, at the servers' measured speed %.2f s), shares %.0f %% / %.0f %%, %d generated twice",
              makespanS,
              result.idealMakespanS(),
              result.measuredIdealMakespanS(),
              result.sharePercent(backends.get(0)),
              result.sharePercent(backends.get(1)),
              result.generatedMoreThanOnce()));
    } finally {
      servers.forEach(OllamaSimulator::close);
    }
  }

  private OllamaSimulator start(Server s) {
    return new OllamaSimulator(
            OllamaSimulator.Options.builder()
                .slots(s.slots())
                .models(List.of(s.model()))
                .recordCapacity(100_000)
                .openAiOnly(api == Api.OPENAI)
                .build())
        .start();
  }

  /** WORKER_COUNT, LLM_API and LLM_ENDPOINTS: each server with its slots as capacity. */
  private Map<String, String> settings(List<OllamaSimulator> servers) {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < SERVERS.size(); i++) {
      endpoints.add(servers.get(i).baseUrl() + "*" + SERVERS.get(i).slots());
    }
    return Map.of(
        "WORKER_COUNT",
        Integer.toString(WORKERS),
        "LLM_API",
        api.setting,
        "LLM_ENDPOINTS",
        String.join(",", endpoints));
  }

  /** The server's completed generations of the backlog: texts, mean time, last end. */
  private static Backend backend(
      Server s, List<RequestRecord> records, Set<String> backlog, Instant submitted) {
    List<RequestRecord> done =
        records.stream()
            .filter(r -> r.outcome() == RequestRecord.Outcome.DONE && backlog.contains(r.user()))
            .toList();
    double meanMs =
        done.stream()
            .mapToDouble(r -> Duration.between(r.start(), r.end()).toNanos() / 1e6)
            .average()
            .orElse(s.taskMillis());
    double firstStartS =
        done.stream()
            .map(RequestRecord::start)
            .min(Comparator.naturalOrder())
            .map(start -> secondsAfter(submitted, start))
            .orElse(Double.NaN);
    double lastEndS =
        done.stream()
            .map(RequestRecord::end)
            .max(Comparator.naturalOrder())
            .map(end -> secondsAfter(submitted, end))
            .orElse(Double.NaN);
    return new Backend(
        s.name(),
        s.tasksPerSecond(),
        done.stream().map(RequestRecord::user).toList(),
        s.slots(),
        meanMs,
        firstStartS,
        lastEndS);
  }

  private static double secondsAfter(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
