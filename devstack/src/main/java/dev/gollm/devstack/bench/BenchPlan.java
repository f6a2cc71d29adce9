package dev.gollm.devstack.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much work each scenario gets: the full run, or the quick one for everyday use.
 *
 * @param mode {@code full} or {@code quick}
 * @param baselineRequests scenario 0: HTTP round trips timed of each kind
 * @param warmupTasks one-token tasks run (unmeasured) per newly started processor before measuring
 * @param dispatchTasks scenario 1: tasks submitted one at a time
 * @param idleBetweenTasks scenario 1: pause after a task completes before the next is submitted
 * @param pollingTasks scenario 2: tasks submitted at a steady pace in polling mode
 * @param pollingSpacing scenario 2: time between two of those submissions
 * @param backlogTasks scenario 2: backlog size for the end-to-start gap
 * @param throughputTasks scenario 3: backlog size for one processor with 4 workers
 * @param scaleSteps scenario 6: processor counts (8 is always run, as the fleet of scenario 4)
 * @param tasksPerWorker scenario 6: tasks per worker at each step below the fleet
 * @param fleetTasks scenario 4: backlog size for 8 processors with 2 workers each
 * @param coldStartTasks scenario 8: tasks submitted to a just-started processor, one per spacing
 * @param coldStartSpacing scenario 8: time between two of those submissions
 * @param coldStartIdle scenario 8: how long the processor is then watched idle
 * @param twoBackendsTasks scenario 9: backlog size for one processor on two backends
 */
public record BenchPlan(
    String mode,
    int baselineRequests,
    int warmupTasks,
    int pollingWarmupTasks,
    int scaleWarmupTasks,
    int dispatchTasks,
    Duration idleBetweenTasks,
    int pollingTasks,
    Duration pollingSpacing,
    int backlogTasks,
    int throughputTasks,
    List<Integer> scaleSteps,
    int tasksPerWorker,
    int fleetTasks,
    int coldStartTasks,
    Duration coldStartSpacing,
    Duration coldStartIdle,
    int twoBackendsTasks) {

  /** Processors in the fleet of scenario 4. */
  public static final int FLEET_PROCESSORS = 8;

  public BenchPlan {
    if (!scaleSteps.contains(FLEET_PROCESSORS)) {
      throw new IllegalArgumentException("scale steps must include the fleet of 8: " + scaleSteps);
    }
    scaleSteps = scaleSteps.stream().sorted().distinct().toList();
  }

  /** The full run (about 20 minutes on 2 cores, most of it scenario 7 at the real thresholds). */
  public static BenchPlan full() {
    return new BenchPlan(
        "full",
        400,
        1000,
        50,
        200,
        500,
        Duration.ofMillis(10),
        300,
        Duration.ofMillis(130),
        500,
        1000,
        List.of(1, 2, 4, 8),
        50,
        1000,
        150,
        Duration.ofMillis(200),
        Duration.ofSeconds(60),
        300);
  }

  /** The quick run (about 3.5 minutes on 2 cores), with every figure of the full one. */
  public static BenchPlan quick() {
    return new BenchPlan(
        "quick",
        200,
        100,
        20,
        40,
        100,
        Duration.ofMillis(10),
        40,
        Duration.ofMillis(130),
        100,
        200,
        List.of(1, 8),
        15,
        320,
        50,
        Duration.ofMillis(200),
        Duration.ofSeconds(15),
        90);
  }
}
