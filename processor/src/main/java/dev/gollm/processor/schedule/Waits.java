package dev.gollm.processor.schedule;

import dev.gollm.processor.cancel.CancelSignal;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** A pause whose timeout is the scheduler's timer, so a test's clock ends it. */
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
}
