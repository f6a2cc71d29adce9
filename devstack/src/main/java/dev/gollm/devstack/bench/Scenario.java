package dev.gollm.devstack.bench;

/**
 * One benchmark scenario. {@link BenchRun} hands it a stack (shared with the scenarios run before
 * it in the same stage) and it adds its figures, details and chart panels to the results; adding a
 * scenario is adding a class and listing it in a stage.
 */
interface Scenario {
  /** The number and short name its rows carry in the results table, e.g. {@code 3 throughput}. */
  String name();

  /** Its number, e.g. 3 for {@code 3 throughput}: what {@code bench --only} selects by. */
  default int number() {
    return Integer.parseInt(name().substring(0, name().indexOf(' ')));
  }

  /** How many progress lines it prints. */
  default int steps() {
    return 1;
  }

  /** Measures on {@code stack} and adds what it found to {@code results}. */
  void run(BenchStack stack, Results results) throws InterruptedException;
}
