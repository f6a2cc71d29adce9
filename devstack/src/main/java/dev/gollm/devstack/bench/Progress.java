package dev.gollm.devstack.bench;

import java.io.PrintStream;
import java.util.Locale;

/** One line per scenario step: what runs (printed when it starts), then its outcome and time. */
final class Progress {
  private final PrintStream out;
  private final int steps;
  private int step;
  private long startedNanos;

  Progress(PrintStream out, int steps) {
    this.out = out;
    this.steps = steps;
  }

  void begin(String what) {
    step++;
    startedNanos = System.nanoTime();
    out.printf(Locale.ROOT, "[%d/%d] %s ... ", step, steps, what);
    out.flush();
  }

  void end(String outcome) {
    out.printf(Locale.ROOT, "%s (%.1f s)%n", outcome, (System.nanoTime() - startedNanos) / 1e9);
    out.flush();
  }

  void failed(String why) {
    out.printf(Locale.ROOT, "failed: %s%n", why);
    out.flush();
  }
}
