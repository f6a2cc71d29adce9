package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.BenchStack.RunningProcessor;
import dev.gollm.devstack.ollama.ModelProfile;
import dev.gollm.devstack.ollama.RequestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scenario 10: the first task after a deploy, when Ollama does not hold the model (a 3 s load). A
 * processor is spawned, one task is created as soon as /ready answers 200, and the run reports the
 * time from the spawn and from the task's creation to its completion, and the load the task's
 * generation paid. With the preload (the default) the processor loads MODEL_NAME before /ready;
 * without it (OLLAMA_KEEP_ALIVE=0, which makes the processor load nothing ahead) the generation
 * pays the load. A stage each, so each run meets an unloaded model.
 */
final class FirstTask implements Scenario {
  static final String NAME = "10 first task";

  /** The simulated model load. */
  static final Duration LOAD = Duration.ofSeconds(3);

  /** The simulator's model: 100 ms tasks after a 3 s load. */
  static final ModelProfile MODEL = Workload.TASK_100MS.withLoadTime(LOAD);

  /** Whether the processor loads the model at start. */
  enum Preload {
    ON("with preload", Map.of()),
    OFF("without preload (OLLAMA_KEEP_ALIVE=0)", Map.of("OLLAMA_KEEP_ALIVE", "0"));

    private final String label;
    private final Map<String, String> settings;

    Preload(String label, Map<String, String> settings) {
      this.label = label;
      this.settings = settings;
    }
  }

  private final Preload preload;
  private final Progress progress;

  FirstTask(Preload preload, Progress progress) {
    this.preload = preload;
    this.progress = progress;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    progress.begin(NAME, preload.label + ": a new processor, a 3 s model load, one task at /ready");
    String key = preload == Preload.ON ? "preload" : "no_preload";
    String name = "bench-first-task-" + key.replace('_', '-');
    RunningProcessor p = stack.startProcessors(List.of(name), preload.settings).getFirst();
    Instant spawned = p.process().startedAt();
    Instant ready = spawned.plus(p.readyAfter());
    String text = Workload.text(name, 0);
    Instant created = Instant.now();
    String id = stack.manager().submit(text);
    if (!stack.completions().awaitAll(List.of(id), Workload.TASK_TIMEOUT)) {
      throw new BenchException("the task did not complete in " + Workload.TASK_TIMEOUT);
    }
    List<RequestRecord> records = stack.ollama().requests();
    RequestRecord generation = Workload.firstRecordByText(records).get(text);
    if (generation == null) {
      throw new BenchException("the simulator has no request for the task");
    }
    FirstTaskResult result =
        new FirstTaskResult(
            spawned,
            ready,
            created,
            stack.completions().completedAt(id).orElseThrow(),
            loadOf(generation),
            records.stream().map(FirstTask::loadOf).reduce(Duration.ZERO, Duration::plus));
    results.addAll(
        result.figures(
            NAME,
            key,
            preload == Preload.ON,
            Workload.TASK_100MS_MILLIS / 1000,
            preload.label + ": "));
    ObjectNode d = results.details("10_first_task_" + key, stack, preload.settings, MODEL, 1, 0);
    result.describe(d);
    progress.end(
        String.format(
            Locale.ROOT,
            "ready %.2f s; task done %.2f s after spawn, %.2f s after creation; its load %.2f s",
            result.readyS(),
            result.fromSpawnS(),
            result.fromCreationS(),
            Units.seconds(result.generationLoad())));
  }

  private static Duration loadOf(RequestRecord r) {
    return Objects.requireNonNullElse(r.loadDuration(), Duration.ZERO);
  }
}
