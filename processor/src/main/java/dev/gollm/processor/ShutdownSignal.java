package dev.gollm.processor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that ends the process with the status the stop
 * reports. The JVM runs shutdown hooks on these signals but then exits with 143 or 130; so the hook
 * wakes the main thread, waits for it to finish stopping, and halts with its status (0 when
 * orderly). Install it before starting anything and {@link #close()} it on the way out.
 */
public final class ShutdownSignal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSignal.class);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicInteger exitStatus = new AtomicInteger(1);
  private final Duration finishTimeout;
  private final Thread hook;

  private ShutdownSignal(Duration finishTimeout) {
    this.finishTimeout = finishTimeout;
    this.hook = new Thread(this::onShutdown, "shutdown-signal");
  }

  /**
   * Registers the hook. {@code finishTimeout} bounds how long a signalled stop may take before the
   * process halts with status 1 anyway.
   */
  public static ShutdownSignal install(Duration finishTimeout) {
    ShutdownSignal signal = new ShutdownSignal(finishTimeout);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** Blocks until a signal (or any other JVM shutdown) asks the processor to stop. */
  public void awaitRequest() throws InterruptedException {
    requested.await();
  }

  /** Reports that stopping is done; a waiting hook then ends the process with {@code status}. */
  public void finish(int status) {
    exitStatus.set(status);
    finished.countDown();
  }

  private void onShutdown() {
    requested.countDown();
    boolean done;
    try {
      done = finished.await(finishTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      done = false;
    }
    if (!done) {
      log.error("stopping took longer than {}; exiting anyway", finishTimeout);
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(done ? exitStatus.get() : 1);
  }

  /**
   * Removes the hook unless a signal already arrived; call it (after {@link #finish}) on the way
   * out, so that leaving without a signal, e.g. after a failed start, exits with System.exit's
   * status.
   */
  @Override
  public void close() {
    if (requested.getCount() == 0) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs and halts with the status given to finish.
    }
  }
}
