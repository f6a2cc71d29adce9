package dev.gollm.processor.testing;

import dev.gollm.processor.schedule.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when the test says: {@link #advance} runs every timer that
 * falls due, in order, on the calling thread. With {@link #autoAdvance()}, a timer instead falls
 * due the moment it is set (time jumps to it), so code that waits out a backoff runs straight
 * through and the test reads the time it would have taken.
 */
public final class ManualScheduler implements Scheduler {
  private record Entry(long dueNanos, long order, Runnable action) {}

  private final PriorityQueue<Entry> timers =
      new PriorityQueue<>(
          Comparator.comparingLong(Entry::dueNanos).thenComparingLong(Entry::order));
  private final List<Duration> requested = new ArrayList<>();
  private long now = 1_000_000_000L;
  private long order;
  private boolean autoAdvance;

  /** From now on every timer falls due at once, time jumping forward to it. */
  public synchronized ManualScheduler autoAdvance() {
    autoAdvance = true;
    return this;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public Timer schedule(Duration delay, Runnable action) {
    Entry entry;
    synchronized (this) {
      requested.add(delay);
      if (autoAdvance) {
        now += Math.max(0, delay.toNanos());
        entry = null;
      } else {
        entry = new Entry(now + Math.max(0, delay.toNanos()), order++, action);
        timers.add(entry);
        notifyAll();
      }
    }
    if (entry == null) {
      action.run();
      return () -> {};
    }
    return () -> {
      synchronized (this) {
        timers.remove(entry);
      }
    };
  }

  /** Moves time forward by {@code by}, running each timer that falls due on the way. */
  public void advance(Duration by) {
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    while (true) {
      Entry due;
      synchronized (this) {
        Entry next = timers.peek();
        if (next == null || next.dueNanos() > target) {
          now = target;
          return;
        }
        due = timers.poll();
        now = Math.max(now, due.dueNanos());
      }
      due.action().run();
    }
  }

  /** Blocks until at least {@code count} timers are pending (set by another thread). */
  public synchronized void awaitPending(int count) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (timers.size() < count) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + count + " pending timers, have " + timers.size());
      }
      wait(left / 1_000_000 + 1);
    }
  }

  /** How many timers are set and not yet due. */
  public synchronized int pending() {
    return timers.size();
  }

  /** The delays of every timer ever set, in order. */
  public synchronized List<Duration> requestedDelays() {
    return List.copyOf(requested);
  }
}
