package dev.gollm.devstack.bench;

import java.util.List;
import java.util.Map;

/**
 * Before the cold starts: warms this JVM's manager and simulator with a processor of its own,
 * stopped with its stage, so that scenario 8 measures a new processor against a warm stack in every
 * run. A full run has warmed them with the scenarios before; {@code --only 8} and a quick run have
 * not, and a cold manager alone added 5 ms to the median dispatch (its SSE announcement and claim
 * took 2.5 and 3.0 ms instead of 1.4 and 0.8). Reports nothing.
 */
final class StackWarmUp implements Scenario {
  /** One-token tasks, in quick runs too: 100 still left the claim at 2.2 ms. */
  private static final int TASKS = 1000;

  @Override
  public String name() {
    return ColdStart.NAME;
  }

  @Override
  public int steps() {
    return 0;
  }

  @Override
  public void run(BenchStack stack, Results results) throws InterruptedException {
    stack.startProcessors(
        List.of("bench-stack-warmup"), Map.of("WORKER_COUNT", Integer.toString(ColdStart.WORKERS)));
    stack.warmUp(
        "stack",
        TASKS,
        Workload.batchTimeout(TASKS, Workload.TASK_100MS_MILLIS, ColdStart.WORKERS));
  }
}
