package dev.gollm.processor.schedule;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job on its own virtual thread, waiting a given delay between runs (the job's blocking
 * calls never hold up another periodic job). {@link #close()} ends it promptly, also mid-wait.
 */
public final class Periodic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private final String name;
  private final Supplier<Duration> delay;
  private final Runnable job;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopped = lock.newCondition();
  private final Thread thread;
  private boolean stopping;

  /**
   * @param delay asked before every wait, so the cadence can follow the processor's mode
   */
  public Periodic(String name, Supplier<Duration> delay, Runnable job) {
    this.name = name;
    this.delay = delay;
    this.job = job;
    this.thread = Thread.ofVirtual().name(name).unstarted(this::loop);
  }

  public Periodic(String name, Duration every, Runnable job) {
    this(name, () -> every, job);
  }

  public Periodic start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (waitNext()) {
      try {
        job.run();
      } catch (RuntimeException e) {
        log.warn("{}: {}", name, e.toString(), e);
      }
    }
  }

  private boolean waitNext() {
    long nanos = delay.get().toNanos();
    lock.lock();
    try {
      while (!stopping && nanos > 0) {
        nanos = stopped.awaitNanos(nanos);
      }
      return !stopping;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      stopping = true;
      stopped.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      if (!thread.join(Duration.ofSeconds(15))) {
        log.warn("{} did not stop within 15 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
