package dev.gollm.devstack.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per step of the run: the scenario (named as in the results table) and what runs, printed
 * when it starts; then its outcome, its time and how far the run has got.
 */
final class Progress {
  private final PrintStream out;
  private int steps;
  private int step;
  private long startedNanos;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** How many steps the run has, for "step n of m". */
  void expect(int steps) {
    this.steps = steps;
  }

  void begin(String scenario, String what) {
    step++;
    startedNanos = System.nanoTime();
    out.printf(Locale.ROOT, "[%s] %s ... ", scenario, what);
    out.flush();
  }

  void end(String outcome) {
    out.printf(
        Locale.ROOT,
        "%s (%.1f s; step %d of %d)%n",
        outcome,
        (System.nanoTime() - startedNanos) / 1e9,
        step,
        steps);
    out.flush();
  }
}
