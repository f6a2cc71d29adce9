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
   */
  record Backend(String name, double tasksPerSecond, List<String> generated) {
    Backend {
      generated = List.copyOf(generated);
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
    d.put("generations", generations());
    d.put("generated_more_than_once", generatedMoreThanOnce());
    ObjectNode per = d.putObject("backends");
    for (Backend b : backends) {
      ObjectNode o = per.putObject(b.name());
      Summary.put(o, "tasks_per_second", b.tasksPerSecond());
      o.put("generations", b.generated().size());
      Summary.put(o, "share_pct", sharePercent(b));
      Summary.put(o, "ideal_share_pct", idealSharePercent(b));
    }
  }
}
