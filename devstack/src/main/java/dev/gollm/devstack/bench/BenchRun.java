package dev.gollm.devstack.bench;

import dev.gollm.devstack.manager.ManagerOptions;
import dev.gollm.devstack.ollama.ModelProfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The benchmark: its scenarios in stages, each stage on a fresh {@link BenchStack} that its
 * scenarios share (scenario 3 measures the processor scenario 1 started and warmed up). Scenario 5
 * reads what the others measured. The two-backend runs (9) bring their own simulators; the first
 * task after start (10) gets a stage per run so each meets an unloaded model. The cold starts (8)
 * come last, one stage per intake mode. See docs/benchmarks.md for what each one measures and why.
 */
final class BenchRun {
  /**
   * Scenarios that run one after another on one stack.
   *
   * @param slots the simulator's generation slots
   * @param model the model it serves (a scenario may switch it)
   * @param manager the manager's options
   * @param scenarios in running order
   */
  private record Stage(
      int slots, ModelProfile model, ManagerOptions manager, List<Scenario> scenarios) {
    Stage(int slots, ModelProfile model, List<Scenario> scenarios) {
      this(slots, model, BenchStack.defaultManagerOptions(), scenarios);
    }
  }

  private final Path jar;
  private final List<String> jvmFlags;
  private final ProcessorLog log;
  private final ReadyProbe probe;
  private final List<Stage> stages;
  private final Cost cost;
  private final AtomicReference<BenchStack> current = new AtomicReference<>();

  BenchRun(
      BenchPlan plan,
      Path jar,
      List<String> jvmFlags,
      ProcessorLog log,
      ReadyProbe probe,
      PrintStream out,
      Set<Integer> only) {
    this.jar = jar;
    this.jvmFlags = jvmFlags;
    this.log = log;
    this.probe = probe;
    MixedFleetPlan mixed = MixedFleetPlan.of(plan);
    Progress progress = new Progress(out);
    CostReadings readings = new CostReadings();
    List<Stage> all =
        List.of(
            new Stage(
                SseDispatch.WORKERS,
                Workload.TASK_20MS,
                List.of(
                    new Baseline(plan),
                    new SseDispatch(plan, progress, readings),
                    new Throughput(plan, progress, readings))),
            new Stage(
                PollingDispatch.WORKERS,
                Workload.TASK_20MS,
                List.of(new PollingDispatch(plan, progress, log, readings))),
            new Stage(1, Workload.TASK_20MS, List.of(new BacklogGap(plan, progress, readings))),
            new Stage(
                Scale.SLOTS,
                Workload.TASK_100MS,
                List.of(new Scale(plan, progress, new Fleet(readings)))),
            new Stage(
                MixedFleet.SLOTS,
                Workload.TASK_100MS,
                mixed.managerOptions(),
                List.of(
                    new MixedFleet(
                        mixed, mixed.defaultStealInterval(), "default_interval", progress))),
            new Stage(
                MixedFleet.SLOTS,
                Workload.TASK_100MS,
                mixed.managerOptions(),
                List.of(
                    new MixedFleet(mixed, mixed.shortStealInterval(), "short_interval", progress))),
            new Stage(
                1,
                Workload.TASK_100MS,
                List.of(new TwoBackends(TwoBackends.Api.OLLAMA, plan, progress))),
            new Stage(
                1,
                Workload.TASK_100MS,
                List.of(new TwoBackends(TwoBackends.Api.OPENAI, plan, progress))),
            new Stage(1, FirstTask.MODEL, List.of(new FirstTask(FirstTask.Preload.ON, progress))),
            new Stage(1, FirstTask.MODEL, List.of(new FirstTask(FirstTask.Preload.OFF, progress))),
            // The cold starts come last, after a warm-up of this JVM's manager and simulator of
            // their own (for --only 8 and quick runs): only the processor is new.
            new Stage(ColdStart.WORKERS, Workload.TASK_100MS, List.of(new StackWarmUp())),
            new Stage(
                ColdStart.WORKERS,
                Workload.TASK_100MS,
                List.of(new ColdStart(ColdStart.Intake.SSE, plan, progress))),
            new Stage(
                ColdStart.WORKERS,
                Workload.TASK_100MS,
                List.of(new ColdStart(ColdStart.Intake.POLLING, plan, progress))));
    Set<Integer> known =
        all.stream()
            .flatMap(s -> s.scenarios().stream())
            .map(Scenario::number)
            .collect(Collectors.toCollection(TreeSet::new));
    if (!known.containsAll(only)) {
      throw new BenchException(
          "--only " + only + ": the scenarios that run alone are " + known + " (4 runs within 6)");
    }
    this.stages =
        all.stream()
            .filter(
                s ->
                    only.isEmpty()
                        || s.scenarios().stream().anyMatch(x -> only.contains(x.number())))
            .toList();
    progress.expect(
        stages.stream().flatMap(s -> s.scenarios().stream()).mapToInt(Scenario::steps).sum());
    // Scenario 5 reads what the others measured.
    this.cost = only.isEmpty() ? new Cost(readings) : null;
  }

  /** Runs every stage, then reads the cost; what the scenarios found. */
  Results execute() throws InterruptedException {
    Results results = new Results();
    for (Stage stage : stages) {
      try (BenchStack stack =
          BenchStack.start(
              jar, jvmFlags, log, probe, stage.slots(), stage.model(), stage.manager())) {
        current.set(stack);
        for (Scenario scenario : stage.scenarios()) {
          try {
            scenario.run(stack, results);
          } catch (BenchException e) {
            throw new BenchException("scenario " + scenario.name() + ": " + e.getMessage());
          }
        }
      }
    }
    if (cost != null) {
      cost.report(results);
    }
    return results;
  }

  /**
   * For an interrupted run: kills the processors of the stage running now, then stops its manager
   * (deleting its temporary database) and simulator.
   */
  void abort() {
    BenchStack stack = current.get();
    if (stack != null) {
      stack.killProcessors();
      stack.close();
    }
  }
}
