package dev.gollm.processor.schedule;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The real clock: {@link System#nanoTime()}, and timers on one platform thread that hand each due
 * action to a platform thread of {@link RoleThreads#onDemand}: the actions are mostly manager calls
 * (heartbeats, cleanup), and a platform thread waits for a socket without the virtual thread's
 * hand-offs through the JDK's poller and a carrier (docs/benchmarks.md, part 10). An idle processor
 * keeps one or two such threads; they end after a minute with nothing to do.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor timers;
  private final ExecutorService actions = RoleThreads.onDemand("timer-action");

  public SystemScheduler() {
    timers =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("timers").daemon().factory());
    timers.setRemoveOnCancelPolicy(true);
  }

  /** The timer thread, for clients that schedule their own short watchdogs on it. */
  public ScheduledThreadPoolExecutor executor() {
    return timers;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Timer schedule(Duration delay, Runnable action) {
    ScheduledFuture<?> future =
        timers.schedule(() -> actions.execute(action), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /**
   * The condition's own timed wait: a timer would wake the timer thread and a virtual thread to
   * signal the waiter, three wake-ups instead of one for every poll of an idle processor.
   */
  @Override
  public boolean awaitUntil(
      ReentrantLock lock, Condition changed, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long left = timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (left <= 0) {
        return false;
      }
      left = changed.awaitNanos(left);
    }
    return true;
  }

  @Override
  public void close() {
    timers.shutdownNow();
    actions.shutdown();
  }
}
