package dev.gollm.processor.schedule;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job again and again with a delay between the end of one run and the start of the next, on
 * the scheduler's timers (a job's blocking calls hold up no other job). {@link #close()} stops it
 * promptly, also mid-wait, and waits (bounded) for a run in progress.
 *
 * <p>A periodic with a condition runs only while it holds: it is not rescheduled when the condition
 * is false after a run, and {@link #start()} resumes it, so a job with nothing to do costs no
 * wake-up at all.
 */
public final class Periodic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private final String name;
  private final Scheduler scheduler;
  private final Duration every;
  private final Runnable job;
  private final BooleanSupplier condition;
  private final Duration stopWait;
  private Scheduler.Timer next;
  private boolean running;
  private boolean stopping;

  /**
   * @param every the delay between the end of one run and the start of the next
   * @param stopWait how long {@link #close()} waits for a run in progress
   */
  public Periodic(
      String name, Scheduler scheduler, Duration every, Runnable job, Duration stopWait) {
    this(name, scheduler, every, job, () -> true, stopWait);
  }

  /**
   * @param condition whether there is work for the next run; checked at {@link #start()} and after
   *     each run
   */
  public Periodic(
      String name,
      Scheduler scheduler,
      Duration every,
      Runnable job,
      BooleanSupplier condition,
      Duration stopWait) {
    this.name = name;
    this.scheduler = scheduler;
    this.every = every;
    this.job = job;
    this.condition = condition;
    this.stopWait = stopWait;
  }

  /**
   * Schedules the next run if none is pending or running and the condition holds; calling it again
   * changes nothing.
   */
  public synchronized Periodic start() {
    if (!stopping && next == null && !running && condition.getAsBoolean()) {
      next = scheduler.schedule(every, this::tick);
    }
    return this;
  }

  private void tick() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      running = true;
      next = null;
    }
    try {
      job.run();
    } catch (RuntimeException e) {
      log.warn("{}: {}", name, e.toString(), e);
    } finally {
      synchronized (this) {
        running = false;
        notifyAll();
        if (!stopping && condition.getAsBoolean()) {
          next = scheduler.schedule(every, this::tick);
        }
      }
    }
  }

  @Override
  public void close() {
    Scheduler.Timer pending;
    synchronized (this) {
      stopping = true;
      pending = next;
      next = null;
    }
    if (pending != null) {
      pending.cancel();
    }
    Scheduler.Timer giveUp =
        scheduler.schedule(
            stopWait,
            () -> {
              synchronized (this) {
                notifyAll();
              }
            });
    long deadline = scheduler.nanoTime() + stopWait.toNanos();
    try {
      synchronized (this) {
        while (running) {
          if (scheduler.nanoTime() - deadline >= 0) {
            log.warn("{} did not stop within {} ms", name, stopWait.toMillis());
            return;
          }
          wait();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      giveUp.cancel();
    }
  }
}
