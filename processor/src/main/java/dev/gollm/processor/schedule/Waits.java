package dev.gollm.processor.schedule;

import dev.gollm.processor.cancel.CancelSignal;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** Blocking waits whose timeouts are the scheduler's timers, so a test's clock ends them. */
public final class Waits {
  private Waits() {}

  /**
   * Waits {@code delay} unless {@code cancel} fires first or the thread is interrupted (the flag is
   * kept); true when the wait was cut short.
   */
  public static boolean pause(Scheduler scheduler, Duration delay, CancelSignal cancel) {
    CountDownLatch done = new CountDownLatch(1);
    boolean[] timedOut = new boolean[1];
    CancelSignal.Registration registration = cancel.onCancel(done::countDown);
    Scheduler.Timer timer =
        scheduler.schedule(
            delay,
            () -> {
              synchronized (timedOut) {
                timedOut[0] = true;
              }
              done.countDown();
            });
    try {
      done.await();
      synchronized (timedOut) {
        return !timedOut[0] || cancel.isCancelled();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      timer.cancel();
      registration.close();
    }
  }

  /**
   * Waits on {@code changed} (whose lock the caller holds) until {@code condition} holds or {@code
   * timeout} passes; true when the condition holds.
   */
  public static boolean awaitUntil(
      Scheduler scheduler,
      ReentrantLock lock,
      Condition changed,
      BooleanSupplier condition,
      Duration timeout)
      throws InterruptedException {
    if (condition.getAsBoolean()) {
      return true;
    }
    boolean[] expired = new boolean[1];
    Scheduler.Timer timer =
        scheduler.schedule(
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
}
