package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.Figure.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one processor made of a backlog on several backends of different speed: the makespan against
 * the ideal of their combined capacity, each backend's share against its share of that capacity,
 * and the tasks generated more than once.
 *
 * @param tasks the backlog's size
 * @param makespanS from submitting the backlog to the last task's completion, in s
 * @param backends per backend its capacity and the backlog texts it generated, in routing order
 */
record TwoBackendsResult(int tasks, double makespanS, List<Backend> backends) {

  /** The makespan may exceed the ideal by this factor. */
  static final double MAKESPAN_TARGET = 1.05;

  /**
   * One backend as the run saw it.
   *
   * @param name what the figures call it, e.g. {@code fast}
   * @param tasksPerSecond its capacity: slots ÷ the length of one task
   * @param generated the backlog texts of the generations it completed, a text once per generation
   * @param slots its generations at once
   * @param meanGenerationMs the mean time of those generations on the server (start to end)
   * @param firstStartS when its first generation started, in s after the backlog was submitted
   * @param lastEndS when its last generation ended, in s after the backlog was submitted
   */
  record Backend(
      String name,
      double tasksPerSecond,
      List<String> generated,
      int slots,
      double meanGenerationMs,
      double firstStartS,
      double lastEndS) {
    Backend {
      generated = List.copyOf(generated);
    }

    /**
     * How long a slot stood idle between its first generation's start and its last one's end, on
     * average, in s: the time the processor left it without work.
     */
    double idlePerSlotS() {
      return (lastEndS - firstStartS) - generated.size() * meanGenerationMs / 1000 / slots;
    }

    /** Its capacity at the speed the run measured. */
    double measuredTasksPerSecond() {
      return slots * 1000 / meanGenerationMs;
    }
  }

  TwoBackendsResult {
    backends = List.copyOf(backends);
  }

  /** The backends' combined capacity in tasks/s. */
  double capacity() {
    return backends.stream().mapToDouble(Backend::tasksPerSecond).sum();
  }

  /** The backlog at the combined capacity, in s. */
  double idealMakespanS() {
    return tasks / capacity();
  }

  /**
   * The backlog at the combined capacity the servers really had (their generations ran slower than
   * nominal when the machine was busy), in s: what is left above it is the processor's.
   */
  double measuredIdealMakespanS() {
    return tasks / backends.stream().mapToDouble(Backend::measuredTasksPerSecond).sum();
  }

  /** Generations of all backends together. */
  int generations() {
    return backends.stream().mapToInt(b -> b.generated().size()).sum();
  }

  /** Tasks whose text was generated more than once, on one backend or across them. */
  int generatedMoreThanOnce() {
    Map<String, Integer> count = new HashMap<>();
    backends.forEach(b -> b.generated().forEach(t -> count.merge(t, 1, Integer::sum)));
    return (int) count.values().stream().filter(n -> n > 1).count();
  }

  /** The backend's share of all generations, in %. */
  double sharePercent(Backend b) {
    int all = generations();
    return all == 0 ? Double.NaN : 100.0 * b.generated().size() / all;
  }

  /** The backend's share of the combined capacity, in %: its share in an ideal run. */
  double idealSharePercent(Backend b) {
    return 100.0 * b.tasksPerSecond() / capacity();
  }

  /**
   * The figures, with ids {@code two_backends_<key>_…}.
   *
   * @param scenario the scenario's name
   * @param key what tells this run apart, e.g. {@code ollama}
   * @param of the label's prefix naming the run, e.g. {@code Ollama API: }
   */
  List<Figure> figures(String scenario, String key, String of) {
    String id = "two_backends_" + key + "_";
    List<Figure> figures = new ArrayList<>();
    figures.add(
        new Figure(
            id + "makespan_s",
            scenario,
            of + tasks + " tasks, submit → last complete (ideal: combined capacity)",
            makespanS,
            "s",
            idealMakespanS(),
            Target.ratioAtMost(MAKESPAN_TARGET)));
    figures.add(
        new Figure(
            id + "generated_twice",
            scenario,
            of + "tasks generated more than once",
            generatedMoreThanOnce(),
            "tasks",
            null,
            Target.atMost(0)));
    for (Backend b : backends) {
      figures.add(
          new Figure(
              id + b.name() + "_share_pct",
              scenario,
              of
                  + String.format(
                      Locale.ROOT,
                      "share of the %s backend (%.0f tasks/s; ideal: its share of the capacity)",
                      b.name(),
                      b.tasksPerSecond()),
              sharePercent(b),
              "%",
              idealSharePercent(b),
              null));
    }
    return figures;
  }

  /** The result as details of the JSON report. */
  void describe(ObjectNode d) {
    d.put("tasks", tasks);
    Summary.put(d, "makespan_s", makespanS);
    Summary.put(d, "ideal_makespan_s", idealMakespanS());
    Summary.put(d, "ideal_makespan_at_measured_speed_s", measuredIdealMakespanS());
    d.put("generations", generations());
    d.put("generated_more_than_once", generatedMoreThanOnce());
    ObjectNode per = d.putObject("backends");
    for (Backend b : backends) {
      ObjectNode o = per.putObject(b.name());
      Summary.put(o, "tasks_per_second", b.tasksPerSecond());
      o.put("generations", b.generated().size());
      Summary.put(o, "share_pct", sharePercent(b));
      Summary.put(o, "ideal_share_pct", idealSharePercent(b));
      Summary.put(o, "mean_generation_ms", b.meanGenerationMs());
      Summary.put(o, "first_generation_start_s", b.firstStartS());
      Summary.put(o, "last_generation_end_s", b.lastEndS());
      Summary.put(o, "idle_per_slot_s", b.idlePerSlotS());
    }
  }
}
