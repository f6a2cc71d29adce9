package dev.gollm.processor.schedule;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Time as the processor's roles see it: a monotonic reading, one-shot timers and timed waits. Every
 * delay, deadline and cadence goes through here, so tests drive time by hand instead of waiting for
 * it.
 */
public interface Scheduler {
  /** A monotonic reading in nanoseconds, like {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code action} once, {@code delay} from now. Actions should be short; one that blocks runs
   * on a thread of its own and holds up no other timer.
   */
  Timer schedule(Duration delay, Runnable action);

  /**
   * Waits on {@code changed}, whose lock the caller holds, until {@code condition} holds or {@code
   * timeout} passes; true when the condition holds. This default ends the wait with one of this
   * scheduler's timers, which a test's clock fires; {@link SystemScheduler} overrides it with the
   * condition's own timed wait, which wakes no other thread.
   */
  default boolean awaitUntil(
      ReentrantLock lock, Condition changed, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    if (condition.getAsBoolean()) {
      return true;
    }
    boolean[] expired = new boolean[1];
    Timer timer =
        schedule(
            timeout,
            () -> {
              lock.lock();
              try {
                expired[0] = true;
                changed.signalAll();
              } finally {
                lock.unlock();
              }
            });
    try {
      while (!condition.getAsBoolean()) {
        if (expired[0]) {
          return false;
        }
        changed.await();
      }
      return true;
    } finally {
      timer.cancel();
    }
  }

  /** A pending action; cancelling one that already ran does nothing. */
  @FunctionalInterface
  interface Timer {
    void cancel();
  }
}
