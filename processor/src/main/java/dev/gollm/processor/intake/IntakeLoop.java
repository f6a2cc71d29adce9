package dev.gollm.processor.intake;

import dev.gollm.processor.schedule.RoleThreads;
import dev.gollm.processor.schedule.Scheduler;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of an intake role (the claimer, the stealer): it lets the role make a call while one
 * is due, and otherwise sleeps until the role's timer comes or something changes (room freed, a
 * wake-up); {@link #close()} stops it, waiting (bounded) for a call in progress. The role keeps its
 * state under this loop's lock ({@link #locked}, {@link #signal}), so every change that gives the
 * loop something to do wakes it.
 */
final class IntakeLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IntakeLoop.class);

  /** What the loop asks of its role. */
  interface Role {
    /** Makes one call if one is due; true when it did. Called without the lock. */
    boolean callIfDue();

    /** When the role's timer is due next ({@link Scheduler#nanoTime()}); under the lock. */
    long timerNanos();

    /** Whether a call is due now and there is room for it; under the lock. */
    boolean ready();
  }

  private final String name;
  private final Role role;
  private final Scheduler scheduler;
  private final Duration stopWait;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private boolean stopping;
  private boolean ended;

  /** What the sleeping loop waits for; null while it runs. Under the lock. */
  private BooleanSupplier awaited;

  /**
   * @param stopWait how long {@link #close()} waits for a call in progress
   */
  IntakeLoop(String name, Role role, Scheduler scheduler, Duration stopWait) {
    this.name = name;
    this.role = role;
    this.scheduler = scheduler;
    this.stopWait = stopWait;
    this.thread = RoleThreads.unstarted(name, this::loop);
  }

  void start() {
    thread.start();
  }

  /**
   * Runs {@code change} under the lock and wakes the loop if it now has something to do: a change
   * that leaves it nothing (room freed while no call is due) costs no wake-up.
   */
  void signal(Runnable change) {
    lock.lock();
    try {
      change.run();
      if (awaited == null || awaited.getAsBoolean()) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reads (or changes without waking the loop) the role's state under the lock. */
  <T> T locked(Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} was called; under the lock. */
  boolean stopping() {
    return locked(() -> stopping);
  }

  private void loop() {
    try {
      while (!stopping()) {
        if (!role.callIfDue()) {
          awaitChange();
        }
      }
    } catch (InterruptedException e) {
      // stopped
    } finally {
      signal(() -> ended = true);
    }
  }

  /** Waits until a call may be due: stopping, the timer changed or came, or the role is ready. */
  private void awaitChange() throws InterruptedException {
    lock.lock();
    try {
      long planned = role.timerNanos();
      BooleanSupplier worthALook = () -> stopping || role.timerNanos() != planned || role.ready();
      awaited = worthALook;
      long until = planned - scheduler.nanoTime();
      if (until > 0) {
        scheduler.awaitUntil(lock, changed, worthALook, Duration.ofNanos(until));
      } else {
        while (!worthALook.getAsBoolean()) {
          changed.await(); // due, but no room: woken when room frees
        }
      }
    } finally {
      awaited = null;
      lock.unlock();
    }
  }

  @Override
  public void close() {
    signal(() -> stopping = true);
    if (thread.getState() == Thread.State.NEW) {
      return; // never started: joining it would throw
    }
    lock.lock();
    try {
      if (!scheduler.awaitUntil(lock, changed, () -> ended, stopWait)) {
        log.warn("{} did not stop within {} ms", name, stopWait.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
