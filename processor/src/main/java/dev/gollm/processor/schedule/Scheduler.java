package dev.gollm.processor.schedule;

import java.time.Duration;

/**
 * Time as the processor's roles see it: a monotonic reading and one-shot timers. Every delay,
 * deadline and cadence goes through here, so tests drive time by hand instead of waiting for it.
 */
public interface Scheduler {
  /** A monotonic reading in nanoseconds, like {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code action} once, {@code delay} from now. Actions should be short; one that blocks runs
   * on a thread of its own and holds up no other timer.
   */
  Timer schedule(Duration delay, Runnable action);

  /** A pending action; cancelling one that already ran does nothing. */
  @FunctionalInterface
  interface Timer {
    void cancel();
  }
}
