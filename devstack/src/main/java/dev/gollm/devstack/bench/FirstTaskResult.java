package dev.gollm.devstack.bench;

import dev.gollm.devstack.bench.Figure.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The first task a just-started processor runs while its model is not loaded yet: when it was
 * spawned, answered /ready, got the task and completed it, and what load the task's generation
 * paid.
 *
 * @param spawned when the processor's JVM was spawned
 * @param ready when its /ready first answered 200
 * @param created when the task was created (right after /ready)
 * @param completed when the task's result reached the manager
 * @param generationLoad the {@code load_duration} the simulator recorded for the task's generation
 * @param loadTotal every load the simulator did for this processor (its preload included)
 */
record FirstTaskResult(
    Instant spawned,
    Instant ready,
    Instant created,
    Instant completed,
    Duration generationLoad,
    Duration loadTotal) {

  /** With the model loaded ahead, the task may take this long from its creation, in s. */
  static final double PRELOADED_TASK_TARGET_S = 0.5;

  double readyS() {
    return Units.seconds(Duration.between(spawned, ready));
  }

  double fromSpawnS() {
    return Units.seconds(Duration.between(spawned, completed));
  }

  double fromCreationS() {
    return Units.seconds(Duration.between(created, completed));
  }

  /**
   * The figures, with ids {@code first_task_<key>_…}.
   *
   * @param preloaded whether the processor loaded the model at start: then the task is held to
   *     {@link #PRELOADED_TASK_TARGET_S}
   * @param taskS the task's own length, the ideal from its creation
   * @param of the label's prefix naming the run
   */
  List<Figure> figures(String scenario, String key, boolean preloaded, double taskS, String of) {
    String id = "first_task_" + key + "_";
    return List.of(
        Figure.info(id + "ready_s", scenario, of + "JVM spawn → /ready 200", readyS(), "s"),
        Figure.info(
            id + "from_spawn_s", scenario, of + "JVM spawn → task complete", fromSpawnS(), "s"),
        new Figure(
            id + "from_creation_s",
            scenario,
            of + "task created at /ready → task complete",
            fromCreationS(),
            "s",
            taskS,
            preloaded ? Target.atMost(PRELOADED_TASK_TARGET_S) : null),
        Figure.info(
            id + "generation_load_s",
            scenario,
            of + "load_duration of the task's generation",
            Units.seconds(generationLoad),
            "s"),
        Figure.info(
            id + "load_total_s",
            scenario,
            of + "all loads at the simulator (preload included)",
            Units.seconds(loadTotal),
            "s"));
  }

  void describe(ObjectNode d) {
    Summary.put(d, "ready_s", readyS());
    Summary.put(d, "from_spawn_s", fromSpawnS());
    Summary.put(d, "from_creation_s", fromCreationS());
    Summary.put(d, "generation_load_s", Units.seconds(generationLoad));
    Summary.put(d, "load_total_s", Units.seconds(loadTotal));
  }
}
